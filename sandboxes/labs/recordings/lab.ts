import type { LabDefinition } from '../../checks/types.ts';
import { downloadsHaveRecordings, recordingPlayable } from '../../checks/library/download-checks.ts';

const lesson = '04-the-recordings';
const at = (heading: string): string => `${lesson}#${heading}`;

const lab: LabDefinition = {
  meta: {
    id: 'recordings',
    title: 'Follow the links to the recordings',
    kind: 'attack',
    lesson,
    labSection: 'lab-follow-the-links-to-the-recordings',
    editable: ['notes.md'],
    goal: 'Find recording URLs in the database, download clips from the bucket into downloads/, and play one.',
  },
  checks: [downloadsHaveRecordings(at('step-2-download-a-recording')), recordingPlayable(at('step-3-play-it'))],
};

export default lab;
