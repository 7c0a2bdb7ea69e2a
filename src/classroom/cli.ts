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
import { stringList, stringOption, UsageError, type ParsedArgs } from '../../sandboxes/command-line/arguments.ts';
import { readCommandLine, type ProgramSpec } from '../../sandboxes/command-line/read-command-line.ts';

const CLASSROOM: ProgramSpec = {
  name: 'classroom',
  helpCommand: 'npm run classroom -- --help',
  usage: `usage: npm run classroom -- [--data DIR] [--port N] [--host ADDR] [--url URL] [--course URL] [--workers N] [--new-class NAME]
  --data DIR        where the class database lives (default ./classroom-data)
  --port N          port (default 4400; 0 picks a free one)
  --host ADDR       address to listen on (default 127.0.0.1; 0.0.0.0 or a LAN address opens it to the room)
  --url URL         the address learners use, when not http://HOST:PORT (a LAN name, a proxy)
  --course URL      the course site learners use (default http://127.0.0.1:4321); repeat for several
  --workers N       hand-ins graded at once (default 1; each starts a whole lab world)
  --new-class NAME  create another class; repeat for several
  -h, --help        show this help`,
  options: {
    data: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    url: { type: 'string' },
    course: { type: 'string', multiple: true },
    workers: { type: 'string' },
    'new-class': { type: 'string', multiple: true },
  },
};

interface ClassroomArgs {
  data: string;
  port: number;
  host: string;
  url: string | undefined;
  courses: string[];
  workers: number;
  newClasses: string[];
}

function interpret({ values }: ParsedArgs): ClassroomArgs {
  const port = Number(stringOption(values, 'port') ?? 4400);
  const workers = Number(stringOption(values, 'workers') ?? 1);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('classroom: --port needs a whole number from 0 to 65535');
  if (!Number.isInteger(workers) || workers < 1 || workers > 4) throw new UsageError('classroom: --workers needs a whole number from 1 to 4');
  const url = stringOption(values, 'url');
  const courses = stringList(values, 'course');
  if (courses.length === 0) courses.push('http://127.0.0.1:4321');
  for (const address of url === undefined ? courses : [...courses, url]) {
    try {
      new URL(address);
    } catch {
      throw new UsageError(`classroom: "${address}" is not a URL (write it as http://host:port)`);
    }
  }
  return {
    data: resolve(stringOption(values, 'data') ?? 'classroom-data'),
    port,
    host: stringOption(values, 'host') ?? '127.0.0.1',
    url,
    courses,
    workers,
    newClasses: stringList(values, 'new-class'),
  };
}

async function main(argv: string[]): Promise<number> {
  const read = readCommandLine(CLASSROOM, argv, interpret);
  if (!read.ok) return read.exitCode;
  const { data, port, host, url, courses, workers } = read.value;
  // Loaded once the arguments are right: the server brings in the grader, the world and every
  // lab, seconds of loading that --help and a mistyped flag should not wait for.
  const [{ openSqliteStore }, { startClassroom }] = await Promise.all([import('./sqlite-store.ts'), import('./server.ts')]);
  const store = await openSqliteStore(join(data, 'classroom.sqlite'));
  const classroom = await startClassroom({ store, host, port, courseOrigins: courses, courseUrl: courses[0], publicUrl: url, workers });
  const linksFile = join(data, 'instructor-links.txt');
  const newClasses = read.value.newClasses.length > 0 ? read.value.newClasses : store.classes().length === 0 ? ['My class'] : [];
  for (const name of newClasses) {
    const made = classroom.createClass(name);
    appendFileSync(linksFile, `${made.cls.code}  ${name}  ${made.instructorUrl}\n`, { mode: 0o600 });
    chmodSync(linksFile, 0o600);
  }
  const links = existsSync(linksFile) ? readFileSync(linksFile, 'utf8') : '';
  const out: string[] = [`CloudPets classroom at ${classroom.url} (data in ${data}, ${workers} grading worker${workers === 1 ? '' : 's'})`];
  if (!isLoopbackName(host)) out.push(`It listens on ${host}: anyone who can reach this machine can open the join page. Instructor pages still need the secret link.`);
  if (!isLoopbackName(host) && url === undefined) out.push('Tip: pass --url http://<this machine\'s LAN address>:<port> so the links below work for learners.');
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
