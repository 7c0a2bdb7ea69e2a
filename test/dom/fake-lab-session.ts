/**
 * A lab session in memory, for the panel's parts: files in a map, outputs listed as the
 * runtimes list them (downloads/ and findings.txt), checks answered by the test, and reports
 * pushed as the runtime pushes them. Every call is recorded so a test can tell what a part
 * asked of the lab.
 */
import type { CheckReport, LabOutput, LabSession } from '../../src/runtimes/runtime.ts';

const encoder = new TextEncoder();

export interface FakeLabSession extends Pick<LabSession, 'labId' | 'readFile' | 'writeFile' | 'listOutputs' | 'runChecks' | 'onReport'> {
  files: Map<string, Uint8Array>;
  /** Bumped whenever a file is written, as a real runtime's mtime would be. */
  versions: Map<string, number>;
  calls: string[];
  /** What runChecks does next (default: a report with every check failing). */
  checks: () => Promise<CheckReport>;
  /** What writeFile does before writing (throw to make the write fail). */
  beforeWrite: (path: string) => void;
  /** A report arriving the way `checks` typed in the terminal sends one. */
  pushReport(report: CheckReport): void;
  /** Writes a file as the learner's commands would (not through a part). */
  put(path: string, data: string | Uint8Array): void;
}

const OUTPUT = /^(downloads\/|findings\.txt$)/;

export function fakeLabSession(labId: string, files: Record<string, string | Uint8Array> = {}): FakeLabSession {
  const listeners = new Set<(report: CheckReport) => void>();
  const session: FakeLabSession = {
    labId,
    files: new Map(),
    versions: new Map(),
    calls: [],
    checks: () => Promise.reject(new Error('no checks set up in this test')),
    beforeWrite: () => undefined,
    put(path, data) {
      session.files.set(path, typeof data === 'string' ? encoder.encode(data) : data);
      session.versions.set(path, (session.versions.get(path) ?? 0) + 1);
    },
    async readFile(path) {
      session.calls.push(`read ${path}`);
      const bytes = session.files.get(path);
      if (!bytes) throw new Error(`no such file in the lab: ${path}`);
      return bytes;
    },
    async writeFile(path, data) {
      session.calls.push(`write ${path}`);
      session.beforeWrite(path);
      session.put(path, data);
    },
    async listOutputs() {
      session.calls.push('list-outputs');
      return [...session.files]
        .filter(([path]) => OUTPUT.test(path))
        .map(([path, bytes]): LabOutput => ({ path, size: bytes.length, version: `${bytes.length}:${session.versions.get(path)}` }));
    },
    runChecks() {
      session.calls.push('run-checks');
      return session.checks();
    },
    onReport(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pushReport: (report) => listeners.forEach((listener) => listener(report)),
  };
  for (const [path, data] of Object.entries(files)) session.put(path, data);
  return session;
}

/** A report for the lab with one result per [id, pass]. */
export function reportOf(lab: string, results: [string, boolean][], startedAt = new Date().toISOString()): CheckReport {
  const passedCount = results.filter(([, pass]) => pass).length;
  return {
    lab,
    title: 'Close the door',
    kind: 'fix',
    passed: passedCount === results.length,
    total: results.length,
    passedCount,
    startedAt,
    durationMs: 10,
    results: results.map(([id, pass]) => ({
      id,
      title: `Check ${id}`,
      pass,
      reason: pass ? `${id} holds` : `${id} does not hold yet`,
      hint: `How to make ${id} hold`,
      lessonAnchor: '03-the-open-door#fix',
      durationMs: 5,
    })),
  };
}
