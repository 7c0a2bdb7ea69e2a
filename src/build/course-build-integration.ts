/**
 * The course's build steps as an Astro integration (as Starlight adds Pagefind), so that plain
 * `astro build`, `npm run build` and every host's default build command give the whole site:
 * pages, lab bundles, search index and the hosts' header files.
 *
 * Lessons are checked on `astro:build:start`, before Astro renders anything, because Astro's
 * own schema error names only the entry id. Everything that reads the built pages or writes
 * next to them runs on `astro:build:done`. The build stamp is written last, so a build that
 * stopped half-way leaves none and `npm start` rebuilds.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstroIntegration } from 'astro';
import { runBuildSteps, type BuildStep } from './build-step.ts';
import { checkLessonsStep } from './steps/check-lessons-step.ts';
import { buildStampFile } from '../server/static/dist-staleness.ts';

/** Run before Astro renders. */
export const beforeAstroSteps: readonly BuildStep[] = [checkLessonsStep];

/** The steps after Astro, in a process of their own (see after-astro.ts for why). */
function runAfterAstro(projectDir: string, distDir: string, startedAt: number, log: (line: string) => void): Promise<void> {
  const tsx = pathToFileURL(createRequire(join(projectDir, 'package.json')).resolve('tsx')).href;
  const script = join(projectDir, 'src', 'build', 'after-astro.ts');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', tsx, script, projectDir, distDir, String(startedAt)], {
      cwd: projectDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(log));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(errors.trim() || `the steps after astro build exited with code ${code}`))));
  });
}

export function courseBuild(): AstroIntegration {
  let projectDir = process.cwd();
  let distDir = join(projectDir, 'dist');
  let startedAt = Date.now();
  return {
    name: 'cloudpets:course-build',
    hooks: {
      'astro:config:done': ({ config }) => {
        projectDir = fileURLToPath(config.root);
        distDir = fileURLToPath(config.outDir);
      },
      'astro:build:start': async ({ logger }) => {
        startedAt = Date.now();
        await rm(join(distDir, buildStampFile), { force: true });
        await runBuildSteps(beforeAstroSteps, { projectDir, distDir, log: (message) => logger.info(message) });
      },
      'astro:build:done': async ({ dir, logger }) => {
        await runAfterAstro(projectDir, fileURLToPath(dir), startedAt, (line) => logger.info(line));
      },
    },
  };
}
