/**
 * The files part of the lab panel: the editor (editor-view.ts) with the lab's editable files,
 * and "Open another file", which opens any other lab file read-only. Files are read and saved
 * only through the runtime's lab operations (readFile, writeFile); a save also keeps the text
 * in this browser (lab-storage.ts) so a reload loses nothing.
 *
 * The editor's code (CodeMirror) is not needed for the terminal's prompt, so the part is made
 * first with an empty Files tab; the workbench loads the editor's module when the page is idle
 * and hands it to start().
 */
import type { LabSession } from '../runtimes/runtime.ts';
import { h } from './element.ts';
import type { EditorPanel } from './editor-view.ts';
import type { LabMetaJson } from './lab-meta.ts';
import type { LabStorage } from './lab-storage.ts';
import type { Notify } from './lab-notices.ts';
import { readLabText } from './lab-text.ts';

const decoder = new TextDecoder();
/** A read-only file is shown up to this size: the editor is for reading config and findings, not data dumps. */
const READ_ONLY_LIMIT_BYTES = 512 * 1024;
/** Recordings play in the Recordings tab; as text they are noise. */
const NOT_TEXT = /\.wav$/i;

export interface FilesPartOptions {
  lab: Pick<LabMetaJson, 'id' | 'editable' | 'files'>;
  session: Pick<LabSession, 'readFile' | 'writeFile'>;
  storage: Pick<LabStorage, 'saveFile'>;
  /** The learner's outputs (outputs-part.ts), listed beside the lab's starting files. */
  outputPaths(): Promise<string[]>;
  notice: Notify;
}

export interface FilesPart {
  /** Makes the editor with the editable files as the lab has them, and fills the file list. */
  start(createEditorPanel: typeof import('./editor-view.ts').createEditorPanel): Promise<void>;
  /** The editable files again, as the lab now has them (after a reset); read-only tabs close. */
  reload(): Promise<void>;
  /** Editable files whose editor text is not saved yet. */
  unsavedPaths(): string[];
  /** Puts text into an editable file's editor as an unsaved change (the solution's "Put into"). */
  edit(path: string, text: string): void;
  /** Fills "Open another file" again (it is also refreshed whenever it gets focus). */
  refreshFileList(): Promise<void>;
}

export function createFilesPart(root: HTMLElement, options: FilesPartOptions): FilesPart {
  const { lab, session, storage, notice } = options;
  const editorRoot = h('div', { class: 'lab-editor' });
  const fileSelect = h(
    'select',
    { class: 'lab-select', 'aria-label': 'Open another lab file (read-only)' },
    h('option', { value: '' }, 'Open another file (read-only)…'),
  );
  root.append(h('div', { class: 'lab-row lab-files-bar' }, fileSelect), editorRoot);
  let editor: EditorPanel | undefined;

  const save = async (path: string, text: string): Promise<void> => {
    // A failed write throws: the editor says so and keeps the text (editor-view.ts).
    await session.writeFile(path, text);
    await storage.saveFile(lab.id, path, text).catch((error: Error) => notice(`Saved in the lab, but not in this browser: ${error.message}`, 'warning'));
  };

  const loadEditable = async (panel: EditorPanel): Promise<void> => {
    for (const path of lab.editable) {
      // A file the lab does not have (yet) opens empty: saving it creates it.
      const text = await readLabText(session, path);
      panel.open({ path, text, editable: true }, { select: false });
      panel.replace(path, text);
    }
  };

  const refreshFileList = async (): Promise<void> => {
    // The lab's starting files (from its meta) and the learner's outputs, besides the editable files.
    const outputs = await options.outputPaths().catch(() => []);
    const files = [...new Set([...(lab.files ?? []), ...outputs])].filter((path) => !lab.editable.includes(path) && !NOT_TEXT.test(path)).sort();
    fileSelect.replaceChildren(fileSelect.options[0]!, ...files.map((path) => h('option', { value: path }, path)));
  };

  fileSelect.addEventListener('focus', () => void refreshFileList());
  fileSelect.addEventListener('change', async () => {
    const path = fileSelect.value;
    fileSelect.value = '';
    if (!path || !editor) return;
    const bytes = await session.readFile(path).catch(() => undefined);
    if (!bytes) return notice(`Cannot open ${path}: it is gone.`, 'warning');
    editor.open({ path, text: decoder.decode(bytes.slice(0, READ_ONLY_LIMIT_BYTES)), editable: false });
  });

  return {
    async start(createEditorPanel) {
      const panel = createEditorPanel(editorRoot, save);
      editor = panel;
      await loadEditable(panel);
      await refreshFileList();
    },
    async reload() {
      if (!editor) return;
      editor.closeReadOnly();
      await loadEditable(editor);
    },
    unsavedPaths: () => lab.editable.filter((path) => editor?.isDirty(path) ?? false),
    edit: (path, text) => editor?.edit(path, text),
    refreshFileList,
  };
}
