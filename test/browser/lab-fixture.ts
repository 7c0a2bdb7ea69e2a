/**
 * A small built lab for the browser tests of the panel itself ("fixture-lab"): a starting
 * file the learner edits, a `checks` command that passes once the file says "fixed", and a
 * WAV in downloads/ to play. The real labs' journey is in lab-journey.test.ts.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const FIXTURE_LAB = 'fixture-lab';

/** A 0.2 s 440 Hz mono 8 kHz WAV. */
export function tinyWav(): Buffer {
  const rate = 8000;
  const samples = 1600;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export function writeFixtureLab(labsDir: string): void {
  const lab = join(labsDir, FIXTURE_LAB);
  mkdirSync(join(lab, '.lab'), { recursive: true });
  mkdirSync(join(lab, 'downloads'), { recursive: true });
  writeFileSync(join(lab, 'settings.yaml'), 'door: open\n');
  writeFileSync(join(lab, 'README.txt'), 'Close the door in settings.yaml.\n');
  writeFileSync(join(lab, '.lab', 'sample.wav'), tinyWav());
  writeFileSync(join(lab, '.lab', 'lab.json'), JSON.stringify({ id: FIXTURE_LAB, title: 'Fixture', createdAt: new Date(0).toISOString() }));
  // The stand-in lab shell speaks the lab-runtime contract; for the panel's tests it runs the
  // commands it does not know in bash, and makes its report with the fixture's checks.
  copyFileSync(fileURLToPath(new URL('../local-runner/stand-in-lab-shell.mjs', import.meta.url)), join(lab, '.lab', 'lab-shell.mjs'));
  writeFileSync(join(lab, '.lab', 'stand-in-bash'), '');
  writeFileSync(
    join(lab, '.lab', 'stand-in-checks.mjs'),
    `import { readFileSync } from 'node:fs';
import { join } from 'node:path';
export default (labDir) => {
  const pass = readFileSync(join(labDir, 'settings.yaml'), 'utf8').includes('door: closed');
  const reason = pass ? 'settings.yaml closes the door' : 'settings.yaml still says the door is open';
  return { lab: '${FIXTURE_LAB}', title: 'Fixture', kind: 'fix', passed: pass, total: 1, passedCount: pass ? 1 : 0, durationMs: 1,
    results: [{ id: 'door', title: 'The door is closed', pass, reason, hint: 'Change open to closed and save.', lessonAnchor: '03-the-open-door#fix', durationMs: 1 }] };
};
`,
  );
  writeFileSync(
    join(labsDir, `${FIXTURE_LAB}.meta.json`),
    JSON.stringify({
      id: FIXTURE_LAB,
      title: 'Fixture lab',
      kind: 'fix',
      lesson: '03-the-open-door',
      goal: 'Close the door.',
      editable: ['settings.yaml'],
      checks: [{ id: 'door', title: 'The door is closed', lessonAnchor: '03-the-open-door#fix' }],
      solutionFiles: [],
      files: ['README.txt', 'settings.yaml'],
    }),
  );
}
