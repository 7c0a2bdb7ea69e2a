/** Every command of the lab shell, and `help`, which lists them with their one line. */
import type { ShellCommand } from '../run/command.ts';
import type { Shell } from '../run/shell.ts';
import * as builtins from './builtins.ts';
import { cat, cp, ls, mkdir, mv, rm, touch } from './file-commands.ts';
import { cut, head, paste, sort, tail, tee, tr, uniq, wc } from './text-commands.ts';
import { grep } from './grep.ts';
import { sed } from './sed.ts';

export const EVERYDAY_COMMANDS: readonly ShellCommand[] = [
  cat, ls, builtins.cd, builtins.pwd, builtins.echo, builtins.printf, grep, head, tail, wc, sort, builtins.history,
  uniq, cut, tr, sed, tee, paste, mkdir, rm, cp, mv, touch, builtins.clear,
  builtins.exportCommand, builtins.unset, builtins.test, builtins.bracket, builtins.trueCommand, builtins.falseCommand,
  builtins.sleep, builtins.read, builtins.exit,
];


export function helpCommand(labCommandNames: () => string[]): ShellCommand {
  return {
    name: 'help',
    summary: 'this list',
    async run(ctx) {
      const shell: Shell = ctx.shell;
      const lab = new Set(labCommandNames());
      const all = [...shell.commands.values()];
      const width = Math.max(...all.map((command) => command.name.length)) + 2;
      const line = (command: ShellCommand) => `  ${command.name.padEnd(width)}${command.summary}\n`;
      ctx.stdout.write("The lab's tools:\n");
      for (const command of all.filter((c) => lab.has(c.name))) ctx.stdout.write(line(command));
      ctx.stdout.write('\nEveryday commands:\n');
      for (const command of all.filter((c) => !lab.has(c.name))) ctx.stdout.write(line(command));
      ctx.stdout.write('\nPipes (|), redirections (> >> <), && || ;, quotes, $VAR, $(...), globs, if, for and while work as in bash.\n');
      return 0;
    },
  };
}
