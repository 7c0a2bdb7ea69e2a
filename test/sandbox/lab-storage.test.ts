import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createLabStorage, type LabStorage } from '../../src/sandbox/lab-storage.ts';

let factory: IDBFactory;
let storage: LabStorage;

beforeEach(() => {
  factory = new IDBFactory();
  storage = createLabStorage(factory);
});

async function putRaw(key: string, value: unknown): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve) => {
    const request = factory.open('cloudpets-labs', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('labs');
    request.onsuccess = () => resolve(request.result);
  });
  await new Promise<void>((resolve) => {
    const tx = db.transaction('labs', 'readwrite');
    tx.objectStore('labs').put(value, key);
    tx.oncomplete = () => resolve();
  });
  db.close();
}

describe('lab storage (IndexedDB)', () => {
  it('has nothing for a lab never saved', async () => {
    expect(await storage.load('open-door')).toEqual({});
  });

  it('keeps edited files and downloads per lab, and a new page sees them', async () => {
    await storage.saveFile('lock-database', 'mongod.conf', 'net:\n  bindIp: 127.0.0.1\n');
    await storage.saveDownloads('lock-database', { 'downloads/users.json': new Uint8Array([1, 2, 3]) });
    await storage.saveFile('lock-database', 'api/.env', 'MONGODB_URI=x\n');
    const reopened = createLabStorage(factory);
    const { saved } = await reopened.load('lock-database');
    expect(saved?.files).toEqual({ 'mongod.conf': 'net:\n  bindIp: 127.0.0.1\n', 'api/.env': 'MONGODB_URI=x\n' });
    expect([...saved!.downloads['downloads/users.json']!]).toEqual([1, 2, 3]);
    expect((await reopened.load('open-door')).saved).toBeUndefined();
  });

  it('loses no save when the editor and the downloads sync save at the same moment', async () => {
    await Promise.all([
      storage.saveFile('lock-database', 'mongod.conf', 'edited'),
      storage.saveDownloads('lock-database', { 'downloads/a.wav': new Uint8Array([9]) }),
      storage.saveFile('lock-database', 'api/.env', 'MONGODB_URI=y\n'),
    ]);
    const { saved } = await createLabStorage(factory).load('lock-database');
    expect(saved?.files).toEqual({ 'mongod.conf': 'edited', 'api/.env': 'MONGODB_URI=y\n' });
    expect(Object.keys(saved!.downloads)).toEqual(['downloads/a.wav']);
  });

  it('clears a lab on reset without touching other labs', async () => {
    await storage.saveFile('a', 'x.txt', 'a');
    await storage.saveFile('b', 'x.txt', 'b');
    await storage.clear('a');
    expect((await storage.load('a')).saved).toBeUndefined();
    expect((await storage.load('b')).saved?.files).toEqual({ 'x.txt': 'b' });
  });

  it.each([
    ['not an object', 'garbage', /not an object/],
    ['an unknown version', { version: 9, labId: 'x', files: {} }, /unknown version 9/],
    ['another lab', { version: 1, labId: 'y', files: {} }, /belongs to lab "y"/],
    ['a file that is not text', { version: 1, labId: 'x', files: { 'a.conf': 42 } }, /file "a.conf" is not text/],
    ['downloads that is not bytes', { version: 1, labId: 'x', files: {}, downloads: { 'downloads/a.wav': 'abc' } }, /downloads "downloads\/a.wav" is not bytes/],
  ])('discards a saved record that is %s, with a warning that says so', async (_name, value, reason) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await putRaw('x', value);
    const result = await storage.load('x');
    expect(result.saved).toBeUndefined();
    expect(result.warning).toMatch(reason);
    expect(result.warning).toMatch(/discarded; the lab starts from its starting files/);
    expect(warn).toHaveBeenCalled();
    // It is gone, so the next load is clean and new saves work.
    expect(await storage.load('x')).toEqual({});
    await storage.saveFile('x', 'a.conf', 'ok');
    expect((await storage.load('x')).saved?.files).toEqual({ 'a.conf': 'ok' });
    warn.mockRestore();
  });
});
