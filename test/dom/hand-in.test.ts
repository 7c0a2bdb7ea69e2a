/**
 * "Download my work" packs the same archive whichever runtime holds the lab: one runtime
 * that lists outputs itself (lab operations) and one that only reads folders give the same
 * files, manifest and seed, and the grader's reader accepts the result.
 */
import { describe, expect, it } from 'vitest';
import { buildLabArchive, collectLabWork, readHelp, recordHelp, type LabFiles } from '../../src/sandbox/hand-in.ts';
import { readHandIn } from '../../sandboxes/grading/archive-reader.ts';
import { DATABASE_FILES, isOutputPath } from '../../sandboxes/grading/hand-in-format.ts';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const LAB: Record<string, Uint8Array> = {
  'findings.txt': enc('host: db.cloudpets.test\nport: 27017\n'),
  'downloads/users.jsonl': enc('{"email":"a@example.com"}\n'),
  'downloads/deep/b.wav': new Uint8Array([82, 73, 70, 70]),
  'logs/mongod.log': enc('{"msg":"Connection accepted"}\n'),
  'mongod.conf': enc('net:\n  port: 27017\n'),
  'data/db/users.bin': new Uint8Array([1, 2, 3]),
  '.lab/lab.json': enc(JSON.stringify({ id: 'recon', title: 'Recon', createdAt: '2026-11-29T10:00:00.000Z', seed: 654321 })),
  '.lab/last-report.json': enc(JSON.stringify({ lab: 'recon', passed: false, results: [], startedAt: '2026-11-29T10:05:00.000Z' })),
};

/** A lab as the runtimes show it: files, and the learner's outputs listed as the runtime lists them (OUTPUT_PATHS, the database on request). */
function folderRuntime(): LabFiles {
  return {
    async readFile(path) {
      const bytes = LAB[path];
      if (!bytes) throw new Error(`ENOENT ${path}`);
      return bytes;
    },
    async listOutputs(options = {}) {
      return Object.keys(LAB)
        .filter((path) => isOutputPath(path) || (options.database === true && path.startsWith(DATABASE_FILES)))
        .map((path) => ({ path }));
    },
  };
}

function operationsRuntime(): LabFiles {
  const files = folderRuntime();
  return { ...files, listOutputs: async () => ['findings.txt', 'downloads/users.jsonl', 'downloads/deep/b.wav', 'logs/mongod.log'].map((path) => ({ path })) };
}

describe('hand-in from the page', () => {
  it('collects the editable files and the outputs, never world state, with the lab\'s seed and last report', async () => {
    const work = await collectLabWork(folderRuntime(), { editable: ['findings.txt', 'mongod.conf'], kind: 'attack' });
    expect(Object.keys(work.files).sort()).toEqual(['downloads/deep/b.wav', 'downloads/users.jsonl', 'findings.txt', 'logs/mongod.log', 'mongod.conf']);
    expect(work.labInfo.seed).toBe(654321);
    expect(work.lastReport?.startedAt).toBe('2026-11-29T10:05:00.000Z');
  });

  it('hands in a fix lab\'s database files too (the users and data the learner changed)', async () => {
    const work = await collectLabWork(folderRuntime(), { editable: ['mongod.conf'], kind: 'fix' });
    expect(Object.keys(work.files)).toContain('data/db/users.bin');
  });

  it('gives the same archive contents from both kinds of runtime, readable by the grader', async () => {
    const lab = { id: 'recon', editable: ['findings.txt'], kind: 'attack' as const };
    const [a, b] = [readHandIn((await buildLabArchive(folderRuntime(), lab, 'local')).bytes), readHandIn((await buildLabArchive(operationsRuntime(), lab, 'webcontainer')).bytes)];
    expect([...a.files.keys()].sort()).toEqual([...b.files.keys()].sort());
    for (const [path, bytes] of a.files) expect(Buffer.from(b.files.get(path)!).equals(Buffer.from(bytes)), path).toBe(true);
    expect(a.manifest.learner.id).toMatch(/^l-[0-9a-f]{16}$/);
    expect(a.manifest.learner).toEqual(b.manifest.learner);
    expect(a.manifest.world).toEqual({ seed: 654321 });
    expect(a.manifest.lab).toBe('recon');
  });

  it('records the hints and the solution a learner opened', () => {
    recordHelp('recon', { hint: 'findings-port' });
    recordHelp('recon', { hint: 'findings-port' });
    recordHelp('recon', { solution: true });
    expect(readHelp('recon')).toEqual({ hintsShown: ['findings-port'], solutionShown: true });
    expect(readHelp('open-door')).toEqual({ hintsShown: [], solutionShown: false });
  });
});
