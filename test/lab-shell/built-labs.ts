/**
 * Built lab bundles for the lab-shell suites, built once per change of the sources and reused
 * (node_modules/.cache/cloudpets-lab-shell/<hash>): building takes tens of seconds on two cores.
 * Each test gets a fresh copy of one lab's folder with a small world.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLabBundles } from '../../src/build/lab-bundle/build-lab-bundles.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'cloudpets-lab-shell');

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, path);
    else if (entry.isFile()) hash.update(path).update(readFileSync(path));
  }
}

let built: Promise<string> | undefined;

/** The folder holding labs/<id>/ for every lab, built from the current sources. */
export function builtLabs(): Promise<string> {
  built ??= (async () => {
    const hash = createHash('sha256');
    hashTree(hash, join(ROOT, 'sandboxes'));
    hashTree(hash, join(ROOT, 'src', 'build', 'lab-bundle'));
    const target = join(CACHE, hash.digest('hex').slice(0, 16));
    if (existsSync(join(target, 'labs'))) return target;
    mkdirSync(CACHE, { recursive: true });
    const staging = mkdtempSync(join(CACHE, 'building-'));
    await buildLabBundles({ projectDir: ROOT, distDir: staging });
    try {
      renameSync(staging, target);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another suite built it first
    }
    return target;
  })();
  return built;
}

/** A fresh lab folder copied from the built bundle, with a small world (150 accounts, as test/labs). */
export async function freshBuiltLab(labId: string, users = 150): Promise<string> {
  const dist = await builtLabs();
  const dir = join(mkdtempSync(join(tmpdir(), `cloudpets-wc-${labId}-`)), labId);
  cpSync(join(dist, 'labs', labId), dir, { recursive: true });
  const infoPath = join(dir, '.lab', 'lab.json');
  const info = JSON.parse(readFileSync(infoPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(infoPath, JSON.stringify({ ...info, world: { users } }, null, 2) + '\n');
  return dir;
}
