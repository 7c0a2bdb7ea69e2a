/**
 * Every command in every lesson's shell blocks, typed as written into a fresh lab of that
 * lesson, through the lab shell held to WebContainer's limits (pty-shell.ts): none may meet
 * "command not found", a syntax error or a refused path. Blocks are extracted as
 * test/lessons/lessons.test.ts does (```sh fences).
 */
import { describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readLessons } from '../lessons/lesson-files.ts';
import { builtLabShells } from './built-lab-shells.ts';

vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 });

/**
 * Lines that are not commands to run as written, each with its reason. None today: even
 * lesson 7's `MONGODB_URI=…` (a line of api/.env shown in a sh block) runs as an assignment.
 */
const EXCEPTIONS: Record<string, string> = {};

/** A command still running after this long is stopped with Ctrl+C: it ran, which is what this suite asks. */
const BUDGET_MS = 20_000;

const PROBLEMS = /command not found|syntax error|bad substitution|outside the lab folder|lab-shell: /;

const lessons = readLessons()
  .map((lesson) => ({ lesson, lab: (parseYaml(/^---\n([\s\S]*?)\n---/.exec(lesson.source)![1]!) as { lab: string | null }).lab }))
  .filter((entry): entry is { lesson: (typeof entry)['lesson']; lab: string } => entry.lab !== null)
  .map(({ lesson, lab }) => ({
    id: lesson.id,
    lab,
    lines: [...lesson.body.matchAll(/^```sh\n([\s\S]*?)^```/gm)].flatMap((block) => block[1]!.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'))),
  }));

const shells = builtLabShells();

describe('every lesson command runs in the lab shell as written', () => {
  it('finds shell blocks in the lessons', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(10);
    expect(lessons.flatMap((lesson) => lesson.lines).length).toBeGreaterThan(40);
  });

  for (const { id, lab, lines } of lessons) {
    it(`${id} (lab ${lab})`, async () => {
      const shell = await shells.open(lab);
      const problems: string[] = [];
      for (const line of lines) {
        if (EXCEPTIONS[line]) continue;
        let output: string;
        if (/^(dbhost )?mongosh /.test(line) && !/--eval|--file|</.test(line)) {
          // An interactive session: connect, then leave it as the lesson's reader would.
          const count = shell.prompts;
          const start = shell.text.length;
          shell.write(`${line}\r`);
          await shell.until(() => /\w+> $/.test(shell.text) || shell.prompts > count, `mongosh's prompt after \`${line}\``);
          if (shell.prompts === count) shell.write('exit\r');
          await shell.until(() => shell.prompts > count, `the lab shell prompt after \`${line}\``);
          output = shell.text.slice(start);
        } else {
          output = (await shell.type(line, BUDGET_MS)).output;
        }
        if (PROBLEMS.test(output)) problems.push(`${line}\n    ${output.split('\n').find((l) => PROBLEMS.test(l))}`);
      }
      expect(problems, `${id}: lesson commands that failed in the lab shell`).toEqual([]);
      shell.write('exit 0\r');
      await shell.exited;
      expect(shell.violations(), 'the lab did something WebContainer does not provide').toBe('');
    });
  }
});
