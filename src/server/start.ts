import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite } from '../build/build-site';
import { withBuildLock } from './static/build-lock';
import { distStaleness } from './static/dist-staleness';
import { createSiteServer, PortInUseError, type SiteServer } from './static/site-server';
import { attachLocalRunner } from './local-runner/attach';
import { shutdownOnSignals } from './shutdown-on-signals.ts';
import { isLoopbackName } from './static/loopback-host.ts';
import { AccessSecretError, loadOrCreateSecret } from './static/access-secret.ts';
import { isMainModule } from '../../sandboxes/command-line/main-module.ts';
import { readCommandLine, type ProgramSpec } from '../../sandboxes/command-line/read-command-line.ts';

/**
 * `npm start`: the course on this computer, offline. Rebuilds dist/ when it is stale (see
 * dist-staleness.ts for the rule), then serves it on 127.0.0.1 with the isolation headers.
 *
 * Environment: PORT (default 4321; 0 = any free port), HOST (default 127.0.0.1; must be a
 * loopback address: the labs are vulnerable on purpose and must not be reachable from the
 * network), CLOUDPETS_SKIP_BUILD=1 to serve dist/ as it is.
 */

/**
 * Parts that attach to the running server (the local runner adds its WebSocket endpoint and
 * marks HTML pages here; it checks the same secret, `site.secret`). Each runs once, after the server is created and before it listens.
 */
export type SiteAttachment = (site: SiteServer, context: { projectDir: string; distDir: string }) => void | Promise<void>;
export const siteAttachments: SiteAttachment[] = [(site, context) => void attachLocalRunner(site, context)];

export class StartConfigError extends Error {}

export function parsePort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 4321;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartConfigError(`PORT must be a whole number from 0 to 65535 (0 picks a free port); got "${value}"`);
  }
  return port;
}

export function parseHost(value: string | undefined): string {
  const host = value?.trim() || '127.0.0.1';
  // The same rule the server applies to Host headers, so a HOST it accepts is one it serves.
  if (isLoopbackName(host) && !host.endsWith('.localhost')) return host;
  throw new StartConfigError(`HOST must be a loopback address such as 127.0.0.1 (the labs are deliberately vulnerable and must not be reachable from the network); got "${value}"`);
}

/** Build dist/ when it is stale; safe to call from several processes at once (one builds). */
export async function ensureBuilt(projectDir: string, log: (message: string) => void = (message) => console.log(message)): Promise<void> {
  const distDir = join(projectDir, 'dist');
  if (!(await distStaleness(projectDir, distDir)).stale) return;
  await withBuildLock(join(projectDir, 'node_modules', '.cloudpets-build-lock'), async () => {
    // Re-check under the lock: another process may have just finished the same build.
    const staleness = await distStaleness(projectDir, distDir);
    if (!staleness.stale) return;
    log(`Building the course (${staleness.reason})...`);
    await buildSite({ projectDir, distDir, log });
  }, { onWait: () => log('Waiting for another build of the course to finish...') });
}

export async function startSite(options: {
  projectDir: string;
  port?: number;
  host?: string;
  skipBuild?: boolean;
  /** Where the secret is kept; default $XDG_RUNTIME_DIR or ~/.cache (see access-secret.ts). */
  secretDir?: string;
  log?: (message: string) => void;
}) {
  const log = options.log ?? ((message: string) => console.log(message));
  const projectDir = resolve(options.projectDir);
  const distDir = join(projectDir, 'dist');
  if (!options.skipBuild) await ensureBuilt(projectDir, log);
  const { secret, file: secretFile } = loadOrCreateSecret(options.secretDir);
  const site = createSiteServer({ distDir, port: options.port ?? 4321, host: options.host ?? '127.0.0.1', secret, secretFile });
  for (const attach of siteAttachments) await attach(site, { projectDir, distDir });
  const { url, entryUrl, port } = await site.listen();
  return { site, url, entryUrl, port, secretFile };
}

async function main(): Promise<void> {
  const projectDir = fileURLToPath(new URL('../..', import.meta.url));
  const port = parsePort(process.env.PORT);
  const host = parseHost(process.env.HOST);
  const { site, entryUrl, secretFile } = await startSite({ projectDir, port, host, skipBuild: process.env.CLOUDPETS_SKIP_BUILD === '1' });
  // Browsers treat both names as a secure context; localhost is easier to type.
  const shown = entryUrl.replace('://127.0.0.1:', '://localhost:');
  console.log(
    `\nCloudPets Breach Lab is running at ${shown}\n` +
      `Open that whole address: the secret in it lets only your browser in (it is also in ${secretFile}, readable only by you). It works offline. Press Ctrl+C to stop.`,
  );
  shutdownOnSignals(() => site.close());
}

const START: ProgramSpec = {
  name: 'npm start',
  helpCommand: 'npm start -- --help',
  usage: `usage: npm start

Serves the course on this computer, offline, rebuilding it first when the build is older than
the sources. It takes no options; these environment variables change what it does:

  PORT=N                    port to listen on (default 4321; 0 picks a free port)
  HOST=ADDR                 loopback address to listen on (default 127.0.0.1; only loopback:
                            the labs are deliberately vulnerable)
  CLOUDPETS_SKIP_BUILD=1    serve dist/ as it is, without rebuilding
  CLOUDPETS_CLASSROOM_ORIGIN=URL
                            a classroom server the course may send hand-ins to (what
                            npm run classroom prints); comma-separated for several
  -h, --help                show this help`,
};

if (isMainModule(import.meta.url)) {
  const read = readCommandLine(START, process.argv.slice(2), () => undefined);
  if (!read.ok) {
    process.exitCode = read.exitCode;
  } else {
    main().catch((error: unknown) => {
      const message = error instanceof StartConfigError || error instanceof PortInUseError || error instanceof AccessSecretError ? error.message : (error as Error).stack ?? String(error);
      console.error(`npm start: ${message}`);
      process.exit(1);
    });
  }
}
