/**
 * A tiny site server for the local runner tests: serves one HTML page through the runner's
 * transform and hands WebSocket upgrades to it, as src/server/start.ts does.
 */
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalRunner, type LocalRunner, type LocalRunnerOptions } from '../../src/server/local-runner/local-runner.ts';
import { accessCookieName } from '../../src/server/static/access-gate.ts';

/** A trivial built lab: a starting file and one tool on PATH. */
export function makeTrivialLabs(): string {
  const labsDir = mkdtempSync(join(tmpdir(), 'cloudpets-test-labs-'));
  const lab = join(labsDir, 'trivial');
  mkdirSync(join(lab, '.lab', 'bin'), { recursive: true });
  writeFileSync(join(lab, 'notes.txt'), 'starting notes\n');
  writeFileSync(join(lab, '.lab', 'bin', 'hello'), '#!/bin/sh\necho "hello from the lab: $CLOUDPETS_LAB"\n');
  chmodSync(join(lab, '.lab', 'bin', 'hello'), 0o755);
  // Stands in for the real lab-session: starts a "world" detached in its own process group
  // and exits, as the real one does, so the runner must find and kill it on its own.
  writeFileSync(
    join(lab, '.lab', 'lab-session.mjs'),
    "import { spawn } from 'node:child_process';\nif (process.argv[2] === 'start') spawn('sleep', ['977'], { detached: true, stdio: 'ignore' }).unref();\n",
  );
  return labsDir;
}

export interface Harness {
  server: Server;
  runner: LocalRunner;
  port: number;
  origin: string;
  /** The Cookie header a browser sends after opening the address with the secret (what pages' sockets carry). */
  cookie: string;
  /** Where this runner makes its lab folders (every lab process has its CLOUDPETS_LAB_DIR below it). */
  workRoot: string;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<LocalRunnerOptions> & { labsDir: string }): Promise<Harness> {
  const workRoot = realpathSync(mkdtempSync(join(tmpdir(), 'cloudpets-test-runs-')));
  const runner = createLocalRunner({ log: () => undefined, prewarm: false, workRoot, ...options });
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(runner.transformHtml('<!doctype html><html><head><title>t</title></head><body>lab</body></html>'));
  });
  server.on('upgrade', (request, socket, head) => {
    if (!runner.handleUpgrade(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    runner,
    port,
    origin: `http://127.0.0.1:${port}`,
    cookie: `${accessCookieName(port)}=${runner.token}`,
    workRoot,
    async close() {
      await runner.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(workRoot, { recursive: true, force: true });
    },
  };
}
