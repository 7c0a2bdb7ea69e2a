import { themeStorageKey, type ThemeName } from './theme-init';

/** The theme currently shown (set by the inline head script before first paint). */
export function currentTheme(): ThemeName {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

/** The reader's explicit choice, if they ever pressed the toggle. */
export function storedTheme(): ThemeName | undefined {
  try {
    const value = localStorage.getItem(themeStorageKey);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined;
  }
}

function show(theme: ThemeName): void {
  document.documentElement.dataset.theme = theme;
  document.dispatchEvent(new CustomEvent('cloudpets:theme-change', { detail: { theme } }));
}

/**
 * Show a theme and remember the reader's explicit choice. Without a saved choice the head
 * script follows the system preference, so only an explicit toggle is ever stored.
 */
export function applyTheme(theme: ThemeName): void {
  try {
    localStorage.setItem(themeStorageKey, theme);
  } catch {
    // Storage disabled (private mode, policy): the theme still applies for this page view.
  }
  show(theme);
}

/** Until the reader chooses, follow the system setting live (e.g. an evening switch to dark). */
export function followSystemTheme(onChange: () => void): void {
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (event) => {
    if (storedTheme()) return;
    show(event.matches ? 'dark' : 'light');
    onChange();
  });
}
