/**
 * What the classroom server keeps, behind one small interface so another store (a hosted
 * database) can be added without touching the server. The default is node:sqlite
 * (./sqlite-store.ts). Secrets and learner tokens are stored as SHA-256 hashes only: a copy
 * of the database file does not let anyone act as the instructor or a learner.
 */
import type { GradeResult } from '../../sandboxes/grading/grade.ts';

export interface ClassRecord {
  /** The join code learners type or follow: short, unambiguous letters and digits. */
  code: string;
  name: string;
  createdAt: string;
}

export interface LearnerRecord {
  classCode: string;
  learnerId: string;
  name?: string;
  joinedAt: string;
}

export type HandInStatus = 'queued' | 'graded';

export interface HandInRecord {
  id: number;
  classCode: string;
  learnerId: string;
  lab: string;
  receivedAt: string;
  status: HandInStatus;
  /** Set once graded (a refused archive is graded as "refused" with its reason). */
  result?: GradeResult;
}

export interface ClassroomStore {
  createClass(record: ClassRecord, instructorSecretHash: string): void;
  classes(): ClassRecord[];
  findClass(code: string): ClassRecord | undefined;
  classForSecret(instructorSecretHash: string): ClassRecord | undefined;
  /** False when the learner id already joined this class (a second join needs the first token). */
  addLearner(record: LearnerRecord, tokenHash: string): boolean;
  learnerForToken(classCode: string, tokenHash: string): LearnerRecord | undefined;
  learners(classCode: string): LearnerRecord[];
  /** Stores the archive as received, before any grading: a crash loses no hand-in. */
  addHandIn(record: Omit<HandInRecord, 'id' | 'status' | 'result'>, archive: Uint8Array): number;
  archive(id: number): Uint8Array | undefined;
  setResult(id: number, result: GradeResult): void;
  /** Hand-ins not graded yet, oldest first (what a restarted server re-queues). */
  queued(): HandInRecord[];
  /** Every hand-in of a class (or of one learner in it), newest first. */
  handIns(classCode: string, learnerId?: string): HandInRecord[];
  close(): void;
}
