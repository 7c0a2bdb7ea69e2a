/**
 * `npm run classroom -- [--data DIR] [--port N] [--host ADDR] [--url URL] [--course URL]
 * [--workers N] [--new-class NAME]`: the instructor's classroom server. Loopback by default;
 * `--host 0.0.0.0` (or a LAN address) opens it to the room, with `--url` naming the address
 * learners use. The first start creates a class; its join and instructor links are printed
 * on every start (the instructor link is also kept in DATA/instructor-links.txt, mode 0600).
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isLoopbackName } from '../server/static/loopback-host.ts';
import { openSqliteStore, StoreUnavailable } from './sqlite-store.ts';
import { startClassroom } from './server.ts';

const USAGE = `usage: npm run classroom -- [--data DIR] [--port N] [--host ADDR] [--url URL] [--course URL] [--workers N] [--new-class NAME]
  --data DIR        where the class database lives (default ./classroom-data)
  --port N          port (default 4400; 0 picks a free one)
  --host ADDR       address to listen on (default 127.0.0.1; 0.0.0.0 or a LAN address opens it to the room)
  --url URL         the address learners use, when not http://HOST:PORT (a LAN name, a proxy)
  --course URL      the course site learners use (default http://127.0.0.1:4321); repeat for several
  --workers N       hand-ins graded at once (default 1; each starts a whole lab world)
  --new-class NAME  create another class`;

function parse(argv: string[]): Record<string, string[]> | string {
  const out: Record<string, string[]> = {};
  const known = ['--data', '--port', '--host', '--url', '--course', '--workers', '--new-class'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return USAGE;
    if (!known.includes(arg)) return `unknown option ${arg}\n${USAGE}`;
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) return `${arg} needs a value\n${USAGE}`;
    (out[arg.slice(2)] ??= []).push(value);
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'string') {
    process[args === USAGE ? 'stdout' : 'stderr'].write(`${args}\n`);
    return args === USAGE ? 0 : 2;
  }
  const one = (name: string): string | undefined => args[name]?.at(-1);
  const port = Number(one('port') ?? 4400);
  const workers = Number(one('workers') ?? 1);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usage('--port needs a whole number from 0 to 65535');
  if (!Number.isInteger(workers) || workers < 1 || workers > 4) return usage('--workers needs a whole number from 1 to 4');
  const host = one('host') ?? '127.0.0.1';
  const courses = args.course ?? ['http://127.0.0.1:4321'];
  for (const course of [...courses, ...(args.url ?? [])]) {
    try {
      new URL(course);
    } catch {
      return usage(`"${course}" is not a URL (write it as http://host:port)`);
    }
  }
  const data = resolve(one('data') ?? 'classroom-data');
  const store = await openSqliteStore(join(data, 'classroom.sqlite'));
  const classroom = await startClassroom({ store, host, port, courseOrigins: courses, courseUrl: courses[0], publicUrl: one('url'), workers });
  const linksFile = join(data, 'instructor-links.txt');
  const newClasses = args['new-class'] ?? (store.classes().length === 0 ? ['My class'] : []);
  for (const name of newClasses) {
    const made = classroom.createClass(name);
    appendFileSync(linksFile, `${made.cls.code}  ${name}  ${made.instructorUrl}\n`, { mode: 0o600 });
    chmodSync(linksFile, 0o600);
  }
  const links = existsSync(linksFile) ? readFileSync(linksFile, 'utf8') : '';
  const out: string[] = [`CloudPets classroom at ${classroom.url} (data in ${data}, ${workers} grading worker${workers === 1 ? '' : 's'})`];
  if (!isLoopbackName(host)) out.push(`It listens on ${host}: anyone who can reach this machine can open the join page. Instructor pages still need the secret link.`);
  if (!isLoopbackName(host) && !one('url')) out.push('Tip: pass --url http://<this machine\'s LAN address>:<port> so the links below work for learners.');
  for (const cls of store.classes()) {
    const secretLine = links.split('\n').find((line) => line.startsWith(`${cls.code} `));
    out.push('', `Class "${cls.name}" (code ${cls.code})`, `  learners join:   ${classroom.joinUrl(cls)}`);
    out.push(`  instructor link: ${secretLine ? secretLine.split(/\s+/).at(-1) : '(kept in ' + linksFile + ')'}  (keep it secret: it opens the results)`);
  }
  out.push('', `The course must allow this classroom: start it with CLOUDPETS_CLASSROOM_ORIGIN=${new URL(classroom.url).origin} npm start (or build with it set).`);
  process.stdout.write(out.join('\n') + '\n');
  writeFileSync(join(data, 'classroom.url'), `${classroom.url}\n`);

  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write('stopping the classroom (waiting for the grades in progress)…\n');
      void classroom.close().finally(resolveStop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`${message}\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof StoreUnavailable ? error.message : error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
