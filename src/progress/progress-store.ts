/**
 * The learner's progress, kept in the browser only (localStorage): which lessons were opened,
 * which labs passed, and per lab the mode (guided or challenge) and how many hints were opened. There is no account and no server; clearing site data resets it.
 *
 * The stored value is versioned. Anything we cannot read (not JSON, wrong shape, another
 * version) is discarded with a console warning and the learner starts fresh: a broken
 * progress value must never break a page.
 */
import { memoryStorage, type KeyValueStorage } from './key-value-storage';
export const progressStorageKey = 'cloudpets-lab:progress:v1';
const progressVersion = 1;

export interface LessonProgress {
  /** ISO time the lesson was first opened. */
  openedAt: string;
}

export interface LabProgress {
  /** ISO time the lab's checks first all passed. */
  passedAt: string;
  /** True when every pass so far used a hint or the solution. */
  withHelp: boolean;
}

/** How a learner works a lab: the lesson's guided steps, or challenge mode (goal and hints only). */
export type LabMode = 'guided' | 'challenge';
/** Challenge mode has three hints: a nudge, the command, the full solution. */
export const HINT_LEVELS = 3;

export interface LabModeProgress {
  mode: LabMode;
  /** How far into the hints the learner went (0-3); never goes down. */
  hintsShown: number;
}

export interface Progress {
  version: 1;
  lessons: Record<string, LessonProgress>;
  labs: Record<string, LabProgress>;
  /** Per lab: the mode last chosen and how many challenge hints were opened. */
  modes: Record<string, LabModeProgress>;
}

/** The part of the Web Storage API the store uses; tests pass a fake. */
export type ProgressStorage = KeyValueStorage;

export type ProgressListener = (progress: Progress) => void;

export function emptyProgress(): Progress {
  return { version: progressVersion, lessons: {}, labs: {}, modes: {} };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/**
 * Read a stored value. Returns the progress, or a reason it was discarded. Entries are checked
 * one by one, so a single malformed entry does not cost the learner the rest.
 */
export function parseProgress(raw: string): { progress: Progress; problem?: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { progress: emptyProgress(), problem: 'it is not valid JSON' };
  }
  if (!isRecord(value)) return { progress: emptyProgress(), problem: 'it is not an object' };
  if (value.version !== progressVersion) {
    return { progress: emptyProgress(), problem: `it has version ${JSON.stringify(value.version)}, this site reads version ${progressVersion}` };
  }
  const progress = emptyProgress();
  const dropped: string[] = [];
  if (isRecord(value.lessons)) {
    for (const [id, entry] of Object.entries(value.lessons)) {
      if (isRecord(entry) && isIsoTime(entry.openedAt)) progress.lessons[id] = { openedAt: entry.openedAt };
      else dropped.push(`lessons.${id}`);
    }
  } else if (value.lessons !== undefined) dropped.push('lessons');
  if (isRecord(value.labs)) {
    for (const [id, entry] of Object.entries(value.labs)) {
      if (isRecord(entry) && isIsoTime(entry.passedAt) && typeof entry.withHelp === 'boolean') {
        progress.labs[id] = { passedAt: entry.passedAt, withHelp: entry.withHelp };
      } else dropped.push(`labs.${id}`);
    }
  } else if (value.labs !== undefined) dropped.push('labs');
  // Stored before challenge mode existed: no modes at all is fine.
  if (isRecord(value.modes)) {
    for (const [id, entry] of Object.entries(value.modes)) {
      if (isRecord(entry) && (entry.mode === 'guided' || entry.mode === 'challenge') && Number.isInteger(entry.hintsShown) && (entry.hintsShown as number) >= 0 && (entry.hintsShown as number) <= HINT_LEVELS) {
        progress.modes[id] = { mode: entry.mode, hintsShown: entry.hintsShown as number };
      } else dropped.push(`modes.${id}`);
    }
  } else if (value.modes !== undefined) dropped.push('modes');
  return dropped.length > 0 ? { progress, problem: `these entries are malformed: ${dropped.join(', ')}` } : { progress };
}

