/**
 * `npm run grade -- <archives or folders...> [--csv FILE] [--html FILE]`: re-runs each
 * hand-in's lab in a fresh world from the learner's seed, one at a time (each grade starts a
 * whole world), prints a table, and writes the CSV and HTML reports. Exit 0 when every
 * hand-in passed, 1 when any failed or was refused, 2 on a usage error.
 */
import { writeFileSync } from 'node:fs';
import { gradeHandIn, type GradeResult } from './grade.ts';
import { formatCsv, formatHtml, formatTable } from './grade-reports.ts';
import { loadSubmissions } from './load-submissions.ts';

const USAGE = 'usage: npm run grade -- <archives or folders...> [--csv FILE] [--html FILE]';

function refusedResult(source: string, error: string): GradeResult {
  return { source, learner: { id: 'unknown' }, lab: 'unknown', labTitle: 'unknown', status: 'refused', passedCount: 0, total: 0, failures: [], notes: [error], gradedAt: new Date().toISOString(), durationMs: 0 };
}

async function main(argv: string[]): Promise<number> {
  let csv: string | undefined;
  let html: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (arg === '--csv' || arg === '--html') {
      const file = argv[++i];
      if (!file || file.startsWith('--')) {
        process.stderr.write(`${arg} needs a file name\n${USAGE}\n`);
        return 2;
      }
      if (arg === '--csv') csv = file;
      else html = file;
    } else if (arg.startsWith('--')) {
      process.stderr.write(`unknown option ${arg}\n${USAGE}\n`);
      return 2;
    } else paths.push(arg);
  }
  if (paths.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
