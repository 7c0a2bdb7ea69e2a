/**
 * The lab terminal: xterm with the fit and web-links addons, attached to a runtime Shell.
 * Resizes with its container (ResizeObserver -> fit -> shell.resize), copies and pastes
 * with Ctrl+Shift+C / Ctrl+Shift+V (and Ctrl+C when text is selected), and can switch
 * xterm's screen-reader mode on.
 *
 * Keyboard way out (WCAG 2.1.2, no keyboard trap): a shell needs Tab, so Tab stays the
 * shell's; Escape then Tab leaves the terminal, as in code editors. The Escape is held back
 * until the next key: Tab (or Shift+Tab) drops it and moves focus on; any other key sends
 * the Escape to the shell first, so Escape still works in mongosh and in line editing.
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
// xterm's stylesheet as a file of its own, linked when the terminal opens: imported plainly,
// Astro would put it in every lesson page's render-blocking CSS.
import xtermCssUrl from '@xterm/xterm/css/xterm.css?url';
import { h } from './element.ts';
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

/** Resolves once xterm's stylesheet is in the page (at once when it already is). */
export function loadTerminalStyles(): Promise<void> {
  const existing = document.querySelector<HTMLLinkElement>('link[data-xterm-css]');
  if (existing) return existing.sheet ? Promise.resolve() : new Promise((resolve) => existing.addEventListener('load', () => resolve(), { once: true }));
  const link = h('link', { rel: 'stylesheet', href: xtermCssUrl, 'data-xterm-css': true });
  const loaded = new Promise<void>((resolve) => {
    link.addEventListener('load', () => resolve(), { once: true });
    // Without its stylesheet the terminal still works, only less tidy: never block on it.
    link.addEventListener('error', () => resolve(), { once: true });
  });
  document.head.append(link);
  return loaded;
}

/**
 * The terminal bar's keyboard help: how to copy, paste and leave the terminal, visible and
 * given to the terminal's input as its description, plus a live region that says what a held
 * Escape will do.
 */
export function createTerminalKeyHelp(): HTMLElement {
  const id = `lab-terminal-keys-${Math.random().toString(36).slice(2, 7)}`;
  return h(
    'span',
    { class: 'lab-terminal-keys' },
    h('span', { id, class: 'lab-terminal-keys-text' }, h('span', { class: 'lab-key-leave' }, 'Leave: Esc, then Tab'), h('span', { class: 'lab-key-copy' }, ' · Copy: Ctrl+Shift+C · Paste: Ctrl+Shift+V')),
    h('span', { class: 'visually-hidden', role: 'status', 'data-terminal-escape-status': true }),
  );
}

const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export function createTerminalView(container: HTMLElement, options: { keyHelp?: HTMLElement } = {}): TerminalView {
  void loadTerminalStyles();
  const terminal = new Terminal({
    // A blinking cursor is motion: off for people who asked their system for less of it.
    cursorBlink: !reducedMotion(),
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

  const motionQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : undefined;
  const onMotionChange = () => (terminal.options.cursorBlink = !reducedMotion());
  motionQuery?.addEventListener('change', onMotionChange);

  // The help text describes the terminal's input, so a screen reader says it on focus.
  const helpText = options.keyHelp?.querySelector('[id]');
  const escapeStatus = options.keyHelp?.querySelector<HTMLElement>('[data-terminal-escape-status]');
  if (helpText && terminal.textarea) terminal.textarea.setAttribute('aria-describedby', helpText.id);

  let escapeHeld = false;
  const holdEscape = (held: boolean) => {
    escapeHeld = held;
    if (options.keyHelp) options.keyHelp.dataset.escapeHeld = String(held);
    if (escapeStatus) escapeStatus.textContent = held ? 'Escape: press Tab to leave the terminal, or another key to send Escape to the shell.' : '';
  };
  const releaseEscape = () => {
    if (!escapeHeld) return;
    holdEscape(false);
    shell?.write('\x1b');
  };
  // Leaving by mouse or by script: the held Escape was meant for the shell.
  terminal.textarea?.addEventListener('blur', () => {
    if (escapeHeld) releaseEscape();
  });

  terminal.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown') return true;
    if (escapeHeld) {
      // Shift is pressed before the Tab of Shift+Tab: modifiers alone keep the Escape held.
      if (['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) return true;
      if (event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey) {
        holdEscape(false);
        return false; // not for xterm: the browser moves focus on
      }
      releaseEscape();
    }
    if (event.key === 'Escape' && !event.ctrlKey && !event.altKey && !event.metaKey && !event.shiftKey) {
      holdEscape(true);
      return false;
    }
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
      motionQuery?.removeEventListener('change', onMotionChange);
      unsubscribe?.();
      terminal.dispose();
    },
  };
}
