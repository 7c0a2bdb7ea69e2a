/**
 * `npm run bench`: runs every bench/*.ts module's exported run() in turn; each prints its own
 * figures. Benchmarks print numbers, they never pass or fail on time.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

for (const file of modules) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') {
    console.log(`bench/${file}: no run() export, skipped`);
    continue;
  }
  console.log(`\n== bench/${file}`);
  await mod.run();
}
