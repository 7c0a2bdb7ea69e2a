/**
 * The lab operations of a running lab shell over HTTP on 127.0.0.1 (docs/lab-runtime-contract.md,
 * "Lab operations"): status, restart the world, run the checks, follow new reports. Its
 * address and a random token go to `.lab/control.json` (mode 0600), removed on close. The
 * operations themselves are handed in, so this layer does not depend on the checks.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AddressInfo } from 'node:net';
import { controlInfoPath, type WorldInfo } from '../lab-folder/paths.ts';

export interface ControlInfo {
  port: number;
  token: string;
  pid: number;
}

export interface LabOperations {
  status(): { world: WorldInfo | { status: 'stopped' } };
  restartWorld(): Promise<{ ok: true; world: WorldInfo } | { ok: false; error: string }>;
  /** Runs the checks; resolves to the CheckReport (as plain JSON). */
  runChecks(): Promise<unknown>;
  /** Calls back with every new CheckReport however the checks were run; returns the unsubscribe. */
  onReport(listener: (report: unknown) => void): () => void;
}

export interface ControlServer {
  info: ControlInfo;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text + '\n');
}

function authorised(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startControlServer(labDir: string, ops: LabOperations): Promise<ControlServer> {
  const token = randomBytes(24).toString('hex');
  const followers = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (!authorised(req, token)) return send(res, 401, { ok: false, error: 'missing or wrong token (see .lab/control.json)' });
    const route = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    const fail = (error: unknown): void => send(res, 500, { ok: false, error: error instanceof Error ? error.message : String(error) });
    switch (route) {
      case 'GET /status':
        return send(res, 200, { ok: true, shell: { pid: process.pid }, ...ops.status() });
      case 'POST /world/restart':
        ops.restartWorld().then((result) => send(res, 200, result), fail);
        return;
      case 'POST /checks':
        ops.runChecks().then((report) => send(res, 200, report), fail);
        return;
      case 'GET /reports': {
        res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
        res.flushHeaders();
        followers.add(res);
        const off = ops.onReport((report) => res.write(JSON.stringify(report) + '\n'));
        res.on('close', () => {
          off();
          followers.delete(res);
        });
        return;
      }
      default:
        return send(res, 404, { ok: false, error: `no operation ${route}; see docs/lab-runtime-contract.md` });
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const info: ControlInfo = { port: (server.address() as AddressInfo).port, token, pid: process.pid };
  const path = controlInfoPath(labDir);
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(info) + '\n', { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  return {
    info,
    close: async () => {
      // Only our own file: a newer lab shell in the same folder may have replaced it.
      try {
        if ((JSON.parse(readFileSync(path, 'utf8')) as ControlInfo).token === token) rmSync(path, { force: true });
      } catch {
        // already gone
      }
      for (const res of followers) res.end();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Removes control.json synchronously (process exit, where nothing async runs any more). */
export function removeControlInfoSync(labDir: string, token: string): void {
  const path = controlInfoPath(labDir);
  try {
    if ((JSON.parse(readFileSync(path, 'utf8')) as ControlInfo).token === token) rmSync(path, { force: true });
  } catch {
    // already gone
  }
}
