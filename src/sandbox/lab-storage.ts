/**
 * The learner's work per lab, kept in the browser (IndexedDB) so a reload loses nothing:
 * the edited files and the downloads. One record per lab. A record that does not have the shape
 * we wrote is discarded with a warning rather than restored half-way.
 */

const DB_NAME = 'cloudpets-labs';
const STORE = 'labs';
const VERSION = 1;

export interface SavedLab {
  version: 1;
  labId: string;
  savedAt: string;
  /** Edited files: lab-relative path -> text. */
  files: Record<string, string>;
  /** Downloads: lab-relative path -> bytes. */
  downloads: Record<string, Uint8Array>;
}

export interface LabStorage {
  load(labId: string): Promise<{ saved?: SavedLab; warning?: string }>;
  saveFile(labId: string, path: string, text: string): Promise<void>;
  saveDownloads(labId: string, downloads: Record<string, Uint8Array>): Promise<void>;
  clear(labId: string): Promise<void>;
}

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

export function validateSavedLab(value: unknown, labId: string): SavedLab {
  const record = value as Partial<SavedLab> | null;
  if (!record || typeof record !== 'object') throw new Error('not an object');
  if (record.version !== 1) throw new Error(`unknown version ${String(record.version)}`);
  if (record.labId !== labId) throw new Error(`belongs to lab "${String(record.labId)}"`);
  if (!record.files || typeof record.files !== 'object') throw new Error('"files" missing');
  for (const [path, text] of Object.entries(record.files)) {
    if (typeof text !== 'string') throw new Error(`file "${path}" is not text`);
  }
  const downloads = record.downloads ?? {};
  if (typeof downloads !== 'object') throw new Error('"downloads" is not an object');
  for (const [path, bytes] of Object.entries(downloads)) {
    if (!(bytes instanceof Uint8Array)) throw new Error(`downloads "${path}" is not bytes`);
  }
  return { version: 1, labId, savedAt: String(record.savedAt ?? ''), files: { ...record.files }, downloads: { ...downloads } };
}

export function createLabStorage(factory: IDBFactory = indexedDB): LabStorage {
  let opened: Promise<IDBDatabase> | undefined;
  const open = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DB_NAME, VERSION);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('cannot open IndexedDB'));
      request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of this site; close it and reload'));
    }));

  const emptyRecord = (labId: string): SavedLab => ({ version: 1, labId, savedAt: '', files: {}, downloads: {} });

  async function read(labId: string): Promise<unknown> {
    const db = await open();
    return promised(db.transaction(STORE, 'readonly').objectStore(STORE).get(labId));
  }

  /**
   * Read, change and write a lab's record in one readwrite transaction. The editor and the
   * downloads sync save independently; with the read and the write in separate transactions, the
   * later write would drop the other's change.
   */
  async function update(labId: string, change: (record: SavedLab) => void): Promise<void> {
    const db = await open();
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    const request = store.get(labId);
    request.onsuccess = () => {
      let record: SavedLab;
      try {
        record = request.result === undefined ? emptyRecord(labId) : validateSavedLab(request.result, labId);
      } catch {
        record = emptyRecord(labId); // unreadable: load() reported and discarded it; start afresh
      }
      change(record);
      record.savedAt = new Date().toISOString();
      store.put(record, labId);
    };
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted (is the disk full?)'));
    });
  }

  async function load(labId: string): Promise<{ saved?: SavedLab; warning?: string }> {
    const raw = await read(labId);
    if (raw === undefined) return {};
    try {
      return { saved: validateSavedLab(raw, labId) };
    } catch (error) {
      const warning = `Your saved work for this lab could not be read (${(error as Error).message}) and was discarded; the lab starts from its starting files.`;
      console.warn(warning);
      await clear(labId);
      return { warning };
    }
  }

  async function clear(labId: string): Promise<void> {
    const db = await open();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(labId);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB delete failed'));
    });
  }

  return {
    load,
    clear,
    saveFile: (labId, path, text) => update(labId, (record) => void (record.files[path] = text)),
    saveDownloads: (labId, downloads) => update(labId, (record) => void (record.downloads = downloads)),
  };
}
