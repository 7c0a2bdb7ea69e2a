/**
 * The terminal part of the lab panel: the terminal area (title, key help, screen-reader
 * switch) and the lab shell's life in it. When the shell ends (the learner typed `exit`), the
 * terminal says so and Enter opens a new one, so a learner never faces a dead terminal.
 *
 * It takes terminal-view.ts as an argument instead of importing it: xterm is loaded with
 * import() while the runtime connects (lab-workbench.ts), and a static import here would pull
 * it into the code that loads before that.
 */
import type { LabSession, Shell } from '../runtimes/runtime.ts';
import { h } from './element.ts';
import type { TerminalView } from './terminal-view.ts';

export interface TerminalPart {
  /** The terminal area, to put in the panel before start(). */
  area: HTMLElement;
  /** Makes the terminal and opens the lab shell in it; resolves once the shell is ready for input. */
  start(): Promise<void>;
  focus(): void;
  /** Lets the current shell go without offering a new one (a reset is about to end it). */
  letShellGo(): void;
  /** A clean screen and a new shell (after a reset). */
  restart(): Promise<void>;
}

export function createTerminalPart(views: typeof import('./terminal-view.ts'), options: { labId: string; session: Pick<LabSession, 'openShell'> }): TerminalPart {
  const { session } = options;
  const srToggle = h('button', { type: 'button', class: 'lab-link-button', 'aria-pressed': 'false' }, 'Screen reader mode');
  const host = h('div', { class: 'lab-terminal' });
  const keyHelp = views.createTerminalKeyHelp();
  const area = h(
    'section',
    { class: 'lab-terminal-area', 'aria-label': 'Terminal' },
    h('div', { class: 'lab-terminal-bar' }, h('span', { class: 'lab-terminal-title' }, `~/${options.labId}`), keyHelp, srToggle),
    host,
  );
  let terminal: TerminalView | undefined;
  let shell: Shell | undefined;

  const openShell = async (view: TerminalView): Promise<void> => {
    shell = await session.openShell(view.size());
    view.attach(shell);
    const mine = shell;
    void mine.exit.then(() => {
      // A shell that was let go (reset) or replaced ends quietly.
      if (shell !== mine) return;
      view.terminal.write('\r\n\x1b[33m[The shell ended. Press Enter for a new one.]\x1b[0m\r\n');
      const listener = view.terminal.onData(() => {
        listener.dispose();
        view.terminal.reset();
        void openShell(view);
      });
    });
  };

  srToggle.addEventListener('click', () => {
    const on = srToggle.getAttribute('aria-pressed') !== 'true';
    srToggle.setAttribute('aria-pressed', String(on));
    terminal?.setScreenReaderMode(on);
  });

  return {
    area,
    async start() {
      terminal = views.createTerminalView(host, { keyHelp });
      await openShell(terminal);
    },
    focus: () => terminal?.focus(),
    letShellGo: () => void (shell = undefined),
    async restart() {
      if (!terminal) return;
      terminal.terminal.reset();
      await openShell(terminal);
    },
  };
}
