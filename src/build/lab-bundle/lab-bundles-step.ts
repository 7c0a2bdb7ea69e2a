import type { BuildStep } from '../build-step.ts';
import { buildLabBundles } from './build-lab-bundles.ts';

/** The site build's "build lab bundles" step: after the Astro build (which empties dist/). */
export const labBundlesStep: BuildStep = {
  name: 'build lab bundles',
  async run({ projectDir, distDir, log }) {
    const labs = await buildLabBundles({ projectDir, distDir, log });
    log(`${labs.length} lab bundle(s) in ${distDir}/labs`);
  },
};
