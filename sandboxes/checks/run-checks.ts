/**
 * Runs a lab's checks against the learner's current files: restart the world with them (so
 * an edited mongod.conf takes effect), run the lab's one-time setup if it never ran, then
 * every check with its own time limit. Never throws and never hangs: anything that goes
 * wrong becomes a failing check whose reason says what happened. The caller hands in the lab's
 * definition: finding a lab by its id is the business of the layers that may see the lab
 * registry (the lab shell's host, grading), not of the framework the labs are built on.
 */
import { writeFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { acquireRunLock } from './run-lock.ts';
import { restartLabWorld, startLabWorld, type StartResult } from '../lab-session/session.ts';
import { setupDonePath, lastReportPath, reportsDir } from '../lab-folder/paths.ts';
import { createCheckContext, type CheckContext } from './context.ts';
import { describeProblem, diagnoseFiles } from './file-diagnostics.ts';
import type { Check, CheckOutcome, CheckReport, CheckResult, LabDefinition } from './types.ts';

export const DEFAULT_CHECK_TIMEOUT_MS = 15_000;
const SETUP_TIMEOUT_MS = 120_000;

export interface RunOptions {
  /** Restart the world first (default). False: use the running world as it is. */
  restart?: boolean;
  /** Called as each result comes in, for live output. */
  onResult?(result: CheckResult): void;
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

async function runOne(check: Check, ctx: CheckContext): Promise<CheckResult> {
  const started = Date.now();
  let outcome: CheckOutcome;
  try {
    outcome = await withTimeout(Promise.resolve().then(() => check.run(ctx)), check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS, 'this check');
    if (typeof outcome?.pass !== 'boolean' || typeof outcome.reason !== 'string') outcome = { pass: false, reason: 'the check returned no verdict (a bug in the check)' };
  } catch (error) {
    outcome = { pass: false, reason: `could not finish: ${(error as Error).message ?? String(error)}` };
  }
  return result(check, outcome, Date.now() - started);
}

function result(check: Pick<Check, 'id' | 'title' | 'hint' | 'lessonAnchor'>, outcome: CheckOutcome, durationMs = 0): CheckResult {
  return { id: check.id, title: check.title, pass: outcome.pass, reason: outcome.reason, hint: check.hint, lessonAnchor: check.lessonAnchor, durationMs };
}

/** Runs the lab's setup (ransom raid, scripted theft) once per lab folder. */
export async function ensureLabSetup(lab: LabDefinition, labDir: string): Promise<{ ok: true } | { ok: false; error: string }> {
  if (!lab.setup || existsSync(setupDonePath(labDir))) return { ok: true };
  const ctx = createCheckContext(lab.meta.id, labDir);
  try {
    await withTimeout(lab.setup(ctx), SETUP_TIMEOUT_MS, 'the lab setup');
    writeFileSync(setupDonePath(labDir), JSON.stringify({ lab: lab.meta.id, doneAt: new Date().toISOString() }) + '\n');
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    await ctx.close();
  }
}

/** Runs `lab`'s checks in the lab folder `labDir` (one run at a time per folder). */
export async function runChecks(lab: LabDefinition, labDir: string, options: RunOptions = {}): Promise<CheckReport> {
  mkdirSync(join(labDir, '.lab'), { recursive: true });
  const release = await acquireRunLock(labDir);
  if (!release) throw new Error('another check run in this lab folder has not finished after 2 minutes; try again when it has');
  try {
    const report = await runLocked(lab, labDir, options);
    saveLastReport(labDir, report);
    return report;
  } finally {
    release();
  }
}

/**
 * `.lab/reports/last.json`, written atomically however the checks ran (typed in the shell, the
 * page's button through the control server, `npm run checks`), so the page's panel and the
 * runtimes read one file. Best effort: a read-only folder must not turn a run into a crash.
 */
function saveLastReport(labDir: string, report: CheckReport): void {
  const path = lastReportPath(labDir);
  try {
    mkdirSync(reportsDir(labDir), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(report) + '\n');
    renameSync(temp, path);
  } catch {
    // The report is still returned to the caller.
  }
}

async function runLocked(lab: LabDefinition, labDir: string, options: RunOptions): Promise<CheckReport> {
  const labId = lab.meta.id;
  const startedAt = new Date();
  const results: CheckResult[] = [];
  const push = (r: CheckResult): void => {
    results.push(r);
    options.onResult?.(r);
  };
  const anchor = `${lab.meta.lesson}#${lab.meta.labSection}`;

  const problems = diagnoseFiles(labDir, lab.meta.editable);
  push(
    result(
      { id: 'files-readable', title: 'Your files can be read', hint: 'Fix the line the reason points at; "Reset lab" brings back the starting files.', lessonAnchor: anchor },
      problems.length === 0
        ? { pass: true, reason: `${lab.meta.editable.length} editable file(s) parse` }
        : { pass: false, reason: describeProblem(problems[0]!) + (problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : '') },
    ),
  );

  const started: StartResult = options.restart === false ? await startLabWorld(labDir) : await restartLabWorld(labDir);
  let blocked: string | undefined;
  if (!started.ok) {
    push(result({ id: 'services-start', title: "The lab's services start with your files", hint: 'Read the error: it names the file and line the services could not accept.', lessonAnchor: anchor }, { pass: false, reason: started.error }));
    blocked = "not checked: the lab's services did not start (see above)";
  } else {
    const setup = await ensureLabSetup(lab, labDir);
    if (!setup.ok) blocked = `not checked: the lab setup failed: ${setup.error}`;
    // The world keeps running with a broken api/app.js (every request answers 500 with the
    // error): that is a failed start for the learner, quoted with its line.
    const warnings = Array.isArray(started.info.services?.warnings) ? (started.info.services.warnings as unknown[]).map(String) : [];
    const appError = warnings.find((w) => /^api\/(app\.js|\.env)/.test(w));
    const outcome: CheckOutcome = !setup.ok
      ? { pass: false, reason: `the services started but the lab setup failed: ${setup.error}` }
      : appError
        ? { pass: false, reason: appError.split('\n')[0]! }
        : { pass: true, reason: `the database, the bucket and the API are running (pid ${started.info.pid})${warnings.length ? `; note: ${warnings.join('; ')}` : ''}` };
    push(result({ id: 'services-start', title: "The lab's services start with your files", hint: 'Read the error: it names the file and line the services could not accept.', lessonAnchor: anchor }, outcome));
  }

  const ctx = createCheckContext(labId, labDir);
  try {
    for (const check of lab.checks) {
      if (blocked) push(result(check, { pass: false, reason: blocked }));
      else push(await runOne(check, ctx));
    }
  } finally {
    await ctx.close();
  }
  const passedCount = results.filter((r) => r.pass).length;
  return {
    lab: lab.meta.id,
    title: lab.meta.title,
    kind: lab.meta.kind,
    passed: passedCount === results.length,
    total: results.length,
    passedCount,
    results,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  };
}
