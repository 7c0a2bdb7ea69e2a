import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The secret that lets the learner, and no one else on the machine, into `npm start` (the
 * pages and the local runner's shell). As Jupyter Server does, it is printed in the terminal as
 * part of the address to open, and kept in a file only the learner can read:
 *
 *   $XDG_RUNTIME_DIR/cloudpets-breach-lab/secret   (Linux desktops: a per-user tmpfs, 0700)
 *   ~/.cache/cloudpets-breach-lab/secret           (everywhere else; $XDG_CACHE_HOME if set)
 *
 * The folder is 0700 and the file 0600. The secret is reused while that file exists, so a tab
 * left open keeps working after `npm start` restarts; delete the file for a new one (logging
 * out clears $XDG_RUNTIME_DIR, which does the same).
 */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export class AccessSecretError extends Error {}

/** The folder the secret lives in, from the environment (no file system access). */
export function accessSecretDir(env: NodeJS.ProcessEnv = process.env): string {
  const runtimeDir = env.XDG_RUNTIME_DIR?.trim();
  if (runtimeDir && isOwnDirectory(runtimeDir)) return join(runtimeDir, 'cloudpets-breach-lab');
  const cacheDir = env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache');
  return join(cacheDir, 'cloudpets-breach-lab');
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function isOwnDirectory(path: string): boolean {
  try {
    const info = lstatSync(path);
    return info.isDirectory() && (process.getuid === undefined || info.uid === process.getuid());
  } catch {
    return false;
  }
}

/** Creates the folder 0700, or tightens it; refuses a folder someone else owns or a link. */
function privateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const info = lstatSync(dir);
  if (!info.isDirectory()) throw new AccessSecretError(`${dir} must be a folder (it is a link or a file); remove it and start again`);
  if (process.getuid !== undefined && info.uid !== process.getuid()) {
    throw new AccessSecretError(`${dir} belongs to another user, so the secret cannot be kept private there; remove it and start again`);
  }
  if ((info.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** The stored secret when the file is ours, private, a regular file and well formed. */
function readPrivateSecret(file: string): string | undefined {
  try {
    const info = lstatSync(file);
    if (!info.isFile() || (info.mode & 0o077) !== 0) return undefined;
    if (process.getuid !== undefined && info.uid !== process.getuid()) return undefined;
    const secret = readFileSync(file, 'utf8').trim();
    return SECRET_PATTERN.test(secret) ? secret : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the learner's secret, or creates it. Several `npm start`s may start at once (tests,
 * two terminals): the file appears whole and only once (written to a private temporary file,
 * then hard-linked into place, which fails if another process won), and a valid secret is
 * never replaced, so no running server's address stops working.
 */
export function loadOrCreateSecret(dir = accessSecretDir()): { secret: string; file: string; created: boolean } {
  privateFolder(dir);
  const file = join(dir, 'secret');
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = readPrivateSecret(file);
    if (existing) return { secret: existing, file, created: false };
    if (existsQuietly(file)) {
      // Unreadable, too open, someone else's or malformed: not a secret to trust.
      unlinkSync(file);
      continue;
    }
    const secret = newSecret();
    const temp = join(dir, `.secret-${process.pid}-${attempt}`);
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, `${secret}\n`);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temp, file);
      return { secret, file, created: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another npm start made one first: use it (next round).
    } finally {
      unlinkSync(temp);
    }
  }
  throw new AccessSecretError(`could not create a private secret in ${dir}; remove that folder and start again`);
}

function existsQuietly(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
