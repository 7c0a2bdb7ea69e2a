/**
 * Attaches the local runner to `npm start`'s site server: lab WebSockets through its upgrade
 * hook, a "local runner here" flag into every HTML page through its transform hook. The runner
 * checks the site's own secret (the access cookie), so both let in exactly the same browser.
 */
import { join } from 'node:path';
import type { SiteServer } from '../static/site-server.ts';
import { createLocalRunner, type LocalRunner } from './local-runner.ts';

export function attachLocalRunner(site: SiteServer, context: { distDir: string }): LocalRunner {
  const runner = createLocalRunner({ labsDir: join(context.distDir, 'labs'), token: site.secret });
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
