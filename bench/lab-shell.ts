/**
 * The lab shell on its own, started as the runtimes start it (`node .lab/lab-shell.mjs` with a
 * terminal, from a built lab bundle): time from spawn to the ready signal (median of 5, world
 * start included only as far as the shell waits for it: it does not), the shell's memory (RSS,
 * from /proc where there is one) with its world up, and the size of the shell's own code.
 */
import * as pty from '@lydell/node-pty';
import { build } from 'esbuild';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildLabBundles, OPTIONAL_EXTERNALS } from '../src/build/lab-bundle/build-lab-bundles.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.BENCH_LAB_SHELL_RUNS ?? 5);
const READY = '\x1b]654;cloudpets-ready\x07';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

function rssOf(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function startOnce(labDir: string): Promise<{ readyMs: number; rssReady?: number; rssWorld?: number }> {
  const started = performance.now();
  const term = pty.spawn(process.execPath, ['--no-addons', '.lab/lab-shell.mjs'], { cols: 120, rows: 30, cwd: labDir, env: { PATH: process.env.PATH ?? '', TERM: 'xterm-256color', CLOUDPETS_LAB_DIR: labDir } });
  let out = '';
  term.onData((data) => (out += data));
  const until = async (condition: () => boolean): Promise<void> => {
    while (!condition()) await new Promise((done) => setTimeout(done, 5));
  };
  await until(() => out.includes(READY));
  const readyMs = performance.now() - started;
  const rssReady = rssOf(term.pid);
  // A first command waits for the world: then the shell holds its world child and the tools.
  term.write('world status\r');
  await until(() => /lab services running/.test(out));
  const rssWorld = rssOf(term.pid);
  term.write('exit 0\r');
  await new Promise<void>((done) => term.onExit(() => done()));
  return { readyMs, rssReady, rssWorld };
}

/** The lab shell's own code (parser, interpreter, commands), minified and gzipped. */
async function ownCodeSize(): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    entryPoints: [join(ROOT, 'sandboxes/lab-shell/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    external: OPTIONAL_EXTERNALS,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile!.outputs)[0]!;
  const own = Object.entries(output.inputs)
    .filter(([path]) => path.includes('sandboxes/lab-shell/'))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  const text = result.outputFiles![0]!.contents;
  const ratio = gzipSync(text).length / text.length;
  return { minified: own, gzipped: Math.round(own * ratio) };
}

export async function run(): Promise<void> {
  const dist = mkdtempSync(join(tmpdir(), 'cloudpets-bench-shell-'));
  try {
    await buildLabBundles({ projectDir: ROOT, distDir: dist, labs: ['recon'] });
    const runs: Awaited<ReturnType<typeof startOnce>>[] = [];
    for (let i = 0; i < RUNS; i++) {
      const lab = join(dist, `run-${i}`);
      cpSync(join(dist, 'labs', 'recon'), lab, { recursive: true });
      runs.push(await startOnce(lab));
    }
    const mib = (bytes?: number) => (bytes === undefined ? 'n/a (no /proc)' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);
    console.log(`lab shell start to ready signal: median ${median(runs.map((r) => r.readyMs)).toFixed(0)} ms over ${RUNS} runs (${runs.map((r) => r.readyMs.toFixed(0)).join(', ')})`);
    const ready = runs.map((r) => r.rssReady).filter((v): v is number => v !== undefined);
    const world = runs.map((r) => r.rssWorld).filter((v): v is number => v !== undefined);
    console.log(`lab shell memory (RSS): ${mib(ready.length ? median(ready) : undefined)} at the prompt, ${mib(world.length ? median(world) : undefined)} with its world up (world process not included)`);
    const size = await ownCodeSize();
    console.log(`lab shell's own code: ${kib(size.minified)} minified, about ${kib(size.gzipped)} gzipped`);
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
}
