import type { LabDefinition } from '../../checks/types.ts';
import { crackedPairsVerify } from '../../checks/library/crack-checks.ts';

const lesson = '06-weak-passwords';
const at = (heading: string): string => `${lesson}#${heading}`;

const lab: LabDefinition = {
  meta: {
    id: 'cracking',
    title: 'Crack the weak hashes',
    kind: 'attack',
    lesson,
    labSection: 'lab-crack-the-weak-hashes',
    editable: ['cracked.txt'],
    goal: 'Export the bcrypt hashes, crack the weak ones with a tiny word list, and keep the e-mail:password pairs in cracked.txt.',
  },
  checks: [crackedPairsVerify(at('step-3-keep-the-cracked-pairs'))],
};

export default lab;