export interface ProgressStore {
  getProgress(): Progress;
  markOpened(lessonId: string): Progress;
  markLabPassed(labId: string, options?: { withHelp?: boolean }): Progress;
  /** Remember guided or challenge mode for a lab. */
  setLabMode(labId: string, mode: LabMode): Progress;
  /** Record that hint `level` (1-3) of a lab was opened; the furthest level is kept. */
  recordHint(labId: string, level: number): Progress;
  reset(): Progress;
  subscribe(listener: ProgressListener): () => void;
  /** Re-read storage (another tab wrote it) and notify listeners. */
  reload(): Progress;
}

export interface ProgressStoreOptions {
  storage?: ProgressStorage;
  now?: () => Date;
  warn?: (message: string) => void;
}

export function createProgressStore(options: ProgressStoreOptions = {}): ProgressStore {
  const storage = options.storage ?? memoryStorage();
  const now = options.now ?? (() => new Date());
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const listeners = new Set<ProgressListener>();
  let cached: Progress | undefined;

  function read(): Progress {
    let raw: string | null;
    try {
      raw = storage.getItem(progressStorageKey);
    } catch (error) {
      warn(`CloudPets Lab: could not read saved progress (${String(error)}); progress will not be kept.`);
      return emptyProgress();
    }
    if (raw === null) return emptyProgress();
    const { progress, problem } = parseProgress(raw);
    if (problem) {
      warn(`CloudPets Lab: saved progress under "${progressStorageKey}" was discarded because ${problem}. Starting from what could be read.`);
      write(progress);
    }
    return progress;
  }

  function write(progress: Progress): void {
    try {
      storage.setItem(progressStorageKey, JSON.stringify(progress));
    } catch (error) {
      // Quota or privacy settings: keep going with the in-memory copy for this page view.
      warn(`CloudPets Lab: could not save progress (${String(error)}).`);
    }
  }

  function current(): Progress {
    cached ??= read();
    return cached;
  }

  function commit(next: Progress): Progress {
    cached = next;
    write(next);
    for (const listener of listeners) listener(structuredClone(next));
    return structuredClone(next);
  }

  return {
    getProgress: () => structuredClone(current()),
    markOpened(lessonId) {
      const progress = current();
      if (progress.lessons[lessonId]) return structuredClone(progress);
      return commit({ ...progress, lessons: { ...progress.lessons, [lessonId]: { openedAt: now().toISOString() } } });
    },
    markLabPassed(labId, { withHelp = false } = {}) {
      const progress = current();
      const earlier = progress.labs[labId];
      // A pass without help is the better result and is never downgraded by a later helped pass.
      if (earlier && (!earlier.withHelp || withHelp)) return structuredClone(progress);
      const passedAt = earlier?.passedAt ?? now().toISOString();
      return commit({ ...progress, labs: { ...progress.labs, [labId]: { passedAt, withHelp } } });
    },
    setLabMode(labId, mode) {
      const progress = current();
      const earlier = progress.modes[labId];
      if (earlier?.mode === mode) return structuredClone(progress);
      return commit({ ...progress, modes: { ...progress.modes, [labId]: { mode, hintsShown: earlier?.hintsShown ?? 0 } } });
    },
    recordHint(labId, level) {
      if (!Number.isInteger(level) || level < 1 || level > HINT_LEVELS) throw new RangeError(`hint level must be 1 to ${HINT_LEVELS}, got ${level}`);
      const progress = current();
      const earlier = progress.modes[labId];
      if (earlier && earlier.hintsShown >= level) return structuredClone(progress);
      return commit({ ...progress, modes: { ...progress.modes, [labId]: { mode: 'challenge', hintsShown: level } } });
    },
    reset() {
      try {
        storage.removeItem(progressStorageKey);
      } catch {
        // Nothing more to do: the empty progress below still replaces the cached copy.
      }
      cached = undefined;
      return commit(emptyProgress());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    reload() {
      cached = undefined;
      const progress = current();
      for (const listener of listeners) listener(structuredClone(progress));
      return structuredClone(progress);
    },
  };
}
