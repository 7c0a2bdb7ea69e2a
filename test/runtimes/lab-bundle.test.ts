/**
 * The built lab bundle is self-contained: copied to a folder with no node_modules anywhere
 * above it, its lab shell (with the tools, world and checks) runs with plain node, and the
 * mongodb driver's optional native/cloud modules are never required.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPTIONAL_EXTERNALS, buildLabBundles, folderToTree } from '../../src/build/lab-bundle/build-lab-bundles.ts';
import { projectDir } from '../browser/lab-site.ts';
import { type JsonTree, type LabTreeFile, mergeTrees } from '../../src/runtimes/webcontainer/webcontainer-runtime.ts';
import { startPipedShell, type PipedShell } from '../lab-shell/piped-shell.ts';

let distDir: string;
let labDir: string;
let hookLog: string;
let shell: PipedShell | undefined;

/**
 * The lab shell as a runtime starts it, with only TERM and the lab folder in its environment
 * (no CLOUDPETS_WORLD_ENTRY: a bundle finds its own world process). The hook that records
 * every require() of an optional driver module (there must be none) is on the command line:
 * the tools run inside the lab shell.
 */
function startShell(): PipedShell {
  return startPipedShell(process.execPath, ['--require', join(distDir, 'hook.cjs'), '.lab/lab-shell.mjs'], {
    cwd: labDir,
    env: { PATH: dirname(process.execPath), TERM: 'dumb', CLOUDPETS_LAB_DIR: labDir },
  });
}

beforeAll(async () => {
  distDir = mkdtempSync(join(tmpdir(), 'cloudpets-bundle-test-'));
  await buildLabBundles({ projectDir, distDir, labs: ['open-door'] });
  // Copy the lab where no node_modules can be found by walking up.
  const work = mkdtempSync(join(tmpdir(), 'cloudpets-bundle-run-'));
  labDir = join(work, 'open-door');
  cpSync(join(distDir, 'labs', 'open-door'), labDir, { recursive: true });
  hookLog = join(distDir, 'required.log');
  writeFileSync(
    join(distDir, 'hook.cjs'),
    `const Module = require('node:module'); const fs = require('node:fs'); const watched = ${JSON.stringify(OPTIONAL_EXTERNALS)};
const load = Module._load; Module._load = function (request, ...rest) { if (watched.includes(request)) fs.appendFileSync(${JSON.stringify(hookLog)}, request + '\\n'); return load.call(this, request, ...rest); };`,
  );
}, 180_000);

afterAll(async () => {
  if (shell) {
    shell.end();
    await shell.exited;
  }
  if (labDir) rmSync(dirname(labDir), { recursive: true, force: true });
  if (distDir) rmSync(distDir, { recursive: true, force: true });
});

describe('lab bundle (open-door)', () => {
  it('holds the starting files, plain JS programs and no node_modules', () => {
    expect(existsSync(join(labDir, 'mongod.conf'))).toBe(true);
    expect(existsSync(join(labDir, 'downloads'))).toBe(true);
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [e.name, ...walk(join(dir, e.name))] : [e.name]));
    expect(walk(labDir)).not.toContain('node_modules');
    for (const program of ['lab-shell', 'lab-control', 'world-process']) expect(existsSync(join(labDir, '.lab', `${program}.mjs`))).toBe(true);
    expect(JSON.parse(readFileSync(join(labDir, '.lab', 'lab.json'), 'utf8'))).toMatchObject({ id: 'open-door' });
    const meta = JSON.parse(readFileSync(join(distDir, 'labs', 'open-door.meta.json'), 'utf8'));
    expect(meta).toMatchObject({ id: 'open-door', editable: expect.any(Array), checks: expect.any(Array) });
    expect(meta.checks.length).toBeGreaterThan(0);
    expect(meta.files).toEqual(expect.arrayContaining(['mongod.conf', 'api/app.js', 'api/.env', 'bucket/policy.json']));
    expect(meta.files.some((path: string) => path.startsWith('.lab/'))).toBe(false);
  });

  it('writes the shared runtime as one content-hashed tree and the lab as a small tree; together they are the lab folder', () => {
    const lab = JSON.parse(readFileSync(join(distDir, 'labs', 'open-door.tree.json'), 'utf8')) as LabTreeFile;
    expect(lab.runtime).toMatch(/^runtime-[a-f0-9]{16}\.tree\.json$/);
    const runtime = JSON.parse(readFileSync(join(distDir, 'labs', lab.runtime), 'utf8')) as JsonTree;
    expect(mergeTrees(runtime, lab.tree)).toEqual(JSON.parse(JSON.stringify(folderToTree(join(distDir, 'labs', 'open-door')))));
    // The lab's own tree holds no program and no recording: those are the runtime's.
    const own = JSON.stringify(lab.tree);
    expect(own).not.toMatch(/lab-shell\.mjs|world-process\.mjs|chunk-|\.wav/);
    expect(Object.keys(lab.tree)).toEqual(expect.arrayContaining(['mongod.conf', 'api', 'bucket', 'downloads', '.lab']));
    const wav = Object.entries((runtime['.lab'] as { directory: JsonTree }).directory).find(([name]) => name.endsWith('.wav'));
    expect(wav?.[1]).toMatchObject({ file: { contents: { base64: expect.stringMatching(/^UklGR/) } } });
    // No shebang scripts, no bash settings: the lab shell is started as `node .lab/lab-shell.mjs`.
    expect(existsSync(join(labDir, '.lab', 'bin'))).toBe(false);
    expect(existsSync(join(labDir, '.lab', 'bashrc'))).toBe(false);
  });

  it('starts the world, scans it and exports the accounts with the bundled tools, without optional driver modules', async () => {
    shell = startShell();
    expect(await shell.type('world start')).toMatch(/running/);
    expect(await shell.type('scan db.cloudpets.test')).toMatch(/27017\/tcp\s+open\s+mongodb/);
    expect(await shell.type('mongoexport --host db.cloudpets.test --db cloudpets --collection users --out downloads/users.json 2>&1')).toMatch(/exported \d+ records/);
    expect(readFileSync(join(labDir, 'downloads', 'users.json'), 'utf8')).toMatch(/@example\.com/);
    expect(existsSync(hookLog) ? readFileSync(hookLog, 'utf8') : '').toBe('');
  });

  it('runs the checks as `checks --json` and returns a report', async () => {
    const printed = await shell!.type('checks --json');
    const report = JSON.parse(printed.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({ lab: 'open-door', total: expect.any(Number), results: expect.any(Array) });
    expect(report.results.find((r: { id: string }) => r.id === 'services-start')?.pass).toBe(true);
  });
});
