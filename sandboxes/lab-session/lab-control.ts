/**
 * `node .lab/lab-control.mjs <op> [--timeout S]`: the lab operations of the lab shell running in
 * this folder, for runtimes that cannot open a TCP connection themselves (WebContainer). Prints
 * the answer as one JSON line. Exit codes (docs/lab-runtime-contract.md): 0 done, 1 the
 * operation failed, 2 usage, 3 no lab shell runs here, 124 timed out.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { controlInfoPath } from '../lab-folder/paths.ts';
import { locateLabDir } from '../lab-folder/locate.ts';
import type { ControlInfo } from './control-server.ts';

const OPS: Record<string, { method: string; path: string; timeoutS: number }> = {
  status: { method: 'GET', path: '/status', timeoutS: 10 },
  'restart-world': { method: 'POST', path: '/world/restart', timeoutS: 60 },
  'run-checks': { method: 'POST', path: '/checks', timeoutS: 300 },
  'follow-reports': { method: 'GET', path: '/reports', timeoutS: 0 },
};
const USAGE = `usage: lab-control ${Object.keys(OPS).join('|')} [--timeout SECONDS]`;

function say(body: unknown): void {
  process.stdout.write(JSON.stringify(body) + '\n');
}

async function main(argv: string[]): Promise<number> {
  const [op, ...rest] = argv;
  const spec = op ? OPS[op] : undefined;
  let timeoutS = spec?.timeoutS ?? 0;
  if (rest[0] === '--timeout') timeoutS = Number(rest[1]);
  if (!spec || (rest.length > 0 && (rest.length !== 2 || rest[0] !== '--timeout' || !(timeoutS > 0)))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let control: ControlInfo;
  try {
    const labDir = locateLabDir(process.cwd());
    control = JSON.parse(readFileSync(controlInfoPath(labDir), 'utf8')) as ControlInfo;
  } catch {
    say({ ok: false, error: 'no lab shell is running in this folder (no .lab/control.json)' });
    return 3;
  }
  return new Promise<number>((done) => {
    const req = request({ host: '127.0.0.1', port: control.port, method: spec.method, path: spec.path, headers: { authorization: `Bearer ${control.token}` } }, (res) => {
      res.setEncoding('utf8');
      if (op === 'follow-reports') {
        // One JSON line per report, as the server sends them, until killed.
        res.on('data', (text: string) => process.stdout.write(text));
        res.on('end', () => done(res.statusCode === 200 ? 0 : 1));
        return;
      }
      let body = '';
      res.on('data', (text: string) => (body += text));
      res.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = { ok: false, error: `the lab shell answered something that is not JSON (HTTP ${res.statusCode})` };
        }
        say(parsed);
        const failed = res.statusCode !== 200 || (parsed as { ok?: unknown }).ok === false;
        done(failed ? 1 : 0);
      });
    });
    if (timeoutS > 0) {
      req.setTimeout(timeoutS * 1000, () => {
        say({ ok: false, error: `${op} timed out after ${timeoutS} s` });
        req.destroy();
        done(124);
      });
    }
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') {
        say({ ok: false, error: 'no lab shell is running in this folder (.lab/control.json is stale)' });
        done(3);
      } else {
        say({ ok: false, error: error.message });
        done(1);
      }
    });
    req.end();
  });
}

main(process.argv.slice(2)).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    say({ ok: false, error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
