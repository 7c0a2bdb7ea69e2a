import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';
import { checkLessons } from '../content/lesson-files';
import { renderHeadersFile, renderVercelJson } from '../server/static/deploy-header-files';
import { buildStampFile, writeBuildStamp } from '../server/static/dist-staleness';
import { labBundlesStep } from './lab-bundle/lab-bundles-step';

/**
 * `npm run build`: the whole static site in dist/, ready for `npm start` or a static host.
 * The build is a list of steps run in order; a step that throws stops the build with its
 * name. Later parts add their own step to `siteBuildSteps` (e.g. "build lab bundles" after
 * the Astro build, which empties dist/ first).
 */
export interface BuildContext {
  projectDir: string;
  distDir: string;
  log(message: string): void;
}

export interface BuildStep {
  name: string;
  run(context: BuildContext): Promise<void>;
}

const require = createRequire(import.meta.url);

function runNode(args: string[], cwd: string): Promise<void> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: 'inherit',
      // The course must build with the network cut off: no telemetry, no update checks.
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    child.on('error', rejectRun);
    child.on('exit', (code, signal) => {
      if (code === 0) resolveRun();
      else rejectRun(new Error(`${args.join(' ')} exited with ${signal ?? `code ${code}`}`));
    });
  });
}

/** Fail fast, naming file and field, before Astro starts (its own message names only the entry id). */
export const checkLessonsStep: BuildStep = {
  name: 'check lesson frontmatter',
  async run({ projectDir, log }) {
    const override = process.env.CLOUDPETS_LESSONS_DIR;
    const lessons = await checkLessons(projectDir, override ? resolve(projectDir, override) : undefined);
    log(`${lessons.length} lesson(s) valid`);
  },
};

export const astroBuildStep: BuildStep = {
  name: 'astro build',
  async run({ projectDir, distDir }) {
    const astroBin = join(require.resolve('astro/package.json', { paths: [projectDir] }), '..', 'bin', 'astro.mjs');
    await runNode([astroBin, 'build', '--outDir', distDir], projectDir);
  },
};

export const searchIndexStep: BuildStep = {
  name: 'pagefind search index',
  async run({ distDir, log }) {
    const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
    if (!index) throw new Error(`pagefind could not start: ${errors.join('; ')}`);
    try {
      const added = await index.addDirectory({ path: distDir });
      if (added.errors.length > 0) throw new Error(`pagefind: ${added.errors.join('; ')}`);
      const written = await index.writeFiles({ outputPath: join(distDir, 'pagefind') });
      if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join('; ')}`);
      log(`indexed ${added.page_count} page(s)`);
    } finally {
      await pagefind.close();
    }
  },
};

export const deployHeadersStep: BuildStep = {
  name: 'deploy header files',
  async run({ distDir }) {
    await writeFile(join(distDir, '_headers'), renderHeadersFile());
    await writeFile(join(distDir, 'vercel.json'), renderVercelJson('output-dir'));
  },
};

export const siteBuildSteps: BuildStep[] = [checkLessonsStep, astroBuildStep, labBundlesStep, searchIndexStep, deployHeadersStep];

export async function buildSite(options: { projectDir: string; distDir?: string; steps?: BuildStep[]; log?: (message: string) => void }): Promise<void> {
  const projectDir = resolve(options.projectDir);
  const distDir = resolve(options.distDir ?? join(projectDir, 'dist'));
  const log = options.log ?? ((message: string) => console.log(message));
  const startedAt = Date.now();
  // A build that fails half-way must not leave an old stamp beside new files.
  await rm(join(distDir, buildStampFile), { force: true });
  for (const step of options.steps ?? siteBuildSteps) {
    const stepStart = Date.now();
    log(`build: ${step.name}`);
    try {
      await step.run({ projectDir, distDir, log: (message) => log(`  ${message}`) });
    } catch (error) {
      throw new Error(`build step "${step.name}" failed: ${(error as Error).message}`, { cause: error });
    }
    log(`build: ${step.name} done in ${((Date.now() - stepStart) / 1000).toFixed(1)} s`);
  }
  // Written last: a build that failed half-way leaves no stamp, so `npm start` rebuilds.
  await writeBuildStamp(distDir, { startedAt, finishedAt: Date.now() });
}

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildSite({ projectDir: projectRoot }).catch((error: unknown) => {
    console.error(`\n${(error as Error).message}`);
    process.exit(1);
  });
}
