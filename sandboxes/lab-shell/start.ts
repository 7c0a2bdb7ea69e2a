/**
 * The lab shell's session: finds the lab folder, starts its host (the world as a child, the
 * control server with .lab/control.json) and runs the terminal until `exit` or Ctrl+D, then
 * stops the world. The world starts in the background so the prompt comes at once; a lab tool
 * typed before it is ready waits for it.
 */
import { resolve } from 'node:path';
import { locateLabDir } from '../lab-folder/locate.ts';
import { removeControlInfoSync } from '../lab-session/control-server.ts';
import { LabHost } from './lab-host.ts';
import { createLabShell } from './lab-shell.ts';
import { historyPath, runTerminal } from './terminal.ts';

async function main(): Promise<number> {
  let labDir: string;
  try {
    labDir = process.env.CLOUDPETS_LAB_DIR ? resolve(process.env.CLOUDPETS_LAB_DIR) : locateLabDir(process.cwd());
    locateLabDir(labDir);
  } catch (error) {
    process.stderr.write(`lab-shell: ${(error as Error).message}\n`);
    return 2;
  }
  const host = new LabHost(labDir);
  // The shell lives as long as the terminal: a standby world makes each `checks` (and Run
  // checks), which restarts the world, cost the world's start only (lab-world.ts). Not in
  // WebContainer: a third Node process lives in the learner's browser tab, whose memory we
  // cannot measure here, so that runtime keeps the plain restart until it has been measured.
  host.world.keepStandby = (process.versions as Record<string, string | undefined>).webcontainer === undefined;
  const shell = createLabShell(host);
  const control = await host.serveControl();
  process.on('exit', () => removeControlInfoSync(labDir, control.info.token));
  const stop = (code: number): void => {
    void host.close().finally(() => process.exit(code));
  };
  // The terminal is in raw mode, so Ctrl+C arrives as a key; a SIGINT from elsewhere must not
  // end the shell (and its world) either.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => stop(143));
  process.on('SIGHUP', () => stop(129));

  // The prompt comes at once; the first line waits until the world (and the lab's one-time
  // setup: the raid, the theft) is there, so a first `grep … logs/mongod.log` finds the log.
  let starting: Promise<void> | undefined = host.startWorld().then((result) => {
    if (!result.ok) process.stderr.write(`The lab services did not start: ${result.error}\nFix the file it names, then type: world restart\n`);
  });
  let settled = false;
  void starting.then(() => (settled = true));
  const beforeLine = async (): Promise<void> => {
    if (!starting) return;
    if (!settled) process.stderr.write('Starting the lab services...\n');
    await starting;
    starting = undefined;
  };
  const bold = process.stdout.isTTY ? (text: string) => `\x1b[1m${text}\x1b[0m` : (text: string) => text;
  const banner = `${bold(`CloudPets lab: ${host.title}`)}\nType help for the commands, checks to test your work.\n`;
  const code = await runTerminal(shell, {
    input: process.stdin,
    output: process.stdout,
    historyFile: historyPath(labDir),
    banner,
    beforeLine,
    // The prompt is out: the checks' code loads behind it (and behind the world's start).
    onReady: () => host.preloadChecks(),
    notice: () => {
      const why = host.world.takeUnexpectedExit();
      return why ? `${why}; type world restart to bring them back (checks does it too).` : undefined;
    },
  });
  await host.close();
  return code;
}

main().then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`lab-shell: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(70);
  },
);
