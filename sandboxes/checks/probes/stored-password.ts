/**
 * What the database holds for an account's password, read as the app reads it, and whether
 * that is what a password should be stored as: a bcrypt hash at cost 10 or more.
 */
import bcrypt from 'bcryptjs';
import type { CheckContext } from '../context.ts';
import { readerClient } from './app-database-login.ts';

/**
 * Is what the database holds for a password a bcrypt hash of it, at cost 10 or more? Plain
 * text, a fast hash (MD5, SHA-1, SHA-256, md5crypt) or a cheap bcrypt all fail, in words.
 */
export async function judgeStoredPassword(stored: string, password: string): Promise<{ ok: true; cost: number } | { ok: false; problem: string }> {
  if (stored === password) return { ok: false, problem: 'the password is stored as plain text' };
  const cost = Number(/^\$2[abxy]?\$(\d\d)\$[./A-Za-z0-9]{53}$/.exec(stored)?.[1]);
  if (!cost) {
    const kind = /^[0-9a-f]{32}$/i.test(stored) ? ' (it looks like MD5: a fast hash)' : /^[0-9a-f]{40}$/i.test(stored) ? ' (it looks like SHA-1: a fast hash)' : /^[0-9a-f]{64}$/i.test(stored) ? ' (it looks like SHA-256: a fast hash)' : '';
    return { ok: false, problem: `the password is stored as "${stored.slice(0, 12)}…", not a bcrypt hash${kind}` };
  }
  if (cost < 10) return { ok: false, problem: `the password is hashed with bcrypt at cost ${cost}; keep 10 or more` };
  if (!(await bcrypt.compare(password, stored))) return { ok: false, problem: 'the stored hash does not match the passphrase' };
  return { ok: true, cost };
}

export async function storedHash(ctx: CheckContext, email: string): Promise<{ hash: string } | { problem: string }> {
  try {
    const client = await readerClient(ctx);
    const doc = await client.db('cloudpets').collection('users').findOne({ email });
    if (!doc) return { problem: `the API said the account ${email} was created, but it is not in cloudpets.users` };
    return { hash: String(doc.password ?? doc.passwordHash ?? '') };
  } catch (error) {
    return { problem: `could not read the stored hash: ${(error as Error).message}` };
  }
}
