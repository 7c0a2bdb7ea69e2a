import { join } from 'node:path';
import * as pagefind from 'pagefind';
import type { BuildStep } from '../build-step.ts';

/** Pagefind's index of the built pages, as Starlight builds it: after Astro has written them. */
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
