/**
 * The lab editor: CodeMirror 6, one tab per open file. Files on the lab's editable list are
 * read-write and saved with Ctrl/Cmd+S or the Save button; any other file opens read-only.
 * Each editor's accessible name is its file path.
 */
import { EditorView, basicSetup } from 'codemirror';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
// @lezer/highlight comes with @codemirror/language (its tag set); not a separate choice.
import { tags } from '@lezer/highlight';
import { keymap } from '@codemirror/view';
import { h } from './element.ts';

export interface EditorFile {
  path: string;
  text: string;
  editable: boolean;
}

export interface EditorPanel {
  open(file: EditorFile, options?: { select?: boolean }): void;
  /** Replace a file's text (after a reset or restore) without marking it changed. */
  replace(path: string, text: string): void;
  /** Put text into a file's editor as an unsaved change. */
  edit(path: string, text: string): void;
  text(path: string): string | undefined;
  isDirty(path: string): boolean;
  selected(): string | undefined;
  select(path: string): void;
  closeReadOnly(): void;
}

/**
 * A file's language, loaded when the first file of it opens: each language is a chunk of its
 * own (JavaScript's parser alone is larger than the rest of the editor's languages), and most
 * labs need one or two of them.
 */
async function languageFor(path: string): Promise<Extension> {
  if (/\.(ya?ml|conf)$/i.test(path)) return (await import('@codemirror/lang-yaml')).yaml();
  if (/\.json$/i.test(path)) return (await import('@codemirror/lang-json')).json();
  if (/\.(m?js|cjs|ts)$/i.test(path)) return (await import('@codemirror/lang-javascript')).javascript({ typescript: path.endsWith('.ts') });
  return [];
}

/**
 * Syntax colours from CSS variables (src/sandbox/lab-panel.css) so the editor follows the
 * site's light/dark theme; CodeMirror's default style has fixed light-theme colours.
 */
const highlight = HighlightStyle.define([
  { tag: tags.comment, color: 'var(--lab-code-comment)', fontStyle: 'italic' },
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--lab-code-key)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--lab-code-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--lab-code-number)' },
  { tag: [tags.keyword, tags.operatorKeyword, tags.modifier], color: 'var(--lab-code-keyword)' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'var(--lab-code-function)' },
  { tag: [tags.meta, tags.punctuation, tags.separator], color: 'var(--lab-code-punctuation)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px' },
  '.cm-content': { caretColor: 'var(--color-text)' },
  '.cm-activeLine': { backgroundColor: 'var(--lab-code-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--lab-code-active-line)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': { backgroundColor: 'var(--lab-code-selection) !important' },
  '.cm-cursor': { borderLeftColor: 'var(--color-text)' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)' },
  '.cm-gutters': { backgroundColor: 'var(--color-surface-sunken)', color: 'var(--color-text-muted)', borderRight: '1px solid var(--color-border)' },
  // A ring drawn inside the editor (the panel clips anything outside), not only a caret.
  '&.cm-focused': { outline: '3px solid var(--color-focus)', outlineOffset: '-3px' },
});

interface OpenFile {
  path: string;
  editable: boolean;
  saved: string;
  view: EditorView;
  tab: HTMLButtonElement;
  panel: HTMLElement;
}

