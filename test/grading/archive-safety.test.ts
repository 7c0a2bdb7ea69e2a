/**
 * Archives made by someone else: every kind of malicious or broken one is refused before
 * anything is unpacked, with a reason a person can act on.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { ArchiveError, DEFAULT_LIMITS, readHandIn } from '../../sandboxes/grading/archive-reader.ts';
import { buildHandInArchive, MANIFEST_NAME } from '../../sandboxes/grading/hand-in-format.ts';
import { loadSubmissions } from '../../sandboxes/grading/load-submissions.ts';

const manifest = {
  lab: 'recon',
  courseVersion: '0.1.0',
  learner: { id: 'l-0123456789abcdef', name: 'Ada' },
  world: { seed: 123456, users: 150 },
  runtime: 'node',
  timestamps: { handedInAt: '2026-11-29T20:00:00.000Z' },
};
const good = (): Uint8Array => buildHandInArchive(manifest, { 'findings.txt': 'host: db.cloudpets.test\n' });
const manifestEntry = (): Uint8Array => strToU8(JSON.stringify({ format: 'cloudpets-hand-in/1', ...manifest, files: [] }));

function refusal(bytes: Uint8Array, limits = DEFAULT_LIMITS): string {
  try {
    readHandIn(bytes, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(ArchiveError);
    return (error as Error).message;
  }
  throw new Error('the archive was accepted');
}

describe('hand-in archives', () => {
  it('reads back what "Download my work" packed', () => {
    const handIn = readHandIn(good());
    expect(handIn.manifest.learner.name).toBe('Ada');
    expect(handIn.manifest.world.seed).toBe(123456);
    expect(new TextDecoder().decode(handIn.files.get('findings.txt'))).toContain('db.cloudpets.test');
  });

  it('packs the same work into the same bytes (both runtimes give one archive)', () => {
    expect(Buffer.from(good()).equals(Buffer.from(good()))).toBe(true);
  });

  it('refuses bytes that are not a zip, and a damaged zip', () => {
    expect(refusal(strToU8('this is not a zip file at all, just text'))).toMatch(/not a zip archive/);
    const damaged = good().slice();
    damaged.fill(0x41, 30, 200);
    expect(refusal(damaged)).toMatch(/damaged|cannot be unpacked|does not unpack/);
    expect(refusal(good().slice(0, 60))).toMatch(/not a zip|damaged/);
  });

  it('refuses path traversal, absolute paths, backslashes and drive letters', () => {
    for (const name of ['files/../../etc/passwd', '../outside.txt', '/etc/passwd', 'files\\..\\x', 'C:/Windows/x', 'files/./x']) {
      expect(refusal(zipSync({ [MANIFEST_NAME]: manifestEntry(), [name]: strToU8('x') })), name).toMatch(/refused/);
    }
  });

  it('refuses symbolic links', () => {
    const link = zipSync({ [MANIFEST_NAME]: manifestEntry(), 'files/findings.txt': [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] });
    expect(refusal(link)).toMatch(/symbolic link/);
  });

  it('refuses zip bombs by ratio and by total size, and oversized archives', () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    expect(refusal(zipSync({ [MANIFEST_NAME]: manifestEntry(), 'files/downloads/a.json': zeros }))).toMatch(/zip bomb/);
    expect(refusal(good(), { ...DEFAULT_LIMITS, maxTotalBytes: 100 })).toMatch(/unpacks to more than/);
    expect(refusal(good(), { ...DEFAULT_LIMITS, maxArchiveBytes: 100 })).toMatch(/at most/);
  });

  it('refuses too many entries', () => {
    const entries: Record<string, Uint8Array> = { [MANIFEST_NAME]: manifestEntry() };
    for (let i = 0; i < 30; i++) entries[`files/downloads/${i}.txt`] = strToU8(String(i));
    expect(refusal(zipSync(entries), { ...DEFAULT_LIMITS, maxEntries: 20 })).toMatch(/31 entries; at most 20/);
  });

  it('refuses a missing or malformed manifest, and entries outside files/', () => {
    expect(refusal(zipSync({ 'files/findings.txt': strToU8('x') }))).toMatch(/no cloudpets-hand-in.json/);
    expect(refusal(zipSync({ [MANIFEST_NAME]: strToU8('{nope') }))).toMatch(/not valid JSON/);
    expect(refusal(zipSync({ [MANIFEST_NAME]: strToU8(JSON.stringify({ format: 'cloudpets-hand-in/1', lab: 'recon' })) }))).toMatch(/missing or has a wrong/);
    expect(refusal(zipSync({ [MANIFEST_NAME]: manifestEntry(), 'evil.sh': strToU8('x') }))).toMatch(/outside files\//);
  });

  it('refuses a folder hand-in that holds a symbolic link, and says what is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudpets-handin-folder-'));
    writeFileSync(join(dir, MANIFEST_NAME), manifestEntry());
    mkdirSync(join(dir, 'files'));
    symlinkSync('/etc/passwd', join(dir, 'files', 'findings.txt'));
    const [loaded] = loadSubmissions(dir);
    expect(loaded && 'error' in loaded && loaded.error).toMatch(/symbolic link/);
    const [missing] = loadSubmissions(join(dir, 'nope.zip'));
    expect(missing && 'error' in missing && missing.error).toMatch(/no such file/);
  });
});
