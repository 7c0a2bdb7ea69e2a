/**
 * The theme is decided before the first paint by a tiny inline script in <head>: an external
 * script would load after the page is drawn and the reader would see a flash of the wrong
 * theme. The script text lives here, as one string, so that the Content-Security-Policy can
 * allow exactly this script by its hash (see src/server/security-headers.ts) instead of
 * allowing inline scripts in general.
 */
export const themeStorageKey = 'cloudpets-lab:theme';

export type ThemeName = 'light' | 'dark';

// Keep this plain ES5-ish and wrapped in try/catch: storage can be disabled or hold junk, and
// a failure here must leave the page usable (it falls back to the system preference).
export const themeInitScript = `(function(){var t;try{t=localStorage.getItem(${JSON.stringify(themeStorageKey)})}catch(e){}if(t!=="light"&&t!=="dark"){t=matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light"}document.documentElement.dataset.theme=t})();`;
