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
    challenge: {
      brief: "The accounts' passwords are bcrypt hashes. Recover at least three real e-mail:password pairs from your world's accounts and keep them in cracked.txt.",
      hints: [
        "bcrypt is slow on purpose, so attack a few accounts with a short list of common passwords rather than everything. The oldest accounts are a good start.",
        "Export the oldest accounts' hashes: `mongoexport --uri mongodb://db.cloudpets.test:27017 --db cloudpets --collection users --fields email,password --sort '{\"_id\": 1}' --limit 12 --out downloads/hashes.jsonl`, then run `crack` on that file.",
        "mkdir -p downloads; mongoexport --uri mongodb://db.cloudpets.test:27017 --db cloudpets --collection users --fields email,password --sort '{\"_id\": 1}' --limit 12 --out downloads/hashes.jsonl; crack --hashes downloads/hashes.jsonl --field password --out cracked.txt. The twelve oldest accounts of every world hold three weak passwords. Run `checks`.",
      ],
    },
  },
  checks: [crackedPairsVerify(at('step-3-keep-the-cracked-pairs'))],
};

export default lab;
