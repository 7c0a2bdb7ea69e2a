import {
  closeSync, existsSync, fchmodSync, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, renameSync, statSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { serialize, type Document } from 'bson';
import { readRecords, type StoredRecord } from './record-file.ts';

export const SNAPSHOT_FILE = 'lab-snapshot.bson';
export const JOURNAL_FILE = 'lab-journal.bson';
/**
 * The data files hold every document and the users' SCRAM keys: readable by the owner only,
 * as mongod creates its files (it runs with umask 077), and the folder closed to others too.
 */
export const DATA_FILE_MODE = 0o600;
const DATA_DIR_MODE = 0o700;

/**
 * Persistence under storage.dbPath: an append-only journal plus a snapshot.
 *
 * Why this design: a write costs only the bytes it changes (one append and one fdatasync
 * before the reply), so an update to one of 821,396 accounts does not rewrite the
 * collection, while start-up reads one snapshot and a bounded journal. When the journal
 * outgrows the snapshot the whole state is written to a temp file, synced and renamed
 * over the snapshot (atomic on POSIX), and only then is the journal emptied; a crash at any
 * point leaves either the old snapshot + full journal or the new snapshot.
 */
export class DurableLog {
  private journalFd: number | undefined;
  private pending: Uint8Array[] = [];
  private journalBytes = 0;
  private snapshotBytes = 0;

  constructor(readonly dir: string) {}

  /** Replays snapshot then journal; returns warnings worth logging. */
  load(apply: (record: StoredRecord) => void): string[] {
    mkdirSync(this.dir, { recursive: true, mode: DATA_DIR_MODE });
    const warnings: string[] = [];
    const snapshot = join(this.dir, SNAPSHOT_FILE);
    const journal = join(this.dir, JOURNAL_FILE);
    if (existsSync(snapshot)) {
      const { tornTailBytes } = readRecords(snapshot, apply);
      if (tornTailBytes) warnings.push(`${snapshot} ends with ${tornTailBytes} bytes of an incomplete record`);
      this.snapshotBytes = statSync(snapshot).size;
    }
    let validJournalBytes = 0;
    if (existsSync(journal)) {
      const size = statSync(journal).size;
      const { tornTailBytes } = readRecords(journal, apply);
      validJournalBytes = size - tornTailBytes;
      if (tornTailBytes) warnings.push(`dropped an unacknowledged write cut short at the end of ${journal} (${tornTailBytes} bytes)`);
    }
    this.journalFd = openSync(journal, 'a+', DATA_FILE_MODE);
    // A journal left by an older version may be world-readable: close it now.
    fchmodSync(this.journalFd, DATA_FILE_MODE);
    if (validJournalBytes !== fstatSync(this.journalFd).size) ftruncateSync(this.journalFd, validJournalBytes);
    this.journalBytes = validJournalBytes;
    return warnings;
  }

  append(header: Document, raws: Uint8Array[] = []): void {
    this.pending.push(serialize({ ...header, n: raws.length }), ...raws);
  }

  /** Makes every appended record durable; called before the reply goes out. */
  flush(): void {
    if (this.pending.length === 0 || this.journalFd === undefined) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    let written = 0;
    while (written < data.length) written += writeSync(this.journalFd, data, written);
    fdatasyncSync(this.journalFd);
    this.journalBytes += data.length;
  }

  needsCompaction(): boolean {
    return this.journalBytes > 0 && this.journalBytes > Math.max(this.snapshotBytes, 8 * 1024 * 1024);
  }

  hasJournal(): boolean {
    return this.journalBytes > 0;
  }

  /** Writes the whole state as a new snapshot (temp + fsync + rename), then empties the journal. */
  compact(writeState: (emit: (header: Document, raws: Uint8Array[]) => void) => void): void {
    this.flush();
    const target = join(this.dir, SNAPSHOT_FILE);
    const temp = `${target}.tmp`;
    const fd = openSync(temp, 'w', DATA_FILE_MODE);
    let size = 0;
    try {
      let batch: Uint8Array[] = [];
      let batchBytes = 0;
      const writeBatch = () => {
        const data = Buffer.concat(batch);
        let written = 0;
        while (written < data.length) written += writeSync(fd, data, written);
        size += data.length;
        batch = [];
        batchBytes = 0;
      };
      writeState((header, raws) => {
        const head = serialize({ ...header, n: raws.length });
        batch.push(head);
        batchBytes += head.length;
        for (const raw of raws) {
          batch.push(raw);
          batchBytes += raw.length;
          if (batchBytes > 8 * 1024 * 1024) writeBatch();
        }
      });
      writeBatch();
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    this.snapshotBytes = size;
    if (this.journalFd !== undefined) {
      ftruncateSync(this.journalFd, 0);
      fdatasyncSync(this.journalFd);
    }
    this.journalBytes = 0;
  }

  close(): void {
    this.flush();
    if (this.journalFd !== undefined) closeSync(this.journalFd);
    this.journalFd = undefined;
  }
}
