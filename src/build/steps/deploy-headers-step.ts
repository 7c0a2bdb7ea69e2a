import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHeadersFile, renderVercelJson } from '../../server/static/deploy-header-files.ts';
import type { BuildStep } from '../build-step.ts';

/** The hosts' header files (Netlify/Cloudflare `_headers`, a headers-only `vercel.json`) in dist/. */
export const deployHeadersStep: BuildStep = {
  name: 'deploy header files',
  async run({ distDir }) {
    await writeFile(join(distDir, '_headers'), renderHeadersFile());
    await writeFile(join(distDir, 'vercel.json'), renderVercelJson('output-dir'));
  },
};
