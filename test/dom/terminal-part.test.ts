/**
 * The terminal part with a stand-in for xterm (terminal-view.ts is passed in, so a test can
 * give it a fake) and a fake session: the shell opens at the terminal's size, a shell that
 * ends offers a new one on the next key, a shell let go for a reset ends quietly, and the
 * screen-reader switch reaches the terminal.
 */
import { describe, expect, it } from 'vitest';
import { createTerminalPart } from '../../src/sandbox/terminal-part.ts';
import type { Shell, TerminalSize } from '../../src/runtimes/runtime.ts';
import type { TerminalView } from '../../src/sandbox/terminal-view.ts';

/** What the part does to the terminal, recorded; typing sends data to the onData listeners. */
function fakeViews() {
  const log: string[] = [];
  const dataListeners = new Set<(data: string) => void>();
  let attached: Shell | undefined;
  const view = {
    terminal: {
      write: (text: string) => void log.push(`write ${text.replace(/\x1b\[\d+m/g, '').trim()}`),
      reset: () => void log.push('reset'),
      onData(listener: (data: string) => void) {
        dataListeners.add(listener);
        return { dispose: () => dataListeners.delete(listener) };
      },
    },
    attach: (shell: Shell) => void (attached = shell),
    size: () => ({ cols: 100, rows: 30 }),
    setScreenReaderMode: (on: boolean) => void log.push(`screen reader ${on}`),
    focus: () => void log.push('focus'),
    dispose: () => undefined,
  } as unknown as TerminalView;
  const views = {
    createTerminalKeyHelp: () => document.createElement('span'),
    createTerminalView: () => view,
  } as unknown as typeof import('../../src/sandbox/terminal-view.ts');
  return { views, log, type: (data: string) => [...dataListeners].forEach((listener) => listener(data)), attached: () => attached };
}

/** Shells that end when the test says so. */
function fakeShells() {
  const opened: { size: TerminalSize; end: (code: number) => void; shell: Shell }[] = [];
  const session = {
    async openShell(size: TerminalSize): Promise<Shell> {
      let end!: (code: number) => void;
      const exit = new Promise<number>((resolve) => (end = resolve));
      const shell: Shell = { onData: () => () => undefined, write: () => undefined, resize: () => undefined, exit, kill: () => end(0) };
      opened.push({ size, end, shell });
      return shell;
    },
  };
  return { session, opened };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the terminal part', () => {
  it('opens the lab shell at the terminal\'s size, named by the lab folder', async () => {
    const { views, attached } = fakeViews();
    const { session, opened } = fakeShells();
    const part = createTerminalPart(views, { labId: 'recon', session });
    document.body.replaceChildren(part.area);
    expect(part.area.getAttribute('aria-label')).toBe('Terminal');
    expect(part.area.textContent).toContain('~/recon');
    await part.start();
    expect(opened.map((entry) => entry.size)).toEqual([{ cols: 100, rows: 30 }]);
    expect(attached()).toBe(opened[0]!.shell);
  });

  it('offers a new shell when the shell ends, and opens it on the next key', async () => {
    const { views, log, type, attached } = fakeViews();
    const { session, opened } = fakeShells();
    const part = createTerminalPart(views, { labId: 'recon', session });
    await part.start();
    opened[0]!.end(0);
    await settle();
    expect(log).toContain('write [The shell ended. Press Enter for a new one.]');
    type('\r');
    await settle();
    expect(opened).toHaveLength(2);
    expect(attached()).toBe(opened[1]!.shell);
    type('x'); // the offer is used up: keys go to the new shell, not to more shells
    await settle();
    expect(opened).toHaveLength(2);
  });

  it('lets a shell go quietly for a reset, then starts a clean one', async () => {
    const { views, log } = fakeViews();
    const { session, opened } = fakeShells();
    const part = createTerminalPart(views, { labId: 'recon', session });
    await part.start();
    part.letShellGo();
    opened[0]!.end(0);
    await settle();
    expect(log.filter((entry) => entry.startsWith('write'))).toEqual([]);
    await part.restart();
    expect(log).toEqual(['reset']);
    expect(opened).toHaveLength(2);
  });

  it('switches screen-reader mode on and off', async () => {
    const { views, log } = fakeViews();
    const { session } = fakeShells();
    const part = createTerminalPart(views, { labId: 'recon', session });
    await part.start();
    const toggle = [...part.area.querySelectorAll('button')].find((button) => button.textContent === 'Screen reader mode')!;
    toggle.click();
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    toggle.click();
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(log).toEqual(['screen reader true', 'screen reader false']);
  });
});
