/**
 * The secret file behind `npm start` (src/server/static/access-secret.ts): private, reused,
 * and never trusted when someone else could have written or read it.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessSecretError, accessSecretDir, loadOrCreateSecret, SECRET_PATTERN } from '../../src/server/static/access-secret.ts';

let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'access-secret-'));
  dir = join(root, 'cloudpets-breach-lab');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the access secret file', () => {
  it('is created in a 0700 folder as a 0600 file holding 256 random bits', () => {
    const { secret, file, created } = loadOrCreateSecret(dir);
    expect(created).toBe(true);
    expect(secret).toMatch(SECRET_PATTERN);
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is reused at the next start, so open tabs keep working', () => {
    const first = loadOrCreateSecret(dir);
    const second = loadOrCreateSecret(dir);
    expect(second).toEqual({ ...first, created: false });
  });

  it('is replaced when others could read it, or it is not a secret this code wrote', () => {
    const { secret, file } = loadOrCreateSecret(dir);
    chmodSync(file, 0o644);
    const afterOpen = loadOrCreateSecret(dir);
    expect(afterOpen.secret).not.toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'password\n', { mode: 0o600 });
    expect(loadOrCreateSecret(dir).secret).toMatch(SECRET_PATTERN);
  });

  it('never follows a link planted in place of the file', () => {
    mkdirSync(dir, { mode: 0o700 });
    const target = join(root, 'planted');
    writeFileSync(target, 'A'.repeat(43), { mode: 0o600 });
    symlinkSync(target, join(dir, 'secret'));
    const { secret } = loadOrCreateSecret(dir);
    expect(secret).not.toBe('A'.repeat(43));
    expect(readFileSync(target, 'utf8')).toBe('A'.repeat(43));
  });

  it('tightens a folder others could read, and refuses a folder that is a link', () => {
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    loadOrCreateSecret(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const linked = join(root, 'linked');
    symlinkSync(dir, linked);
    expect(() => loadOrCreateSecret(linked)).toThrow(AccessSecretError);
  });

  it('lives in $XDG_RUNTIME_DIR when it is ours, else in the cache folder', () => {
    expect(accessSecretDir({ XDG_RUNTIME_DIR: root })).toBe(join(root, 'cloudpets-breach-lab'));
    expect(accessSecretDir({ XDG_RUNTIME_DIR: join(root, 'missing'), XDG_CACHE_HOME: '/c' })).toBe('/c/cloudpets-breach-lab');
  });
});
