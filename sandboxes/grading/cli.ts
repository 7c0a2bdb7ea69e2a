/**
 * `npm run grade -- <archives or folders...> [--csv FILE] [--html FILE]`: re-runs each
 * hand-in's lab in a fresh world from the learner's seed, one at a time (each grade starts a
 * whole world), prints a table, and writes the CSV and HTML reports. Exit 0 when every
 * hand-in passed, 1 when any failed or was refused, 2 on a usage error.
 */
import { writeFileSync } from 'node:fs';
import type { GradeResult } from './grade.ts';
import { stringOption } from '../command-line/arguments.ts';
import { readCommandLine, type ProgramSpec } from '../command-line/read-command-line.ts';
import { runProgram } from '../command-line/run-program.ts';

const GRADE: ProgramSpec = {
  name: 'grade',
  helpCommand: 'npm run grade -- --help',
  usage: `usage: npm run grade -- <archives or folders...> [--csv FILE] [--html FILE]

Re-runs each hand-in's lab in a fresh world from the learner's seed, one at a time, and prints
a table. Exit 0 when every hand-in passed, 1 when any failed or was refused, 2 on a usage error.

  --csv FILE    also write the results as CSV to FILE
  --html FILE   also write the results as an HTML report to FILE
  -h, --help    show this help`,
  options: { csv: { type: 'string' }, html: { type: 'string' } },
  positionals: ['<archive or folder>...'],
};

function refusedResult(source: string, error: string): GradeResult {
  return { source, learner: { id: 'unknown' }, lab: 'unknown', labTitle: 'unknown', status: 'refused', passedCount: 0, total: 0, failures: [], notes: [error], gradedAt: new Date().toISOString(), durationMs: 0 };
}

async function main(argv: string[]): Promise<number> {
  const read = readCommandLine(GRADE, argv, ({ values, positionals }) => ({
    csv: stringOption(values, 'csv'),
    html: stringOption(values, 'html'),
    paths: positionals,
  }));
  if (!read.ok) return read.exitCode;
  const { csv, html, paths } = read.value;
  // Loaded once the arguments are right: the grader brings in the world and every lab, seconds
  // of loading that --help and a mistyped flag should not wait for.
  const [{ gradeHandIn }, { formatCsv, formatHtml, formatTable }, { loadSubmissions }] = await Promise.all([
    import('./grade.ts'),
    import('./grade-reports.ts'),
    import('./load-submissions.ts'),
  ]);
  const results: GradeResult[] = [];
  for (const submission of paths.flatMap(loadSubmissions)) {
    if ('error' in submission) {
      process.stderr.write(`${submission.source}: ${submission.error}\n`);
      results.push(refusedResult(submission.source, submission.error));
      continue;
    }
    const who = submission.handIn.manifest.learner.name ?? submission.handIn.manifest.learner.id;
    process.stderr.write(`grading ${submission.source} (${who}, ${submission.handIn.manifest.lab})…\n`);
    try {
      results.push(await gradeHandIn(submission.handIn, { source: submission.source }));
    } catch (error) {
      const message = `grading failed: ${(error as Error).message}`;
      process.stderr.write(`${submission.source}: ${message}\n`);
      results.push({ ...refusedResult(submission.source, message), learner: submission.handIn.manifest.learner, lab: submission.handIn.manifest.lab });
    }
  }
  process.stdout.write(formatTable(results));
  if (csv) {
    writeFileSync(csv, formatCsv(results));
    process.stderr.write(`CSV written to ${csv}\n`);
  }
  if (html) {
    writeFileSync(html, formatHtml(results));
    process.stderr.write(`HTML report written to ${html}\n`);
  }
  return results.every((r) => r.status === 'passed' || r.status === 'passed-with-help') ? 0 : 1;
}

runProgram(main);
