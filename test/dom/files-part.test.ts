/**
 * The files part of the lab panel against a fake lab session, with the real editor
 * (CodeMirror runs in happy-dom): the editable files open from the lab, Save writes through
 * the runtime and keeps a copy in the browser, a failed write says so and keeps every
 * character the learner typed, and "Open another file" lists the lab's files and the
 * learner's outputs and opens them read-only.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEditorPanel } from '../../src/sandbox/editor-view.ts';
import { createFilesPart } from '../../src/sandbox/files-part.ts';
import { fakeLabSession, type FakeLabSession } from './fake-lab-session.ts';

const lab = { id: 'open-door', editable: ['settings.yaml'], files: ['README.txt', 'settings.yaml', 'logs/app.log'] };

async function mount(session: FakeLabSession, storage = { saveFile: vi.fn(async () => undefined) }) {
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  const notice = vi.fn();
  const part = createFilesPart(root, { lab, session, storage, notice, outputPaths: async () => (await session.listOutputs()).map((output) => output.path) });
  await part.start(createEditorPanel);
  const q = <T extends Element>(selector: string) => root.querySelector<T>(selector)!;
  return {
    root,
    part,
    storage,
    notice,
    // The editor's text as the learner sees it, line by line.
    text: (path: string) => [...root.querySelectorAll(`.cm-content[aria-label="${path}"] .cm-line`)].map((line) => line.textContent).join('\n'),
    status: () => q('.lab-editor-status').textContent,
    save: () => q<HTMLButtonElement>('[data-lab-save]').click(),
    select: q<HTMLSelectElement>('select'),
    tabs: () => [...root.querySelectorAll<HTMLElement>('[role="tab"]')].map((tab) => tab.dataset.path),
  };
}

const decode = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

afterEach(() => document.body.replaceChildren());

describe('the files part', () => {
  it('opens the editable files with the text the lab has', async () => {
    const { text, tabs } = await mount(fakeLabSession(lab.id, { 'settings.yaml': 'door: open\n' }));
    expect(tabs()).toEqual(['settings.yaml']);
    expect(text('settings.yaml')).toBe('door: open\n');
  });

  it('saves through the runtime and keeps a copy in this browser', async () => {
    const session = fakeLabSession(lab.id, { 'settings.yaml': 'door: open\n' });
    const { part, save, status, storage } = await mount(session);
    part.edit('settings.yaml', 'door: closed\n');
    expect(part.unsavedPaths()).toEqual(['settings.yaml']);
    save();
    await vi.waitFor(() => expect(status()).toBe('Saved settings.yaml'));
    expect(decode(session.files.get('settings.yaml'))).toBe('door: closed\n');
    expect(storage.saveFile).toHaveBeenCalledWith(lab.id, 'settings.yaml', 'door: closed\n');
    expect(part.unsavedPaths()).toEqual([]);
  });

  it('reports a failed write and loses none of the editor text', async () => {
    const session = fakeLabSession(lab.id, { 'settings.yaml': 'door: open\n' });
    const { part, save, status, storage, text } = await mount(session);
    session.beforeWrite = () => {
      throw new Error('the lab is not running');
    };
    part.edit('settings.yaml', 'door: closed\nlock: on\n');
    save();
    await vi.waitFor(() => expect(status()).toBe('Could not save settings.yaml: the lab is not running'));
    expect(text('settings.yaml')).toBe('door: closed\nlock: on\n');
    expect(part.unsavedPaths()).toEqual(['settings.yaml']);
    expect(decode(session.files.get('settings.yaml'))).toBe('door: open\n');
    expect(storage.saveFile).not.toHaveBeenCalled();

    // Once the lab writes again, the same text saves.
    session.beforeWrite = () => undefined;
    save();
    await vi.waitFor(() => expect(status()).toBe('Saved settings.yaml'));
    expect(decode(session.files.get('settings.yaml'))).toBe('door: closed\nlock: on\n');
  });

  it('says so when the lab saved but this browser could not keep a copy', async () => {
    const session = fakeLabSession(lab.id, { 'settings.yaml': 'door: open\n' });
    const storage = { saveFile: vi.fn(async () => Promise.reject(new Error('the disk is full'))) };
    const { part, save, status, notice } = await mount(session, storage);
    part.edit('settings.yaml', 'door: closed\n');
    save();
    await vi.waitFor(() => expect(status()).toBe('Saved settings.yaml'));
    expect(notice).toHaveBeenCalledWith('Saved in the lab, but not in this browser: the disk is full', 'warning');
  });

  it('lists the starting files and the learner\'s outputs, not the editable files nor recordings, and opens one read-only', async () => {
    const session = fakeLabSession(lab.id, {
      'settings.yaml': 'door: open\n',
      'README.txt': 'Close the door in settings.yaml.\n',
      'findings.txt': 'host: db.cloudpets.test\n',
      'downloads/users.jsonl': '{"email":"a@example.com"}\n',
      'downloads/call-1.wav': new Uint8Array([82, 73, 70, 70]),
    });
    const { select, tabs, text, root } = await mount(session);
    expect([...select.options].slice(1).map((option) => option.value)).toEqual(['README.txt', 'downloads/users.jsonl', 'findings.txt', 'logs/app.log']);
    select.value = 'README.txt';
    select.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(tabs()).toEqual(['settings.yaml', 'README.txt']));
    expect(text('README.txt')).toBe('Close the door in settings.yaml.\n');
    expect(root.querySelector('.cm-content[aria-label="README.txt"]')!.getAttribute('contenteditable')).toBe('false');
    expect(root.querySelector<HTMLButtonElement>('[data-lab-save]')!.disabled).toBe(true);
  });

  it('lists new outputs when the list gets focus, and says when a listed file is gone', async () => {
    const session = fakeLabSession(lab.id, { 'settings.yaml': 'door: open\n' });
    const { select, notice } = await mount(session);
    session.put('downloads/loot.json', '{}');
    select.dispatchEvent(new Event('focus'));
    await vi.waitFor(() => expect([...select.options].map((option) => option.value)).toContain('downloads/loot.json'));
    select.value = 'logs/app.log'; // in the lab's meta, never made in this lab
    select.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(notice).toHaveBeenCalledWith('Cannot open logs/app.log: it is gone.', 'warning'));
  });

  it('after a reset, shows the files as the lab has them again and closes read-only files', async () => {
    const session = fakeLabSession(lab.id, { 'settings.yaml': 'door: closed\n', 'README.txt': 'Read me\n' });
    const { part, select, tabs, text } = await mount(session);
    select.value = 'README.txt';
    select.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(tabs()).toEqual(['settings.yaml', 'README.txt']));
    session.put('settings.yaml', 'door: open\n');
    await part.reload();
    expect(tabs()).toEqual(['settings.yaml']);
    expect(text('settings.yaml')).toBe('door: open\n');
    expect(part.unsavedPaths()).toEqual([]);
  });
});
