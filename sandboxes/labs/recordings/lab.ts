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
    challenge: {
      brief: "The accounts point at voice recordings. Follow one link from the database to the bucket and save the recording in downloads/. The voices are synthetic; listening to them is optional and never checked.",
      hints: [
        "The recordings collection stores where each clip lives. Is the bucket behind those URLs public?",
        "`mongosh mongodb://db.cloudpets.test:27017/cloudpets --quiet --eval 'db.recordings.findOne().url'` prints one URL; `curl -o downloads/clip.wav <url>` saves it.",
        "url=$(mongosh mongodb://db.cloudpets.test:27017/cloudpets --quiet --eval 'db.recordings.findOne().url' | tail -n 1); mkdir -p downloads; curl -s -o downloads/clip.wav \"$url\". Check it starts with RIFF (head -c 4 downloads/clip.wav), then run `checks`. Playing it from the Recordings tab is up to you.",
      ],
    },
  },
  checks: [downloadsHaveRecordings(at('step-2-download-a-recording')), recordingPlayable(at('step-3-play-it'))],
};

export default lab;
