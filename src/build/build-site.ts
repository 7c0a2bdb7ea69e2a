/**
 * Builds the whole static site into a folder by running `astro build`: the course's own steps
 * (lesson check, lab bundles, search index, header files, build stamp) run inside it through
 * the integration in course-build-integration.ts. Used by `npm start` when dist/ is stale and
 * by the tests that need a built site in a temporary folder.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { buildStampFile } from '../server/static/dist-staleness.ts';

export type { BuildContext, BuildStep } from './build-step.ts';

const require = createRequire(import.meta.url);

export async function buildSite(options: { projectDir: string; distDir?: string; log?: (message: string) => void }): Promise<void> {
  const projectDir = resolve(options.projectDir);
  const distDir = resolve(options.distDir ?? join(projectDir, 'dist'));
  const log = options.log ?? ((message: string) => console.log(message));
  // A build that fails half-way must not leave an old stamp beside new files.
  await rm(join(distDir, buildStampFile), { force: true });
  const astroBin = join(require.resolve('astro/package.json', { paths: [projectDir] }), '..', 'bin', 'astro.mjs');
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, [astroBin, 'build', '--outDir', distDir], {
      cwd: projectDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // The course must build with the network cut off: no telemetry, no update checks.
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(line);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (code === 0) done();
      else fail(new Error(`astro build exited with ${signal ?? `code ${code}`}:\n${tail.trim()}`));
    });
  });
}
