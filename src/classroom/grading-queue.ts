/**
 * Grades hand-ins in the background with a fixed number of workers (each grade starts a
 * whole lab world, so two at a time is already plenty on a small machine). Every job is in
 * the store before it is queued and its result is stored when done, so a restarted server
 * picks up exactly the hand-ins that were still waiting.
 */
import { ArchiveError, readHandIn } from '../../sandboxes/grading/archive-reader.ts';
import { gradeHandIn, type GradeResult } from '../../sandboxes/grading/grade.ts';
import type { ClassroomStore, HandInRecord } from './store.ts';

export type Grader = (archive: Uint8Array, source: string) => Promise<GradeResult>;

export const gradeArchive: Grader = async (archive, source) => gradeHandIn(readHandIn(archive), { source });

export interface GradingQueue {
  enqueue(record: HandInRecord): void;
  /** Hand-ins waiting or being graded. */
  pending(): number;
  onGraded(listener: (record: HandInRecord, result: GradeResult) => void): () => void;
  /** Resolves when nothing is waiting or running (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops taking new work; resolves when the running grades finish. */
  stop(): Promise<void>;
}

export function createGradingQueue(store: ClassroomStore, options: { workers: number; grade?: Grader }): GradingQueue {
  const grade = options.grade ?? gradeArchive;
  const waiting: HandInRecord[] = [];
  const listeners = new Set<(record: HandInRecord, result: GradeResult) => void>();
  let running = 0;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const refusal = (record: HandInRecord, reason: string): GradeResult => ({
    source: `hand-in ${record.id}`,
    learner: { id: record.learnerId },
    lab: record.lab,
    labTitle: record.lab,
    status: 'refused',
    passedCount: 0,
    total: 0,
    failures: [],
    notes: [reason],
    gradedAt: new Date().toISOString(),
    durationMs: 0,
  });

  async function work(record: HandInRecord): Promise<void> {
    let result: GradeResult;
    try {
      const archive = store.archive(record.id);
      if (!archive) throw new ArchiveError('the stored archive is missing');
      result = await grade(archive, `hand-in ${record.id}`);
    } catch (error) {
      result = refusal(record, error instanceof ArchiveError ? error.message : `grading failed: ${(error as Error).message}`);
    }
    store.setResult(record.id, result);
    for (const listener of listeners) {
      try {
        listener(record, result);
      } catch {
        // a listener's failure (a closed event stream) never stops grading
      }
    }
  }

  function pump(): void {
    while (!stopped && running < options.workers && waiting.length > 0) {
      const record = waiting.shift()!;
      running++;
      void work(record).finally(() => {
        running--;
        pump();
      });
    }
    if (running === 0 && (waiting.length === 0 || stopped)) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  return {
    enqueue(record) {
      waiting.push(record);
      pump();
    },
    pending: () => waiting.length + running,
    onGraded(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    idle() {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    stop() {
      stopped = true;
      waiting.length = 0;
      if (running === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
