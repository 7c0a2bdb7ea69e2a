/**
 * World figures: the dataset generator at the full leak size (streamed, bounded memory),
 * seeding + starting a world at the default size, and the bucket's anonymous GET rate.
 * `npm run bench -- world` (add WORLD_BENCH_FULL_SEED=1 to also seed a full-size world).
 */
import { rmSync } from 'node:fs';
import http from 'node:http';
import { COLLECTIONS, FULL_USERS, documents, recordingsOf } from '../sandboxes/world/dataset/generate.ts';
import { initLabFolder, startWorld } from '../sandboxes/world/index.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainModule } from '../sandboxes/command-line/main-module.ts';
import { readCommandLine, type ProgramSpec } from '../sandboxes/command-line/read-command-line.ts';

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function get(port: number, path: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent, headers: { host: 'bucket.cloudpets.test' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

async function fullDataset(): Promise<void> {
  const options = { seed: 2016, users: FULL_USERS };
  let peak = process.memoryUsage().rss;
  for (const name of COLLECTIONS) {
    const started = performance.now();
    let n = 0;
    for (const _ of documents(options, name)) {
      if (++n % 200_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    console.log(`dataset full size: ${name.padEnd(10)} ${String(n).padStart(9)} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(`dataset full size: peak RSS while streaming ${mb(peak)}`);
}

async function defaultWorld(): Promise<void> {
  const labDir = mkdtempSync(join(tmpdir(), 'bench-world-'));
  initLabFolder(labDir);
  let started = performance.now();
  const world = await startWorld({ labDir });
  console.log(`world: first start (seeding ${world.seeded.dataset.users} users) ${(performance.now() - started).toFixed(0)} ms`);
  await world.close();
  started = performance.now();
  const again = await startWorld({ labDir });
  console.log(`world: restart (already seeded) ${(performance.now() - started).toFixed(0)} ms`);

  const keys = Array.from({ length: 200 }, (_, i) => recordingsOf(again.seeded.dataset, i)[0]!.doc.key);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const total = 2000;
  started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < total) {
        const key = keys[next++ % keys.length]!;
        if ((await get(again.bucket.port, `/${key}`, agent)) !== 200) throw new Error('bucket GET failed');
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`bucket: ${total} anonymous GETs of ~60 KB WAVs, 8 at a time: ${(total / seconds).toFixed(0)} req/s`);
  agent.destroy();
  await again.close();
  rmSync(labDir, { recursive: true, force: true });
}

async function fullWorld(): Promise<void> {
  const labDir = mkdtempSync(join(tmpdir(), 'bench-world-full-'));
  initLabFolder(labDir);
  const started = performance.now();
  const world = await startWorld({ labDir, users: FULL_USERS });
  console.log(`world: first start at full size (${FULL_USERS} users) ${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${mb(process.memoryUsage().rss)}`);
  await world.close();
  rmSync(labDir, { recursive: true, force: true });
}

export async function run(): Promise<void> {
  await fullDataset();
  await defaultWorld();
  if (process.env.WORLD_BENCH_FULL_SEED === '1') await fullWorld();
}

const BENCH_WORLD: ProgramSpec = {
  name: 'bench-world',
  helpCommand: 'npx tsx bench/world.ts --help',
  usage: `usage: npx tsx bench/world.ts   (or npm run bench -- world)

Prints the world's figures: the dataset generator at full size, seeding and starting a world
at the default size, the bucket's anonymous GET rate. WORLD_BENCH_FULL_SEED=1 also seeds a
full-size world.

  -h, --help    show this help`,
};

if (isMainModule(import.meta.url)) {
  const read = readCommandLine(BENCH_WORLD, process.argv.slice(2), () => undefined);
  if (read.ok) await run();
  else process.exitCode = read.exitCode;
}
