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
import { stringOption, UsageError, type ParsedArgs } from '../command-line/arguments.ts';
import { readCommandLine, type ProgramSpec } from '../command-line/read-command-line.ts';

const OPS: Record<string, { method: string; path: string; timeoutS: number }> = {
  status: { method: 'GET', path: '/status', timeoutS: 10 },
  'restart-world': { method: 'POST', path: '/world/restart', timeoutS: 60 },
  'run-checks': { method: 'POST', path: '/checks', timeoutS: 300 },
  'follow-reports': { method: 'GET', path: '/reports', timeoutS: 0 },
};
const OP_NAMES = Object.keys(OPS).join(', ');
const LAB_CONTROL: ProgramSpec = {
  name: 'lab-control',
  helpCommand: 'node .lab/lab-control.mjs --help',
  usage: `usage: node .lab/lab-control.mjs ${Object.keys(OPS).join('|')} [--timeout SECONDS]

Asks the lab shell running in this folder for a lab operation and prints its answer as one
JSON line. Exit 0 done, 1 the operation failed, 2 usage, 3 no lab shell runs here, 124 timed out.

  status            the lab shell's and the world's state
  restart-world     stop the world and start it again from the lab's files
  run-checks        run the lab's checks (exit 0 whether or not they pass)
  follow-reports    print each new check report as it comes, until killed
  --timeout SECONDS give up after this long (defaults: status 10, restart-world 60, run-checks 300, follow-reports none)
  -h, --help        show this help`,
  options: { timeout: { type: 'string' } },
  positionals: ['[operation]'],
};

function interpret({ values, positionals }: ParsedArgs): { op: string; spec: (typeof OPS)[string]; timeoutS: number } {
  const op = positionals[0];
  if (op === undefined) throw new UsageError(`lab-control: name an operation: ${OP_NAMES}`);
  // Own keys only: 'constructor' is no operation.
  const spec = Object.hasOwn(OPS, op) ? OPS[op] : undefined;
  if (!spec) throw new UsageError(`lab-control: unknown operation '${op}'; choose one of ${OP_NAMES}`);
  const timeoutText = stringOption(values, 'timeout');
  if (timeoutText === undefined) return { op, spec, timeoutS: spec.timeoutS };
  const timeoutS = Number(timeoutText);
  if (timeoutText.trim() === '' || !(timeoutS > 0)) throw new UsageError(`lab-control: --timeout must be a number of seconds above 0, got '${timeoutText}'`);
  return { op, spec, timeoutS };
}

function say(body: unknown): void {
  process.stdout.write(JSON.stringify(body) + '\n');
}

async function main(argv: string[]): Promise<number> {
  const read = readCommandLine(LAB_CONTROL, argv, interpret);
  if (!read.ok) return read.exitCode;
  const { op, spec, timeoutS } = read.value;
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
