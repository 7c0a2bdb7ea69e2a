import { appendFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EJSON } from 'bson';

export type Severity = 'F' | 'E' | 'W' | 'I' | 'D1' | 'D2';
export type Component = 'NETWORK' | 'ACCESS' | 'COMMAND' | 'CONTROL' | 'STORAGE' | 'QUERY' | 'WRITE' | '-';

export interface LogEntry {
  s: Severity;
  c: Component;
  id: number;
  ctx: string;
  msg: string;
  attr?: Record<string, unknown>;
  tags?: string[];
}

export interface LogOptions {
  /** systemLog.path; without it lines only go to `sink` and the in-memory ring. */
  path?: string;
  logAppend?: boolean;
  /** systemLog.verbosity: D1 lines are written only at 1 and above, as in mongod. */
  verbosity?: number;
  sink?: (line: string) => void;
}

const RING_SIZE = 1024;
/** The log names users, addresses and commands: owner-only, as mongod creates it. */
export const LOG_FILE_MODE = 0o600;

/**
 * mongod's structured log (4.4+): one JSON object per line with t, s, c, id, ctx, msg, attr.
 * The detection lesson and the checks read these lines, so field names and message ids are
 * mongod's. Lines are also kept in memory for `getLog` (global, startupWarnings).
 */
export class MongodLog {
  private readonly ring: string[] = [];
  readonly startupWarnings: string[] = [];
  private readonly options: LogOptions;
  private closed = false;
  private fileFailed = false;
  private readonly listeners = new Set<(entry: LogEntry, line: string) => void>();

  constructor(options: LogOptions = {}) {
    this.options = options;
    if (options.path) {
      mkdirSync(dirname(options.path), { recursive: true });
      // Like mongod without logAppend: the previous log is kept, renamed with a timestamp.
      if (!options.logAppend && existsSync(options.path)) {
        renameSync(options.path, `${options.path}.${new Date().toISOString().replace(/:/g, '-')}`);
      }
      if (!options.logAppend) writeFileSync(options.path, '', { mode: LOG_FILE_MODE });
    }
  }

  get path(): string | undefined {
    return this.options.path;
  }

  write(entry: LogEntry): void {
    if (entry.s.startsWith('D') && Number(entry.s.slice(1)) > (this.options.verbosity ?? 0)) return;
    const record: Record<string, unknown> = { t: { $date: mongodDate(new Date()) }, s: entry.s, c: entry.c, id: entry.id, ctx: entry.ctx, msg: entry.msg };
    if (entry.attr) record.attr = entry.attr;
    if (entry.tags) record.tags = entry.tags;
    const line = EJSON.stringify(record, { relaxed: true });
    this.ring.push(line);
    if (this.ring.length > RING_SIZE) this.ring.shift();
    if (this.options.path && !this.closed) {
      try {
        appendFileSync(this.options.path, `${line}\n`, { mode: LOG_FILE_MODE });
      } catch (error) {
        // A log file that vanished (a learner deleted the folder) must not take the database
        // down: the line stays in memory and the failure is reported once.
        if (!this.fileFailed) process.stderr.write(`mongod log: cannot write ${this.options.path}: ${(error as Error).message}\n`);
        this.fileFailed = true;
      }
    }
    this.options.sink?.(line);
    for (const listener of this.listeners) listener(entry, line);
  }

  /** A startup warning: logged, and listed by getLog "startupWarnings" (what mongosh shows). */
  warnAtStartup(entry: Omit<LogEntry, 's'>): void {
    const before = this.ring.length;
    this.write({ ...entry, s: 'W' });
    if (this.ring.length > before || this.ring.length === RING_SIZE) this.startupWarnings.push(this.ring.at(-1)!);
  }

  /** Stops writing to the file (after shutdown); lines still reach memory and the sink. */
  close(): void {
    this.closed = true;
  }

  recent(): string[] {
    return [...this.ring];
  }

  onLine(listener: (entry: LogEntry, line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** mongod writes local time with an explicit offset; UTC is "+00:00". */
function mongodDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}
