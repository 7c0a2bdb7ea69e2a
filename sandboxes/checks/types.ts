/**
 * The check framework's contract: what a lab declares (meta + checks) and what a check run
 * returns. Runtimes (the page's checks panel, the local runner, `npm run checks`) read
 * CheckReport as JSON, so its shape is part of the public API (see README in this folder).
 */
import type { CheckContext } from './context.ts';

export type LabKind = 'attack' | 'fix';

export interface LabMeta {
  /** Lab id, also its folder name under sandboxes/labs and the `npm run checks -- <id>` argument. */
  id: string;
  title: string;
  kind: LabKind;
  /** The lesson's slug (file name under lessons/ without extension). */
  lesson: string;
  /** Heading id of the lesson's "Lab: ..." section (where the framework's own checks point). */
  labSection: string;
  /** Paths relative to the lab folder that the page's editor opens read-write. */
  editable: string[];
  /** One sentence: what the learner has to do, shown above the checks. */
  goal: string;
  /** Challenge mode: the goal alone, then hints the learner opens one at a time. */
  challenge?: LabChallenge;
}

/**
 * Challenge mode (beside the lesson's guided steps): a brief that states the goal and nothing
 * of the way, and three hints that progress from a nudge, to the command, to the full
 * solution. The progress store records how many hints a learner opened.
 */
export interface LabChallenge {
  brief: string;
  hints: [nudge: string, command: string, solution: string];
}

export interface CheckOutcome {
  pass: boolean;
  /** What was observed, in plain words: "an anonymous client listed 3 databases". */
  reason: string;
}

export interface Check {
  id: string;
  /** Plain words, phrased as the goal: "Strangers on the internet cannot list your databases". */
  title: string;
  hint: string;
  /** "<lesson slug>#<heading id>" */
  lessonAnchor: string;
  /** Per-check limit; the runner fails the check with a "timed out" reason past it. */
  timeoutMs?: number;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export interface LabDefinition {
  meta: LabMeta;
  checks: Check[];
  /**
   * Runs once per lab folder, after the world first starts (recorded in .lab/setup.json):
   * e.g. the ransom bot's raid or the scripted theft the detection lab investigates.
   */
  setup?(ctx: CheckContext): Promise<void>;
}

export interface CheckResult {
  id: string;
  title: string;
  pass: boolean;
  reason: string;
  hint: string;
  lessonAnchor: string;
  durationMs: number;
}

export interface CheckReport {
  lab: string;
  title: string;
  kind: LabKind;
  /** true only when every check passed */
  passed: boolean;
  total: number;
  passedCount: number;
  results: CheckResult[];
  startedAt: string;
  durationMs: number;
}
