import { themeStorageKey, type ThemeName } from './theme-init';

/** The theme currently shown (set by the inline head script before first paint). */
export function currentTheme(): ThemeName {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

/**
 * Show a theme and remember the reader's explicit choice. Without a saved choice the head
 * script follows the system preference, so only an explicit toggle is ever stored.
 */
export function applyTheme(theme: ThemeName): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(themeStorageKey, theme);
  } catch {
    // Storage disabled (private mode, policy): the theme still applies for this page view.
  }
  document.dispatchEvent(new CustomEvent('cloudpets:theme-change', { detail: { theme } }));
}
