/**
 * The lab's own commands in the shell: every tool in LAB_TOOLS (run in this process with the
 * shell's streams: output shows as it is printed, the terminal's keys reach an interactive
 * mongosh, Ctrl+C aborts ToolIO.signal), `world` and `checks`.
 */
import { LAB_TOOLS, type ToolIO } from '../../tools/index.ts';
import { formatReport, formatResult } from '../../checks/report.ts';
import type { CommandContext, ShellCommand } from '../run/command.ts';
import { UsageError } from '../run/command.ts';
import type { LabHost } from '../lab-host.ts';
import { OutsideLabError } from '../lab-paths.ts';

/**
 * Tools open files named in their arguments with node:fs: an argument that is a path outside
 * the lab folder (absolute, `~`, or climbing out with `..`) is refused before the tool runs.
 * URLs and mongodb:// strings are not paths.
 */
function checkPathArguments(ctx: CommandContext): void {
  for (const arg of ctx.args) {
    const value = /^--?[A-Za-z-]+=(.*)$/s.exec(arg)?.[1] ?? arg;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue;
    if (value.startsWith('/') || value === '~' || value.startsWith('~/') || /(^|\/)\.\.(\/|$)/.test(value)) {
      ctx.shell.paths.resolve(ctx.shell.cwd, value);
    }
  }
}

function toolCommand(tool: (typeof LAB_TOOLS)[number], host: LabHost): ShellCommand {
  return {
    name: tool.name,
    summary: tool.summary,
    // mongosh (also through dbhost) reads the terminal itself: its shell, its password prompt.
    interactive: tool.readsTerminal === true,
    async run(ctx) {
      try {
        checkPathArguments(ctx);
      } catch (error) {
        if (error instanceof OutsideLabError) {
          ctx.stderr.write(`${tool.name}: ${error.message}\n`);
          return 1;
        }
        throw error;
      }
      if (!host.world.running) {
        // A tool typed while the world still starts (right after the lab opened) waits for it.
        const started = await host.startWorld();
        if (!started.ok) ctx.stderr.write(`note: the lab services are not running: ${started.error}\n`);
      }
      const main = await tool.load();
      const io: ToolIO = {
        stdout: ctx.stdout.isTTY ? (process.stdout as ToolIO['stdout']) : { write: (chunk) => ctx.stdout.write(chunk) },
        stderr: ctx.stderr.isTTY ? (process.stderr as ToolIO['stderr']) : { write: (chunk) => ctx.stderr.write(chunk) },
        stdin: ctx.terminalInput ?? ctx.stdin.toReadable(),
        env: ctx.env,
        cwd: ctx.shell.cwd,
        signal: ctx.signal,
      };
      return main(ctx.args, io);
    },
  };
}

function worldCommand(host: LabHost): ShellCommand {
  return {
    name: 'world',
    summary: "the lab's services: world status | restart | start | stop",
    async run(ctx) {
      const action = ctx.args[0] ?? 'status';
      const json = ctx.args.includes('--json');
      const rest = ctx.args.slice(1).filter((arg) => arg !== '--json' && arg !== '--lab' && arg !== '.');
      if (!['start', 'restart', 'stop', 'status'].includes(action) || rest.length > 0) throw new UsageError('usage: world status|restart|start|stop [--json]');
      const say = (ok: boolean, message: string, extra: Record<string, unknown> = {}): number => {
        if (json) ctx.stdout.write(`${JSON.stringify({ ok, message, ...extra })}\n`);
        else (ok ? ctx.stdout : ctx.stderr).write(`${message}\n`);
        return ok ? 0 : 1;
      };
      if (action === 'stop') return say(true, (await host.world.stop()) ? 'lab services stopped' : 'lab services were not running');
      if (action === 'status') {
        const info = host.world.info;
        return info?.status === 'ready' ? say(true, `lab services running (pid ${info.pid})`, { world: info }) : say(false, 'lab services are not running; type: world restart');
      }
      if (!json) ctx.stdout.write(action === 'start' ? 'Starting the lab services...\n' : 'Restarting the lab services with your files...\n');
      const result = action === 'start' ? await host.startWorld() : await host.restartWorld();
      if (result.ok) return say(true, `lab services ${action === 'start' ? 'running' : 'restarted'} (pid ${result.info.pid})`, { world: result.info });
      return say(false, `lab services did not start: ${result.error}`, { error: result.error });
    },
  };
}

function checksCommand(host: LabHost): ShellCommand {
  return {
    name: 'checks',
    summary: "restart the lab's services with your files and run the lab's checks (--json: the report as JSON)",
    async run(ctx) {
      const unknown = ctx.args.filter((arg) => arg !== '--json');
      if (unknown.length) throw new UsageError(`unknown argument ${unknown[0]}\nusage: checks [--json]`);
      const json = ctx.args.includes('--json');
      const color = ctx.stdout.isTTY === true;
      if (!json) ctx.stderr.write('Restarting the lab services with your files...\n');
      const report = await host.runChecks({ onResult: json ? undefined : (r) => ctx.stdout.write(`${formatResult(r, color)}\n`) });
      if (json) ctx.stdout.write(`${JSON.stringify(report)}\n`);
      else ctx.stdout.write(`\n${formatReport(report, color).split('\n\n').at(-1)}`);
      return report.passed ? 0 : 1;
    },
  };
}

export function labCommands(host: LabHost): ShellCommand[] {
  return [...LAB_TOOLS.map((tool) => toolCommand(tool, host)), worldCommand(host), checksCommand(host)];
}
