/**
 * The learner's outputs in the lab panel: what they saved and found (downloads/, findings.txt
 * and the rest of the hand-in's output list, as the runtime's listOutputs gives them). The part
 * lists them for "Open another file", plays the recordings among them (recordings-view.ts),
 * and keeps a copy of downloads/ in this browser (lab-storage.ts) so a reload or a closed tab
 * loses none of the learner's loot.
 */
import type { LabSession } from '../runtimes/runtime.ts';
import { h } from './element.ts';
import type { LabStorage } from './lab-storage.ts';
import { createRecordingsView } from './recordings-view.ts';
import { DOWNLOADS_DIR } from '../../sandboxes/checks/learner-files/learner-file-names.ts';

/** How often downloads/ is compared with the browser's copy while the lab runs. */
export const DOWNLOADS_SYNC_MS = 3000;
/** The browser keeps at most this much of downloads/ (IndexedDB quotas vary; a lab's loot is far smaller). */
export const DOWNLOADS_LIMIT_BYTES = 32 * 1024 * 1024;

export interface OutputsPartOptions {
  labId: string;
  session: Pick<LabSession, 'listOutputs' | 'readFile'>;
  storage: Pick<LabStorage, 'saveDownloads'>;
  limitBytes?: number;
}

export interface OutputsPart {
  /** The outputs' lab-relative paths, sorted. */
  paths(): Promise<string[]>;
  /** Shows the recordings and starts keeping downloads/ while `running()` says the lab runs. */
  start(options: { running(): boolean; everyMs?: number }): Promise<void>;
  /** Stores downloads/ in the browser if it changed since the last time. */
  syncDownloads(): Promise<void>;
  /** Lists the recordings again. */
  refresh(): Promise<void>;
  /** After a reset: the browser's copy was cleared, so the next change is stored whatever it was before. */
  forgetStored(): void;
  stop(): void;
}

export function createOutputsPart(root: HTMLElement, options: OutputsPartOptions): OutputsPart {
  const { labId, session, storage } = options;
  const recordingsRoot = h('div', { class: 'lab-recordings' });
  root.append(recordingsRoot);
  const limit = options.limitBytes ?? DOWNLOADS_LIMIT_BYTES;
  let recordings: ReturnType<typeof createRecordingsView> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let storedListing = '';
  let storedSignature = '';

  const syncDownloads = async (): Promise<void> => {
    const outputs = await session.listOutputs();
    const entries = outputs.filter((output) => output.path.startsWith(`${DOWNLOADS_DIR}/`));
    // An unchanged listing means unchanged downloads: skip reading every file again (this runs
    // every few seconds).
    const listing = entries.map((entry) => `${entry.path}:${entry.version}`).join('|');
    if (listing === storedListing) return;
    storedListing = listing;
    const downloads: Record<string, Uint8Array> = {};
    let total = 0;
    for (const { path } of entries) {
      const bytes = await session.readFile(path).catch(() => undefined);
      if (!bytes || total + bytes.length > limit) continue;
      total += bytes.length;
      downloads[path] = bytes;
    }
    // A file touched but not changed (same bytes, new mtime) changes the listing; its size and
    // first bytes tell that apart cheaply, so the same downloads are not stored again.
    const signature = Object.entries(downloads)
      .map(([path, bytes]) => `${path}:${bytes.length}:${bytes.slice(0, 64).join(',')}`)
      .join('|');
    if (signature === storedSignature) return;
    storedSignature = signature;
    await storage.saveDownloads(labId, downloads);
    await recordings?.refresh(outputs);
  };

  return {
    paths: async () => (await session.listOutputs()).map((output) => output.path).sort(),
    async start({ running, everyMs = DOWNLOADS_SYNC_MS }) {
      recordings = createRecordingsView(recordingsRoot, () => session);
      await recordings.refresh();
      let syncing = false;
      timer = setInterval(() => {
        if (syncing || document.hidden || !running()) return;
        syncing = true;
        void syncDownloads()
          .catch(() => undefined)
          .finally(() => (syncing = false));
      }, everyMs);
    },
    syncDownloads,
    refresh: async () => recordings?.refresh(),
    forgetStored: () => void (storedSignature = ''),
    stop: () => clearInterval(timer),
  };
}
