/**
 * Types a script into a lab shell line by line, as a learner would, stopping at the first line
 * that fails (what `sh -e` did for solution.sh, without any sh). `npm run checks -- <lab>
 * --solution` and the tests run every reference solution this way.
 */
import { Collector } from './run/streams.ts';
import type { Shell } from './run/shell.ts';
import { typeLine } from './lab-shell.ts';
import { needsMoreInput } from './syntax/parse.ts';

export interface TypedScript {
  exitCode: number;
  output: string;
  /** The line that failed, when one did. */
  failedLine?: string;
}

export async function typeLines(shell: Shell, script: string): Promise<TypedScript> {
  const output = new Collector();
  let pending = '';
  for (const line of script.split('\n')) {
    const source = pending ? `${pending}\n${line}` : line;
    if (needsMoreInput(source)) {
      pending = source;
      continue;
    }
    pending = '';
    output.write(`$ ${source}\n`);
    const result = await typeLine(shell, source, { stdout: output, stderr: output });
    if (result.status !== 0 || result.exit !== undefined) return { exitCode: result.status, output: output.text(), failedLine: source };
  }
  if (pending) return { exitCode: 2, output: `${output.text()}lab-shell: the script ends in the middle of a command\n`, failedLine: pending };
  return { exitCode: 0, output: output.text() };
}
