/**
 * `mongosh -u admin -p` (no value) asks for the password instead of taking it from the
 * command line, where it would land in the shell history. node:util parseArgs has no
 * optional values, so a bare -p is taken out of argv before parsing.
 */
import { createInterface } from 'node:readline';
import type { ToolIO } from './tool-io.ts';

export function takeBarePasswordFlag(argv: string[]): { argv: string[]; prompt: boolean } {
  const out: string[] = [];
  let prompt = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if ((arg === '-p' || arg === '--password') && (next === undefined || next.startsWith('-'))) {
      prompt = true;
      continue;
    }
    out.push(arg);
  }
  return { argv: out, prompt };
}

type TtyInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => void };

/** Reads one line; on a terminal the characters are not echoed (a * per character instead). */
export async function promptPassword(io: ToolIO, label = 'Enter password: '): Promise<string> {
  io.stdout.write(label);
  const input = io.stdin as unknown as TtyInput;
  if (input.isTTY && input.setRawMode) {
    const setRawMode = input.setRawMode.bind(input);
    return new Promise((resolve, reject) => {
      let password = '';
      setRawMode(true);
      input.resume();
      const onData = (chunk: Buffer | string) => {
        for (const char of chunk.toString()) {
          if (char === '\r' || char === '\n') {
            finish();
            resolve(password);
            return;
          }
          if (char === '\u0003') {
            finish();
            reject(new Error('password prompt cancelled'));
            return;
          }
          if (char === '\u007f' || char === '\b') {
            if (password.length) {
              password = password.slice(0, -1);
              io.stdout.write('\b \b');
            }
          } else {
            password += char;
            io.stdout.write('*');
          }
        }
      };
      const finish = () => {
        input.removeListener('data', onData);
        setRawMode(false);
        input.pause();
        io.stdout.write('\n');
      };
      input.on('data', onData);
    });
  }
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    for await (const line of rl) {
      io.stdout.write('\n');
      return line;
    }
    throw new Error('no password given: stdin ended before a line was read');
  } finally {
    rl.close();
  }
}
