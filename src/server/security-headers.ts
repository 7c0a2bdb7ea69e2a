import { createHash } from 'node:crypto';
import { themeInitScript } from '../theme/theme-init';

/**
 * The one set of HTTP response headers every page of the course is served with: by
 * `astro dev` (astro.config.mjs), by `npm start` (src/server/static/site-server.ts) and by
 * static hosts through the deploy files the build writes (src/server/static/deploy-header-files.ts).
 *
 * Why these matter:
 * - COOP same-origin + COEP require-corp make the page "cross-origin isolated". WebContainer
 *   needs SharedArrayBuffer, which browsers only expose to isolated pages; without these
 *   headers the in-browser labs cannot boot at all.
 * - CORP same-origin lets our own files load under COEP and stops other sites embedding them.
 * - The CSP lists only what the site itself needs, so an injected script or a lesson that
 *   links a third-party asset is blocked rather than silently phoning out.
 */

/**
 * Origins the WebContainer runtime talks to, in frames and connections: the API boots an
 * iframe at stackblitz.com/headless, and WebContainer's browser-configuration guide lists
 * *.staticblitz.com besides *.webcontainer-api.io. A CSP that misses one is told apart from
 * being offline by the adapter (src/runtimes/webcontainer: securitypolicyviolation).
 */
export const webContainerOrigins = ['https://stackblitz.com', 'https://*.stackblitz.com', 'https://*.staticblitz.com', 'https://*.webcontainer-api.io'] as const;

/** The local runner's terminal and file sync go over a loopback WebSocket. */
export const localRunnerSocketOrigins = ['ws://127.0.0.1:*', 'ws://localhost:*'] as const;

/**
 * Classroom servers (src/classroom, `npm run classroom`) the pages may hand lab work in to:
 * CLOUDPETS_CLASSROOM_ORIGIN, comma-separated http(s) origins, read when the headers are made
 * (at build for the deploy files, at start for `npm start`). None by default.
 */
export function classroomOrigins(value = process.env.CLOUDPETS_CLASSROOM_ORIGIN ?? ''): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      let url: URL | undefined;
      try {
        url = new URL(item);
      } catch {
        // reported below
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== item.replace(/\/$/, '')) {
        throw new Error(`CLOUDPETS_CLASSROOM_ORIGIN: "${item}" is not an origin; write it as http://host:port (what npm run classroom prints)`);
      }
      return url.origin;
    });
}

export type HeaderMode = 'production' | 'dev';

/** sha256 source expression of the inline theme script, the only inline script we ship. */
export function themeScriptHash(): string {
  return `'sha256-${createHash('sha256').update(themeInitScript, 'utf8').digest('base64')}'`;
}

export function contentSecurityPolicy(mode: HeaderMode = 'production'): string {
  const scriptSrc =
    mode === 'dev'
      ? // Vite's dev client and Astro's dev toolbar inject inline module scripts; a hash would
        // disable 'unsafe-inline', so dev allows inline scripts instead. Builds never do.
        ["'self'", "'unsafe-inline'", "'wasm-unsafe-eval'"]
      : // 'wasm-unsafe-eval' lets Pagefind compile its WebAssembly search core; it does not
        // allow eval() of JavaScript.
        ["'self'", themeScriptHash(), "'wasm-unsafe-eval'"];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': scriptSrc,
    // Inline styles cannot run code. xterm's DOM renderer and CodeMirror create <style>
    // elements at run time, and Shiki colours code with style attributes.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'media-src': ["'self'", 'blob:'],
    'connect-src': ["'self'", ...webContainerOrigins, 'wss://*.webcontainer-api.io', ...localRunnerSocketOrigins, ...classroomOrigins()],
    'frame-src': ["'self'", ...webContainerOrigins],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** Header name -> value, in the order they are documented above. */
export function securityHeaders(mode: HeaderMode = 'production'): Record<string, string> {
  return {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy': contentSecurityPolicy(mode),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
}
