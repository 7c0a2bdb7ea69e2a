/**
 * Helpers for the lab suites: a fresh lab folder through the same code path as
 * `npm run checks -- <lab> [--solution]` (sandboxes/lab-shell/fresh-lab.ts), with a small world
 * so the suites stay quick on two cores.
 */
import { vi } from 'vitest';
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { freshLab, type FreshLab } from '../../sandboxes/lab-shell/fresh-lab.ts';
import { stopLabWorld } from '../../sandboxes/lab-session/session.ts';
import { createLabShell, typeLine } from '../../sandboxes/lab-shell/lab-shell.ts';
import { Collector } from '../../sandboxes/lab-shell/run/streams.ts';
import type { CheckReport } from '../../sandboxes/checks/types.ts';

const require = createRequire(import.meta.url);

// Each lab test starts a real world and replays real attacks (bcrypt included): on two busy
// cores that can take minutes, which is slow, not wrong.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

export const TEST_WORLD = { users: 150 };

export function openLab(labId: string, solution: boolean): Promise<FreshLab> {
  return freshLab(labId, { solution, world: TEST_WORLD });
}

/** Types one line into a lab shell of this lab (in-process, as `npm run checks` does). */
export async function typeInLab(lab: FreshLab, line: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new Collector();
  const stderr = new Collector();
  const { status } = await typeLine(createLabShell(lab.host), line, { stdout, stderr });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

export function failing(report: CheckReport): string[] {
  return report.results.filter((r) => !r.pass).map((r) => r.id);
}

export function result(report: CheckReport, id: string): { pass: boolean; reason: string } {
  const found = report.results.find((r) => r.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.results.map((r) => r.id).join(', ')}`);
  return found;
}

/** A readable dump for assertion messages. */
export function summary(report: CheckReport): string {
  return report.results.map((r) => `${r.pass ? 'PASS' : 'FAIL'} ${r.id}: ${r.reason}`).join('\n');
}

export function editFile(lab: FreshLab, path: string, edit: (text: string) => string): string {
  const full = join(lab.dir, path);
  const before = readFileSync(full, 'utf8');
  writeFileSync(full, edit(before));
  return before;
}

/** "Deleting the data": the database's files go, with the world stopped first as a learner's rm would. */
export async function deleteDatabaseFiles(lab: FreshLab): Promise<void> {
  await stopLabWorld(lab.dir);
  rmSync(join(lab.dir, 'data'), { recursive: true, force: true });
}

