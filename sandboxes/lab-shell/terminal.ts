/**
 * The lab shell on a terminal: node:readline for line editing, history (arrow keys, also kept
 * in .lab/history) and Tab completion; the ready signal after the first prompt; Ctrl+C stops
 * the running command (readline gives it to us as SIGINT, as the terminal is in raw mode),
 * Ctrl+D on an empty line and `exit` end the shell. One readline lives for the whole session,
 * so lines typed or pasted ahead are kept; it steps aside only while an interactive tool
 * (mongosh's own shell) reads the terminal, and is then made anew.
 */
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { join } from 'node:path';
import type { Shell } from './run/shell.ts';
import { parseCommandLine, needsMoreInput } from './syntax/parse.ts';
import { typeLine } from './lab-shell.ts';
import type { OutputSink } from './run/streams.ts';

/** The OSC sequence runtimes wait for before sending input (docs/lab-runtime-contract.md). */
export const READY_SIGNAL = '\x1b]654;cloudpets-ready\x07';

export interface TerminalOptions {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
  historyFile?: string;
  /** Said before each prompt (the world died, say); undefined when nothing to say. */
  notice?: () => string | undefined;
  banner?: string;
  /** Awaited before each line runs (the first line waits for the lab services to be up). */
  beforeLine?: () => Promise<void>;
  /** Called once, right after the first prompt and the ready signal are written. */
  onReady?: () => void;
}

function completer(shell: Shell): (line: string) => [string[], string] {
  return (line) => {
    const word = /(\S*)$/.exec(line)![1]!;
    const before = line.slice(0, line.length - word.length);
    const commandPosition = /(^|[|;&]\s*|&&\s*|\|\|\s*)$/.test(before.trimEnd() === '' ? '' : before) || before.trim() === '';
    if (commandPosition && !word.includes('/')) {
      const names = [...shell.commands.keys()].filter((name) => name.startsWith(word)).sort();
      return [names.map((name) => `${name} `), word];
    }
    const slash = word.lastIndexOf('/');
    const dirPart = slash >= 0 ? word.slice(0, slash + 1) : '';
    const prefix = word.slice(slash + 1);
    let names: string[] = [];
    try {
      const dir = shell.paths.resolve(shell.cwd, dirPart || '.');
      names = readdirSync(dir)
        .filter((name) => name.startsWith(prefix) && (prefix.startsWith('.') || !name.startsWith('.')))
        .sort()
        .map((name) => {
          let isDir = false;
          try {
            isDir = statSync(join(dir, name)).isDirectory();
          } catch {
            // a dangling entry completes as a file
          }
          // As bash does: a folder completes with a slash, a file with a space.
          return `${dirPart}${name}${isDir ? '/' : ' '}`;
        });
    } catch {
      // outside the lab or unreadable: nothing to offer
    }
    return [names, word];
  };
}

function loadHistory(path: string | undefined): string[] {
  if (!path) return [];
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).slice(-1000);
  } catch {
    return [];
  }
}

