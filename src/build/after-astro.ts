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

/** Lab bundles first: the search index skips their folders. */
export const afterAstroSteps: readonly BuildStep[] = [labBundlesStep, searchIndexStep, deployHeadersStep];

async function main(argv: string[]): Promise<void> {
  const [projectDir, distDir, startedAtText] = argv;
  if (!projectDir || !distDir) throw new Error('usage: after-astro.ts <projectDir> <distDir> [startedAtMs]');
  await runBuildSteps(afterAstroSteps, { projectDir, distDir, log: (message) => console.log(message) });
  await writeBuildStamp(distDir, { startedAt: Number(startedAtText) || Date.now(), finishedAt: Date.now() });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
