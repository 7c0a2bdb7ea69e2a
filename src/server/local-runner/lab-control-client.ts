/**
 * The local runner's side of the lab operations (docs/lab-runtime-contract.md): HTTP to the
 * lab shell's control server on loopback, found through `.lab/control.json`. WebContainer
 * cannot open the TCP connection itself and runs `node .lab/lab-control.mjs <op>`, which makes
 * the same requests; Node can, so the runner talks to the server directly.
 */
import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TIMED_OUT_EXIT_CODE } from '../../runtimes/runtime.ts';

export interface ControlEndpoint {
  port: number;
  token: string;
  pid?: number;
}

/** A lab operation that failed; exitCode follows the lab-control CLI (1 failed, 3 no shell, 124 timed out). */
export class LabOperationError extends Error {
  override name = 'LabOperationError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const controlFilePath = (labDir: string): string => join(labDir, '.lab', 'control.json');

export async function readControlEndpoint(labDir: string): Promise<ControlEndpoint> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(controlFilePath(labDir), 'utf8'));
  } catch {
    throw new LabOperationError('no lab shell is running in this lab (no .lab/control.json); open the terminal first', 3);
  }
  const endpoint = parsed as Partial<ControlEndpoint> | null;
  if (!endpoint || !Number.isInteger(endpoint.port) || typeof endpoint.token !== 'string') {
    throw new LabOperationError('.lab/control.json is not a lab shell endpoint ({ port, token, pid })', 3);
  }
  return endpoint as ControlEndpoint;
}

/** One request/response operation; resolves with the parsed JSON body. */
export async function callLabOperation(labDir: string, method: 'GET' | 'POST', path: string, timeoutMs: number): Promise<unknown> {
  const endpoint = await readControlEndpoint(labDir);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: endpoint.port, method, path, headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(new LabOperationError(`the lab shell's answer broke off: ${error.message}`, 1)));
        response.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            reject(new LabOperationError(`the lab shell answered ${path} with something that is not JSON (HTTP ${response.statusCode})`, 1));
            return;
          }
          const failed = body as { ok?: unknown; error?: unknown } | null;
          if (failed && failed.ok === false) reject(new LabOperationError(typeof failed.error === 'string' ? failed.error : `${path} failed`, 1));
          else if ((response.statusCode ?? 500) >= 400) reject(new LabOperationError(`the lab shell refused ${path} (HTTP ${response.statusCode})`, 1));
          else resolve(body);
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new LabOperationError(`${path} did not finish within ${Math.round(timeoutMs / 1000)} s`, TIMED_OUT_EXIT_CODE));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      const gone = (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
      reject(new LabOperationError(gone ? 'the lab shell is not running any more; press Enter in the terminal to start a new one' : `the lab shell could not be reached: ${error.message}`, gone ? 3 : 1));
    });
    req.end();
  });
}

/**
 * Follows `GET /reports` (one JSON line per new report) until stop() is called or the lab
 * shell goes away. Lines that are not JSON are skipped: they cannot be reports.
 */
export function followReports(endpoint: ControlEndpoint, onReport: (report: unknown) => void, onEnd: () => void): { stop(): void } {
  let buffered = '';
  const req = request({ host: '127.0.0.1', port: endpoint.port, method: 'GET', path: '/reports', headers: { authorization: `Bearer ${endpoint.token}` } }, (response) => {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffered += chunk;
      // A line of a report is bounded; a server that never sends a newline must not grow this forever.
      if (buffered.length > 8 * 1024 * 1024) buffered = '';
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        try {
          onReport(JSON.parse(line));
        } catch {
          // not a report
        }
      }
    });
    response.on('error', () => undefined);
    response.on('close', onEnd);
  });
  req.on('error', onEnd);
  req.end();
  return { stop: () => req.destroy() };
}
