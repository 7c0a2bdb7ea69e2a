/**
 * The classroom's default store: one SQLite file through Node's built-in node:sqlite (no
 * native addon to install). WAL with synchronous=FULL: a hand-in the server answered 202 for
 * is on disk, whatever happens next.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GradeResult } from '../../sandboxes/grading/grade.ts';
import type { ClassRecord, ClassroomStore, HandInRecord, LearnerRecord } from './store.ts';

type SqliteModule = typeof import('node:sqlite');

export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable';
}

/** node:sqlite, or a clear error on a Node that keeps it behind a flag (22.12) or lacks it. */
export async function loadSqlite(): Promise<SqliteModule> {
  try {
    return await import('node:sqlite');
  } catch {
    throw new StoreUnavailable(
      `the classroom keeps its data in Node's built-in SQLite (node:sqlite), which this Node (${process.version}) does not enable by default. ` +
        'Use Node 22.13 or newer (the course recommends 24), or on 22.12 run: NODE_OPTIONS=--experimental-sqlite npm run classroom',
    );
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS classes (code TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS learners (class_code TEXT NOT NULL REFERENCES classes(code), learner_id TEXT NOT NULL, name TEXT, joined_at TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, PRIMARY KEY (class_code, learner_id));
CREATE TABLE IF NOT EXISTS hand_ins (id INTEGER PRIMARY KEY AUTOINCREMENT, class_code TEXT NOT NULL REFERENCES classes(code), learner_id TEXT NOT NULL, lab TEXT NOT NULL, received_at TEXT NOT NULL, archive BLOB NOT NULL, status TEXT NOT NULL DEFAULT 'queued', result TEXT);
CREATE INDEX IF NOT EXISTS hand_ins_by_class ON hand_ins (class_code, learner_id, id);
CREATE INDEX IF NOT EXISTS hand_ins_queued ON hand_ins (status, id);
`;

interface HandInRow {
  id: number;
  class_code: string;
  learner_id: string;
  lab: string;
  received_at: string;
  status: string;
  result: string | null;
}

function handInFromRow(row: HandInRow): HandInRecord {
  return {
    id: Number(row.id),
    classCode: row.class_code,
    learnerId: row.learner_id,
    lab: row.lab,
    receivedAt: row.received_at,
    status: row.status === 'graded' ? 'graded' : 'queued',
    ...(row.result ? { result: JSON.parse(row.result) as GradeResult } : {}),
  };
}

const learnerFromRow = (row: Record<string, unknown>): LearnerRecord => ({
  classCode: String(row.class_code),
  learnerId: String(row.learner_id),
  ...(row.name ? { name: String(row.name) } : {}),
  joinedAt: String(row.joined_at),
});

const classFromRow = (row: Record<string, unknown>): ClassRecord => ({ code: String(row.code), name: String(row.name), createdAt: String(row.created_at) });

export async function openSqliteStore(path: string): Promise<ClassroomStore> {
  const { DatabaseSync } = await loadSqlite();
  // Learners' names and e-mails live here: a new data folder is the instructor's alone.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  db.exec(SCHEMA);
  const HAND_IN_COLUMNS = 'id, class_code, learner_id, lab, received_at, status, result';
  const statements = {
    insertClass: db.prepare('INSERT INTO classes (code, name, created_at, secret_hash) VALUES (?, ?, ?, ?)'),
    classes: db.prepare('SELECT code, name, created_at FROM classes ORDER BY created_at'),
    findClass: db.prepare('SELECT code, name, created_at FROM classes WHERE code = ?'),
    classForSecret: db.prepare('SELECT code, name, created_at FROM classes WHERE secret_hash = ?'),
    insertLearner: db.prepare('INSERT OR IGNORE INTO learners (class_code, learner_id, name, joined_at, token_hash) VALUES (?, ?, ?, ?, ?)'),
    learnerForToken: db.prepare('SELECT class_code, learner_id, name, joined_at FROM learners WHERE class_code = ? AND token_hash = ?'),
    learners: db.prepare('SELECT class_code, learner_id, name, joined_at FROM learners WHERE class_code = ? ORDER BY joined_at'),
    insertHandIn: db.prepare('INSERT INTO hand_ins (class_code, learner_id, lab, received_at, archive) VALUES (?, ?, ?, ?, ?)'),
    archive: db.prepare('SELECT archive FROM hand_ins WHERE id = ?'),
    setResult: db.prepare("UPDATE hand_ins SET status = 'graded', result = ? WHERE id = ?"),
    queued: db.prepare(`SELECT ${HAND_IN_COLUMNS} FROM hand_ins WHERE status = 'queued' ORDER BY id`),
    handIns: db.prepare(`SELECT ${HAND_IN_COLUMNS} FROM hand_ins WHERE class_code = ? ORDER BY id DESC`),
    learnerHandIns: db.prepare(`SELECT ${HAND_IN_COLUMNS} FROM hand_ins WHERE class_code = ? AND learner_id = ? ORDER BY id DESC`),
  };
  return {
    createClass(record, secretHash) {
      statements.insertClass.run(record.code, record.name, record.createdAt, secretHash);
    },
    classes: () => statements.classes.all().map(classFromRow),
    findClass(code) {
      const row = statements.findClass.get(code);
      return row ? classFromRow(row) : undefined;
    },
    classForSecret(secretHash) {
      const row = statements.classForSecret.get(secretHash);
      return row ? classFromRow(row) : undefined;
    },
    addLearner(record, tokenHash) {
      const result = statements.insertLearner.run(record.classCode, record.learnerId, record.name ?? null, record.joinedAt, tokenHash);
      return Number(result.changes) === 1;
    },
    learnerForToken(classCode, tokenHash) {
      const row = statements.learnerForToken.get(classCode, tokenHash);
      return row ? learnerFromRow(row) : undefined;
    },
    learners: (classCode) => statements.learners.all(classCode).map(learnerFromRow),
    addHandIn(record, archive) {
      const result = statements.insertHandIn.run(record.classCode, record.learnerId, record.lab, record.receivedAt, archive);
      return Number(result.lastInsertRowid);
    },
    archive(id) {
      const row = statements.archive.get(id) as { archive?: Uint8Array } | undefined;
      return row?.archive ? new Uint8Array(row.archive) : undefined;
    },
    setResult(id, result) {
      statements.setResult.run(JSON.stringify(result), id);
    },
    queued: () => (statements.queued.all() as unknown as HandInRow[]).map(handInFromRow),
    handIns: (classCode, learnerId) =>
      ((learnerId ? statements.learnerHandIns.all(classCode, learnerId) : statements.handIns.all(classCode)) as unknown as HandInRow[]).map(handInFromRow),
    close() {
      if (db.isOpen) db.close();
    },
  };
}
