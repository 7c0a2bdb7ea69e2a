/**
 * Attaches the local runner to `npm start`'s site server: lab WebSockets through its upgrade
 * hook, the per-start token into every HTML page through its transform hook.
 */
import { join } from 'node:path';
import type { SiteServer } from '../static/site-server.ts';
import { createLocalRunner, type LocalRunner } from './local-runner.ts';

export function attachLocalRunner(site: SiteServer, context: { distDir: string }): LocalRunner {
  const runner = createLocalRunner({ labsDir: join(context.distDir, 'labs') });
  site.onUpgrade((request, socket, head) => runner.handleUpgrade(request, socket, head));
  site.transformHtml((html) => runner.transformHtml(html));
  // Closing the site closes every lab (and kills its processes) first.
  const close = site.close.bind(site);
  site.close = async () => {
    await runner.close();
    await close();
  };
  return runner;
}
