/**
 * The synthetic voice clips behind every recording in the dataset (made by
 * make-recordings.sh with espeak-ng and sox; the transcripts double as captions).
 * `from` says who speaks: a parent sending a message to the toy, or a child answering.
 */
import { fileURLToPath } from 'node:url';

export interface Clip {
  file: string;
  from: 'parent' | 'child';
  transcript: string;
}

export const CLIPS: readonly Clip[] = [
  { file: 'parent-goodnight.wav', from: 'parent', transcript: 'Goodnight sweetheart. Sleep tight, and give the bear a big hug from me.' },
  { file: 'parent-home-soon.wav', from: 'parent', transcript: 'Hi darling, I am on the train. I will be home before bath time.' },
  { file: 'parent-love-you.wav', from: 'parent', transcript: 'I love you to the moon and back. See you in the morning.' },
  { file: 'parent-brush-teeth.wav', from: 'parent', transcript: 'Time to brush your teeth, then story time with the bunny.' },
  { file: 'parent-well-done.wav', from: 'parent', transcript: 'Well done at school today. I am so proud of you.' },
  { file: 'parent-grandma.wav', from: 'parent', transcript: 'Grandma says hello. She will call you on Sunday.' },
  { file: 'child-bear-question.wav', from: 'child', transcript: 'Bear, do you dream when you sleep?' },
  { file: 'child-why-sky.wav', from: 'child', transcript: 'Why is the sky blue, bear?' },
  { file: 'child-miss-you.wav', from: 'child', transcript: 'Mummy, I miss you. When are you coming home?' },
  { file: 'child-drawing.wav', from: 'child', transcript: 'Daddy, I drew a dinosaur. It is purple.' },
  { file: 'child-song.wav', from: 'child', transcript: 'Twinkle twinkle little star. That is my song for you.' },
  { file: 'child-goodnight.wav', from: 'child', transcript: 'Goodnight. Night night, bear.' },
];

export const PARENT_CLIPS = CLIPS.filter((clip) => clip.from === 'parent');
export const CHILD_CLIPS = CLIPS.filter((clip) => clip.from === 'child');

/** Folder holding the committed WAV files. */
export const CLIPS_DIR = fileURLToPath(new URL('.', import.meta.url));