export function createEditorPanel(
  root: HTMLElement,
  onSave: (path: string, text: string) => Promise<void>,
): EditorPanel {
  const tabs = h('div', { class: 'lab-editor-tabs', role: 'tablist', 'aria-label': 'Open files' });
  const saveButton = h('button', { type: 'button', class: 'lab-button', 'data-lab-save': true }, 'Save');
  const status = h('span', { class: 'lab-editor-status', role: 'status' });
  const toolbar = h('div', { class: 'lab-editor-toolbar' }, tabs, h('div', { class: 'lab-editor-actions' }, status, saveButton));
  const panels = h('div', { class: 'lab-editor-panels' });
  root.append(toolbar, panels);

  const files = new Map<string, OpenFile>();
  let current: OpenFile | undefined;

  const refresh = () => {
    for (const file of files.values()) {
      const dirty = file.view.state.doc.toString() !== file.saved;
      file.tab.dataset.dirty = String(dirty);
      file.tab.querySelector('.lab-tab-mark')!.textContent = dirty ? ' •' : file.editable ? '' : ' (read-only)';
    }
    saveButton.disabled = !current || !current.editable;
  };

  async function save(file: OpenFile): Promise<void> {
    if (!file.editable) {
      status.textContent = `${file.path} is read-only in this lab`;
      return;
    }
    const text = file.view.state.doc.toString();
    status.textContent = `Saving ${file.path}…`;
    try {
      await onSave(file.path, text);
      file.saved = text;
      status.textContent = `Saved ${file.path}`;
    } catch (error) {
      // Keep the text in the editor: nothing the learner typed is lost.
      status.textContent = `Could not save ${file.path}: ${(error as Error).message}`;
    }
    refresh();
  }

  function select(path: string): void {
    const file = files.get(path);
    if (!file) return;
    current = file;
    for (const other of files.values()) {
      const active = other === file;
      other.tab.setAttribute('aria-selected', String(active));
      other.tab.tabIndex = active ? 0 : -1;
      other.panel.hidden = !active;
    }
    refresh();
  }

  saveButton.addEventListener('click', () => current && void save(current));
  tabs.addEventListener('keydown', (event) => {
    const list = [...files.values()];
    const index = list.findIndex((file) => file === current);
    const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : undefined;
    if (next === undefined || list.length === 0) return;
    const target = list[(next + list.length) % list.length]!;
    select(target.path);
    target.tab.focus();
  });

  return {
    open(file, { select: selectIt = true } = {}) {
      const existing = files.get(file.path);
      if (existing) {
        if (selectIt) select(file.path);
        return;
      }
      const id = `lab-file-${files.size}-${Math.random().toString(36).slice(2, 8)}`;
      const tab = h(
        'button',
        { type: 'button', role: 'tab', id: `${id}-tab`, 'aria-controls': id, 'aria-selected': 'false', class: 'lab-tab', 'data-path': file.path },
        file.path,
        h('span', { class: 'lab-tab-mark', 'aria-hidden': 'true' }),
      );
      // Roving tabindex: only the selected file's tab is a Tab stop (arrow keys reach the rest).
      tab.tabIndex = -1;
      const panel = h('div', { role: 'tabpanel', id, 'aria-labelledby': `${id}-tab`, class: 'lab-editor-panel', hidden: true });
      const entry: OpenFile = { path: file.path, editable: file.editable, saved: file.text, tab, panel, view: undefined as unknown as EditorView };
      const language = new Compartment();
      entry.view = new EditorView({
        parent: panel,
        state: EditorState.create({
          doc: file.text,
          extensions: [
            keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => (void save(entry), true) }]),
            basicSetup,
            syntaxHighlighting(highlight),
            language.of([]),
            theme,
            EditorState.readOnly.of(!file.editable),
            EditorView.editable.of(file.editable),
            EditorView.contentAttributes.of({ 'aria-label': file.path }),
            EditorView.updateListener.of((update) => update.docChanged && refresh()),
          ],
        }),
      });
      // Highlighting arrives with the language's code; the text is editable before that.
      void languageFor(file.path)
        .then((extension) => entry.view.dispatch({ effects: language.reconfigure(extension) }))
        .catch(() => undefined);
      tab.addEventListener('click', () => select(file.path));
      files.set(file.path, entry);
      tabs.append(tab);
      panels.append(panel);
      if (selectIt || !current) select(file.path);
      refresh();
    },
    replace(path, text) {
      const file = files.get(path);
      if (!file) return;
      file.saved = text;
      file.view.dispatch({ changes: { from: 0, to: file.view.state.doc.length, insert: text } });
      refresh();
    },
    edit(path, text) {
      const file = files.get(path);
      if (!file) return;
      file.view.dispatch({ changes: { from: 0, to: file.view.state.doc.length, insert: text } });
      select(path);
    },
    text: (path) => files.get(path)?.view.state.doc.toString(),
    isDirty: (path) => {
      const file = files.get(path);
      return !!file && file.view.state.doc.toString() !== file.saved;
    },
    selected: () => current?.path,
    select,
    closeReadOnly() {
      for (const file of [...files.values()]) {
        if (file.editable) continue;
        file.view.destroy();
        file.tab.remove();
        file.panel.remove();
        files.delete(file.path);
        if (current === file) current = undefined;
      }
      const first = files.values().next().value;
      if (!current && first) select(first.path);
    },
  };
}
