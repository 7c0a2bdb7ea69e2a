/**
 * `lab-session start|stop|restart|status [--lab DIR] [--json]`: the world of a lab folder as a
 * background process. In a lab folder the runtime puts this on PATH as `world`.
 * Prints one line (JSON with --json); exit 0 when the world is ready (start/restart/status).
 */
import { resolve } from 'node:path';
import { labWorldStatus, restartLabWorld, startLabWorld, stopLabWorld } from './session.ts';
import { locateLabDir } from '../lab-folder/locate.ts';

const USAGE = 'usage: world start|stop|restart|status [--lab DIR] [--json]';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const labIndex = argv.indexOf('--lab');
  const labArg = labIndex >= 0 ? argv[labIndex + 1] : undefined;
  if (labIndex >= 0 && !labArg) {
    process.stderr.write(`--lab needs a folder\n${USAGE}\n`);
    return 2;
  }
  const rest = argv.filter((arg, i) => arg !== '--json' && (labIndex < 0 || (i !== labIndex && i !== labIndex + 1)));
  const action = rest[0];
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n  start    start the lab's services in the background\n  restart  restart them with your current files\n  stop     stop them\n  status   say whether they run\n`);
    return 0;
  }
  if (!action || !['start', 'stop', 'restart', 'status'].includes(action) || rest.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let labDir: string;
  try {
    labDir = labArg ? resolve(labArg) : locateLabDir(process.cwd());
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const say = (ok: boolean, text: string, extra: Record<string, unknown> = {}): number => {
    if (json) process.stdout.write(JSON.stringify({ ok, message: text, ...extra }) + '\n');
    else (ok ? process.stdout : process.stderr).write(`${text}\n`);
    return ok ? 0 : 1;
  };
  if (action === 'stop') {
    const stopped = await stopLabWorld(labDir);
    return say(true, stopped ? 'lab services stopped' : 'lab services were not running');
  }
  if (action === 'status') {
    const info = labWorldStatus(labDir);
    return info?.status === 'ready' ? say(true, `lab services running (pid ${info.pid})`, { world: info }) : say(false, 'lab services are not running');
  }
  const result = action === 'start' ? await startLabWorld(labDir) : await restartLabWorld(labDir);
  if (result.ok) {
    // A lab's one-time setup (the backup before the raid, the theft to investigate) runs on the
    // first start of a fresh lab folder, so the learner meets the lab in its story state.
    const { labIdOf, ensureLabSetup } = await import('../checks/run-checks.ts');
    const { findLab } = await import('../checks/registry.ts');
    const lab = findLab(labIdOf(labDir));
    const setup = lab ? await ensureLabSetup(lab, labDir) : { ok: true as const };
    if (!setup.ok) return say(false, `lab services started, but the lab setup failed: ${setup.error}`, { world: result.info, error: setup.error });
  }
  if (result.ok) return say(true, `lab services ${action === 'start' ? 'running' : 'restarted'} (pid ${result.info.pid})`, { world: result.info });
  return say(false, `lab services did not start: ${result.error}`, { error: result.error });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(70);
  },
);
