/**
 * Every lab's reference solution, typed line by line into the lab shell through the terminal
 * (held to WebContainer's limits, pty-shell.ts), with the solution's files applied as a learner
 * would edit them, makes the lab's checks pass. No bash or sh is anywhere in reach.
 */
import { describe, expect, it, vi } from 'vitest';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABS } from '../../sandboxes/labs/registry.ts';
import { builtLabShells } from './built-lab-shells.ts';

vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 });

const PROBLEMS = /command not found|syntax error|bad substitution|outside the lab folder|lab-shell: /;

const shells = builtLabShells();

describe("every lab's reference solution, typed into the lab shell, passes its checks", () => {
  for (const lab of LABS.map((definition) => definition.meta.id)) {
    it(lab, async () => {
      const shell = await shells.open(lab);
      const dir = shell.labDir;
      const script = join(dir, '.lab', 'solution.sh');
      const lines = existsSync(script)
        ? readFileSync(script, 'utf8')
            .split('\n')
            .filter((line) => line.trim() && !line.trim().startsWith('#'))
        : [];
      const transcript: string[] = [];
      for (const line of lines) {
        const { output } = await shell.type(line);
        transcript.push(`$ ${line}\n${output}`);
        const status = (await shell.type('echo "exit status $?"')).output;
        expect(status, `\`${line}\` failed:\n${transcript.join('')}`).toMatch(/^exit status 0$/m);
        expect(output, line).not.toMatch(PROBLEMS);
      }
      // The solution's edited files, as the learner would save them from the editor.
      const files = join(dir, '.lab', 'solution');
      if (existsSync(files)) cpSync(files, dir, { recursive: true });
      const { output } = await shell.type('checks --json');
      const report = JSON.parse(output.split('\n').find((line) => line.startsWith('{'))!) as { passed: boolean; results: { id: string; pass: boolean; reason: string }[] };
      expect(
        report.results.filter((r) => !r.pass).map((r) => `${r.id}: ${r.reason}`),
        transcript.join(''),
      ).toEqual([]);
      expect(report.passed).toBe(true);
      shell.write('exit 0\r');
      await shell.exited;
      expect(shell.violations(), 'the lab did something WebContainer does not provide').toBe('');
    });
  }
});