export async function runTerminal(shell: Shell, options: TerminalOptions): Promise<number> {
  const { input, output } = options;
  const tty = input.isTTY === true;
  const color = output.isTTY === true && !process.env.NO_COLOR;
  shell.history = loadHistory(options.historyFile);
  if (options.banner) output.write(options.banner);

  let rl!: Interface;
  let lines: string[] = [];
  let wakeLine: (() => void) | undefined;
  let ended = false;
  let interrupt: (() => void) | undefined;
  let readySent = false;

  let closed = false;
  const open = (): void => {
    closed = false;
    rl = createInterface({
      input,
      output,
      terminal: tty,
      completer: completer(shell),
      history: [...shell.history].reverse(),
      historySize: 1000,
      removeHistoryDuplicates: false,
    });
    rl.on('line', (line) => {
      lines.push(line);
      wakeLine?.();
    });
    rl.on('close', () => {
      closed = true;
      if (stepAside) return;
      ended = true;
      wakeLine?.();
    });
    rl.on('SIGINT', () => {
      if (interrupt) {
        interrupt();
        return;
      }
      // At the prompt: drop what was typed and start a fresh line, as bash does.
      output.write('^C\n');
      continuation = '';
      (rl as unknown as { line: string }).line = '';
      lines = [];
      prompt();
    });
  };
  let stepAside = false;
  let continuation = '';

  const promptText = (): string => {
    if (continuation) return '> ';
    const where = shell.paths.display(shell.cwd);
    return color ? `\x1b[32mlearner@internet\x1b[0m:\x1b[34m${where}\x1b[0m$ ` : `learner@internet:${where}$ `;
  };
  const prompt = (): void => {
    if (closed) {
      // The input has ended (a pipe that closed) while lines were still queued.
      if (lines.length) output.write(promptText());
    } else {
      rl.setPrompt(promptText());
      rl.prompt();
    }
    if (!readySent) {
      readySent = true;
      output.write(READY_SIGNAL);
      options.onReady?.();
    }
  };
  const nextLine = async (): Promise<string | undefined> => {
    while (lines.length === 0 && !ended) await new Promise<void>((done) => (wakeLine = done));
    wakeLine = undefined;
    return lines.shift();
  };

  open();
  let exitCode = 0;
  // The terminal: output straight through while the line runs, nothing after it was given up.
  let generation = 0;
  for (;;) {
    const notice = options.notice?.();
    if (notice) output.write(`${notice}\n`);
    prompt();
    const typed = await nextLine();
    if (typed === undefined) {
      if (tty) output.write('exit\n');
      break;
    }
    const source = continuation ? `${continuation}\n${typed}` : typed;
    if (needsMoreInput(source)) {
      continuation = source;
      continue;
    }
    continuation = '';
    if (source.trim() && !source.trim().startsWith('#')) {
      shell.history.push(source);
      if (options.historyFile) {
        try {
          appendFileSync(options.historyFile, `${source.replace(/\n/g, ' ')}\n`);
        } catch {
          // history is a convenience
        }
      }
    }
    // `exit` need not wait for the lab services (closing the shell stops them anyway).
    if (!/^\s*exit(\s|$)/.test(source)) await options.beforeLine?.();
    const mine = ++generation;
    const sink = (stream: NodeJS.WriteStream): OutputSink => ({
      write: (chunk) => {
        if (generation === mine) stream.write(chunk);
      },
      isTTY: stream.isTTY === true,
    });
    const interactive = tty && isInteractive(shell, source);
    if (interactive && !closed) {
      // mongosh's own readline reads the keys; ours steps aside and comes back afterwards.
      stepAside = true;
      rl.close();
      stepAside = false;
      if (tty) input.setRawMode(true);
      input.resume();
    }
    let onInterrupt!: () => void;
    const interrupted = new Promise<void>((done) => (onInterrupt = done));
    interrupt = onInterrupt;
    const rawCtrlC = (chunk: Buffer | string): void => {
      if (chunk.toString().includes('\x03')) onInterrupt();
    };
    if (interactive) input.on('data', rawCtrlC);
    const result = await typeLine(shell, source, { stdout: sink(output), stderr: sink(process.stderr), terminalInput: tty ? input : undefined }, interrupted);
    interrupt = undefined;
    generation++;
    if (interactive && !ended) {
      input.off('data', rawCtrlC);
      open();
    }
    if (result.interrupted) output.write('\n');
    if (result.exit !== undefined) {
      exitCode = result.exit;
      break;
    }
  }
  if (!closed) rl.close();
  if (tty) input.setRawMode(false);
  input.pause();
  return exitCode;
}

/** Whether the line's command reads the terminal itself (mongosh's shell, its password prompt). */
function isInteractive(shell: Shell, line: string): boolean {
  try {
    const list = parseCommandLine(line);
    return list.items.some((item) =>
      [item.andOr.first, ...item.andOr.rest.map((r) => r.pipeline)].some((pipeline) =>
        pipeline.commands.some((command) => {
          if (command.kind !== 'simple') return false;
          const first = command.words[0]?.parts;
          const name = first?.length === 1 && first[0]!.kind === 'text' ? first[0]!.text : undefined;
          return name !== undefined && shell.commands.get(name)?.interactive === true;
        }),
      ),
    );
  } catch {
    return false;
  }
}

export const historyPath = (labDir: string): string => join(labDir, '.lab', 'history');
