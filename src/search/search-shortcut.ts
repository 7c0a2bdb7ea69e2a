/**
 * Which key presses open search. Ctrl+K is also "kill line" in a shell and "/" is a
 * character people type, so neither is taken while focus is in a text field, the lab
 * terminal (xterm) or the code editor (CodeMirror).
 */
export interface ShortcutKey {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

const typingSelector = 'input, textarea, select, [contenteditable=""], [contenteditable="true"], .xterm, .cm-editor';

export function isTypingTarget(target: EventTarget | null): boolean {
  // typeof guard: the module is also loaded by unit tests in Node, where Element does not exist.
  return typeof Element !== 'undefined' && target instanceof Element && target.closest(typingSelector) !== null;
}

export function isSearchShortcut(event: ShortcutKey, target: EventTarget | null): boolean {
  if (isTypingTarget(target) || event.altKey) return false;
  if (event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey)) return true;
  return event.key === '/' && !event.ctrlKey && !event.metaKey;
}
