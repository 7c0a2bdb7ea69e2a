import { randomUUID } from 'node:crypto';
import { UUID, type Document } from 'bson';
import { CommandError } from '../errors.ts';
import type { Store } from '../storage/store.ts';
import { roleExists, type RoleRef } from './roles.ts';
import { makeCredential, SCRAM_MECHANISMS, type ScramCredential, type ScramMechanism } from './scram.ts';

export interface UserRecord {
  _id: string;
  userId: UUID;
  user: string;
  db: string;
  credentials: Partial<Record<ScramMechanism, ScramCredential>>;
  roles: RoleRef[];
  customData?: Document;
}

/**
 * Users live where mongod keeps them, as documents in admin.system.users, so they persist
 * with the data and `db.getSiblingDB('admin').system.users.find()` shows what an attacker
 * with root would see: salted SCRAM keys, never a password.
 */
export class UserDirectory {
  constructor(private readonly store: Store) {}

  private get coll() {
    return this.store.collection('admin', 'system.users');
  }

  hasAnyUser(): boolean {
    return (this.coll?.size ?? 0) > 0;
  }

  find(db: string, user: string): UserRecord | undefined {
    return this.coll?.getById(`${db}.${user}`) as UserRecord | undefined;
  }

  all(): UserRecord[] {
    return this.coll ? ([...this.coll.documents()] as UserRecord[]) : [];
  }

  create(db: string, user: string, pwd: string, roles: RoleRef[], mechanisms?: ScramMechanism[], customData?: Document): void {
    if (this.find(db, user)) throw new CommandError('Location51024', `User "${user}@${db}" already exists`);
    const mechs = mechanisms ?? SCRAM_MECHANISMS;
    const record: UserRecord = {
      _id: `${db}.${user}`,
      userId: new UUID(randomUUID()),
      user,
      db,
      credentials: Object.fromEntries(mechs.map((m) => [m, makeCredential(m, user, pwd)])),
      roles,
    };
    if (customData) record.customData = customData;
    const coll = this.store.ensureCollection('admin', 'system.users');
    this.store.insert(coll, record as unknown as Document);
  }

  update(db: string, user: string, change: (record: UserRecord) => void): void {
    const old = this.find(db, user);
    if (!old) throw new CommandError('UserNotFound', `Could not find user "${user}" for db "${db}"`);
    const next = structuredCloneUser(old);
    change(next);
    this.store.replace(this.coll!, old as unknown as Document, next as unknown as Document);
  }

  drop(db: string, user: string): void {
    const old = this.find(db, user);
    if (!old) throw new CommandError('UserNotFound', `User '${user}@${db}' not found`);
    this.store.remove(this.coll!, old as unknown as Document);
  }

  static setPassword(record: UserRecord, pwd: string, mechanisms?: ScramMechanism[]): void {
    const mechs = mechanisms ?? (Object.keys(record.credentials) as ScramMechanism[]);
    record.credentials = Object.fromEntries(mechs.map((m) => [m, makeCredential(m, record.user, pwd)]));
  }
}

function structuredCloneUser(record: UserRecord): UserRecord {
  return {
    ...record,
    credentials: { ...record.credentials },
    roles: record.roles.map((r) => ({ ...r })),
  };
}

/** Parses a `roles` array of "name" or {role, db}, checking each names a built-in role. */
export function parseRoles(value: unknown, defaultDb: string): RoleRef[] {
  if (!Array.isArray(value)) throw new CommandError('BadValue', '"roles" must be an array of role names or {role, db} documents');
  return value.map((item) => {
    const ref: RoleRef =
      typeof item === 'string'
        ? { role: item, db: defaultDb }
        : { role: String((item as Document)?.role), db: String((item as Document)?.db ?? defaultDb) };
    if (!roleExists(ref)) throw new CommandError('RoleNotFound', `Could not find role: ${ref.role}@${ref.db}`);
    return ref;
  });
}

export function parseMechanisms(value: unknown): ScramMechanism[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw new CommandError('BadValue', '"mechanisms" must be a non-empty array');
  for (const m of value) {
    if (!SCRAM_MECHANISMS.includes(m)) throw new CommandError('BadValue', `Unknown auth mechanism '${String(m)}'`);
  }
  return value as ScramMechanism[];
}

