/**
 * `checks [--json]` inside a lab folder: restarts the lab's services with the learner's
 * current files and runs the lab's checks. The page's runtimes run `checks --json` and read
 * the CheckReport from stdout (one JSON document). Exit 0 only when every check passes.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { locateLabDir } from '../lab-folder/locate.ts';
import { lastReportPath } from '../lab-folder/paths.ts';
import { labIdOf, runChecks } from './run-checks.ts';
import { formatReport, formatResult } from './report.ts';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: checks [--json]\n  Restarts the lab services with your files and runs the lab\'s checks.\n');
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--json');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument ${unknown[0]}\nusage: checks [--json]\n`);
    return 2;
  }
  const json = argv.includes('--json');
  let labDir: string;
  let labId: string;
  try {
    labDir = locateLabDir(process.cwd());
    labId = labIdOf(labDir);
  } catch (error) {
    const message = (error as Error).message;
    if (json) process.stdout.write(JSON.stringify({ error: message }) + '\n');
    else process.stderr.write(`${message}\n`);
    return 2;
  }
  if (!json) process.stderr.write('Restarting the lab services with your files...\n');
  const report = await runChecks(labId, labDir, { onResult: json ? undefined : (r) => process.stdout.write(`${formatResult(r, process.stdout.isTTY)}\n`) });
  saveLastReport(labDir, JSON.stringify(report));
  if (json) process.stdout.write(JSON.stringify(report) + '\n');
  else process.stdout.write(`\n${formatReport(report, process.stdout.isTTY).split('\n\n').at(-1)}`);
  return report.passed ? 0 : 1;
}

/**
 * Keeps the report where the page's lab panel looks for it, so checks typed in the terminal
 * show in the panel (and mark the lesson done) like a press of "Run checks". Best effort:
 * a read-only folder must not turn a passing run into a crash.
 */
function saveLastReport(labDir: string, json: string): void {
  const path = lastReportPath(labDir);
  try {
    writeFileSync(`${path}.tmp`, json + '\n');
    renameSync(`${path}.tmp`, path);
  } catch {
    // The terminal output still says everything.
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ error: message }) + '\n');
    else process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
