/**
 * The learner's outputs part against a fake lab session: it lists the outputs, shows the
 * recordings among them, and keeps a copy of downloads/ in the browser: only when it changed,
 * within the size limit, only while the lab runs, and again after a reset cleared the copy.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOutputsPart } from '../../src/sandbox/outputs-part.ts';
import { fakeLabSession, type FakeLabSession } from './fake-lab-session.ts';

const LAB = 'recon';

function mount(session: FakeLabSession, limitBytes?: number) {
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  const saveDownloads = vi.fn(async (_labId: string, _downloads: Record<string, Uint8Array>) => undefined);
  const part = createOutputsPart(root, { labId: LAB, session, storage: { saveDownloads }, ...(limitBytes ? { limitBytes } : {}) });
  const stored = (call = -1) => Object.keys(saveDownloads.mock.calls.at(call)?.[1] ?? {}).sort();
  return { root, part, saveDownloads, stored };
}

afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe('the learner outputs part', () => {
  it('lists the outputs: downloads and findings, not the lab\'s own files', async () => {
    const session = fakeLabSession(LAB, {
      'findings.txt': 'port: 27017\n',
      'downloads/users.jsonl': '{}\n',
      'downloads/calls/call-1.wav': new Uint8Array([82, 73, 70, 70]),
      'mongod.conf': 'net:\n',
    });
    const { part } = mount(session);
    expect(await part.paths()).toEqual(['downloads/calls/call-1.wav', 'downloads/users.jsonl', 'findings.txt']);
  });

  it('shows the recordings in downloads/ once started, and new ones on refresh', async () => {
    const session = fakeLabSession(LAB, { 'downloads/call-1.wav': new Uint8Array([82, 73, 70, 70]), 'downloads/users.jsonl': '{}\n' });
    const { part, root } = mount(session);
    await part.start({ running: () => false });
    const recordings = () => [...root.querySelectorAll<HTMLElement>('[data-recording]')].map((button) => button.dataset.recording);
    expect(recordings()).toEqual(['downloads/call-1.wav']);
    session.put('downloads/call-2.wav', new Uint8Array([82, 73, 70, 70]));
    await part.refresh();
    expect(recordings()).toEqual(['downloads/call-1.wav', 'downloads/call-2.wav']);
    part.stop();
  });

  it('stores downloads/ in the browser only when it changed', async () => {
    const session = fakeLabSession(LAB, { 'downloads/users.jsonl': '{"email":"a@example.com"}\n', 'findings.txt': 'port: 27017\n' });
    const { part, saveDownloads, stored } = mount(session);
    await part.syncDownloads();
    expect(saveDownloads).toHaveBeenCalledTimes(1);
    expect(stored()).toEqual(['downloads/users.jsonl']);
    expect(new TextDecoder().decode(saveDownloads.mock.calls[0]![1]['downloads/users.jsonl'])).toBe('{"email":"a@example.com"}\n');

    await part.syncDownloads();
    expect(saveDownloads).toHaveBeenCalledTimes(1);

    session.put('downloads/pets.jsonl', '{"name":"Rex"}\n');
    await part.syncDownloads();
    expect(saveDownloads).toHaveBeenCalledTimes(2);
    expect(stored()).toEqual(['downloads/pets.jsonl', 'downloads/users.jsonl']);
  });

  it('does not store the same bytes again when a file was only touched, until a reset cleared the copy', async () => {
    const session = fakeLabSession(LAB, { 'downloads/users.jsonl': '{}\n' });
    const { part, saveDownloads } = mount(session);
    await part.syncDownloads();
    session.put('downloads/users.jsonl', '{}\n'); // a new version, the same bytes
    await part.syncDownloads();
    expect(saveDownloads).toHaveBeenCalledTimes(1);

    part.forgetStored();
    session.put('downloads/users.jsonl', '{}\n');
    await part.syncDownloads();
    expect(saveDownloads).toHaveBeenCalledTimes(2);
  });

  it('leaves out what does not fit in the browser\'s limit', async () => {
    const session = fakeLabSession(LAB, { 'downloads/a-small.txt': 'x'.repeat(10), 'downloads/b-big.bin': new Uint8Array(100), 'downloads/c-small.txt': 'y'.repeat(10) });
    const { part, stored } = mount(session, 64);
    await part.syncDownloads();
    expect(stored()).toEqual(['downloads/a-small.txt', 'downloads/c-small.txt']);
  });

  it('keeps the copy on a timer, only while the lab runs', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const session = fakeLabSession(LAB, { 'downloads/users.jsonl': '{}\n' });
    const { part, saveDownloads } = mount(session);
    let running = false;
    await part.start({ running: () => running, everyMs: 1000 });
    // A sync starts by listing the outputs (synchronously, in the fake): count the lists.
    const lists = () => session.calls.filter((call) => call === 'list-outputs').length;
    const listsAfterStart = lists();
    vi.advanceTimersByTime(3000);
    expect(lists()).toBe(listsAfterStart);
    running = true;
    vi.advanceTimersByTime(1000);
    expect(lists()).toBe(listsAfterStart + 1);
    await vi.waitFor(() => expect(saveDownloads).toHaveBeenCalledTimes(1));
    await part.refresh(); // let the recordings' refresh after the save settle
    const listsBeforeStop = lists();
    part.stop();
    vi.advanceTimersByTime(5000);
    expect(lists()).toBe(listsBeforeStop);
  });
});
