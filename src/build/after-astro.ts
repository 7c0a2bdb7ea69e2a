/**
 * `node --import tsx src/build/after-astro.ts <projectDir> <distDir>`: the build steps that run
 * on the pages Astro wrote (lab bundles, search index, header files), then the build stamp.
 *
 * A process of its own rather than code inside the Astro hook: the steps load the labs' and
 * tools' TypeScript with import(), and by `astro:build:done` Astro has closed the Vite module
 * runner that its config (and so this integration) was loaded through.
 */
import { runBuildSteps, type BuildStep } from './build-step.ts';
import { searchIndexStep } from './steps/search-index-step.ts';
import { deployHeadersStep } from './steps/deploy-headers-step.ts';
import { labBundlesStep } from './lab-bundle/lab-bundles-step.ts';
import { writeBuildStamp } from '../server/static/dist-staleness.ts';
import { readCommandLine, type ProgramSpec } from '../../sandboxes/command-line/read-command-line.ts';

/** Lab bundles first: the search index skips their folders. */
export const afterAstroSteps: readonly BuildStep[] = [labBundlesStep, searchIndexStep, deployHeadersStep];

const AFTER_ASTRO: ProgramSpec = {
  name: 'after-astro',
  helpCommand: 'node --import tsx src/build/after-astro.ts --help',
  usage: `usage: node --import tsx src/build/after-astro.ts <projectDir> <distDir> [startedAtMs]

The build steps after Astro has written the pages in distDir (lab bundles, search index, header
files), then the build stamp (startedAtMs: when the build began, default now). astro build runs
it; you need not.

  -h, --help    show this help`,
  positionals: ['<projectDir>', '<distDir>', '[startedAtMs]'],
};

async function main(argv: string[]): Promise<number> {
  const read = readCommandLine(AFTER_ASTRO, argv, ({ positionals: [projectDir, distDir, startedAtText] }) => ({ projectDir: projectDir!, distDir: distDir!, startedAtText }));
  if (!read.ok) return read.exitCode;
  const { projectDir, distDir, startedAtText } = read.value;
  await runBuildSteps(afterAstroSteps, { projectDir, distDir, log: (message) => console.log(message) });
  await writeBuildStamp(distDir, { startedAt: Number(startedAtText) || Date.now(), finishedAt: Date.now() });
  return 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
