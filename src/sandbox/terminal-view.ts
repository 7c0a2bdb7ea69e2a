/**
 * The lab terminal: xterm with the fit and web-links addons, attached to a runtime Shell.
 * Resizes with its container (ResizeObserver -> fit -> shell.resize), copies and pastes
 * with Ctrl+Shift+C / Ctrl+Shift+V (and Ctrl+C when text is selected), and can switch
 * xterm's screen-reader mode on.
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import type { Shell } from '../runtimes/runtime.ts';

export interface TerminalView {
  readonly terminal: Terminal;
  attach(shell: Shell): void;
  size(): { cols: number; rows: number };
  setScreenReaderMode(on: boolean): void;
  focus(): void;
  dispose(): void;
}

const THEME = {
  background: '#0b1016',
  foreground: '#dfe6ee',
  cursor: '#5fc4cc',
  selectionBackground: '#2f4b63',
  black: '#1b2230',
  red: '#ff7b72',
  green: '#7ee787',
  yellow: '#e3b341',
  blue: '#79c0ff',
  magenta: '#d2a8ff',
  cyan: '#56d4dd',
  white: '#c9d1d9',
  brightBlack: '#6e7681',
  brightRed: '#ffa198',
  brightGreen: '#aff5b4',
  brightYellow: '#f8e3a1',
  brightBlue: '#a5d6ff',
  brightMagenta: '#e2c5ff',
  brightCyan: '#b3f0ff',
  brightWhite: '#f0f6fc',
};

export function createTerminalView(container: HTMLElement): TerminalView {
  const terminal = new Terminal({
    cursorBlink: true,
    fontFamily: "ui-monospace, 'SF Mono', 'Cascadia Code', 'JetBrains Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
    fontSize: 13,
    lineHeight: 1.15,
    scrollback: 5000,
    theme: THEME,
    allowProposedApi: false,
    // Links open in a new tab; the lab's own hosts (*.cloudpets.test) only exist inside it.
  });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  terminal.loadAddon(
    new WebLinksAddon((event, uri) => {
      event.preventDefault();
      window.open(uri, '_blank', 'noopener,noreferrer');
    }),
  );
  terminal.open(container);

  let shell: Shell | undefined;
  let unsubscribe: (() => void) | undefined;

  terminal.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown') return true;
    const key = event.key.toLowerCase();
    const copy = (event.ctrlKey && event.shiftKey && key === 'c') || (event.ctrlKey && !event.shiftKey && key === 'c' && terminal.hasSelection());
    if (copy) {
      const text = terminal.getSelection();
      if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
      event.preventDefault();
      return false;
    }
    if (event.ctrlKey && event.shiftKey && key === 'v') {
      event.preventDefault();
      void navigator.clipboard
        ?.readText()
        .then((text) => terminal.paste(text))
        .catch(() => undefined);
      return false;
    }
    return true;
  });

  terminal.onData((data) => shell?.write(data));
  terminal.onResize(({ cols, rows }) => shell?.resize({ cols, rows }));

  const refit = () => {
    if (container.offsetWidth === 0 || container.offsetHeight === 0) return; // hidden
    try {
      fit.fit();
    } catch {
      // not laid out yet
    }
  };
  const observer = new ResizeObserver(() => refit());
  observer.observe(container);
  refit();

  return {
    terminal,
    attach(next) {
      unsubscribe?.();
      shell = next;
      unsubscribe = next.onData((data) => terminal.write(data));
      next.resize({ cols: terminal.cols, rows: terminal.rows });
    },
    size: () => {
      refit();
      return { cols: terminal.cols, rows: terminal.rows };
    },
    setScreenReaderMode(on) {
      terminal.options.screenReaderMode = on;
    },
    focus: () => terminal.focus(),
    dispose() {
      observer.disconnect();
      unsubscribe?.();
      terminal.dispose();
    },
  };
}
