import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may use `npm start`: whoever opened the address it printed. Any local account can reach
 * a loopback port, so the port alone lets everyone on the machine in; the secret is what tells
 * the learner apart (the way Jupyter Server and VS Code's server do it):
 *
 * - `?token=<secret>` on any address: checked, then exchanged for a cookie and redirected to the
 *   same address without it, so the secret stays out of the address bar, history and Referer.
 * - the cookie: HttpOnly (page scripts, and so an injected one, cannot read it) and
 *   SameSite=Strict (another site's page cannot make the browser send it). Its name carries the
 *   port because browsers share localhost cookies across ports: two servers must not overwrite
 *   each other's.
 *
 * Every page, asset and WebSocket needs one or the other; without, a 403 page says how to get in.
 */
export const TOKEN_PARAM = 'token';

export function accessCookieName(port: number | undefined): string {
  return `cloudpets-access-${port ?? 0}`;
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Cookie header -> name -> value (first wins, as browsers send the most specific first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at === -1) continue;
    const name = part.slice(0, at).trim();
    if (name && !cookies.has(name)) cookies.set(name, part.slice(at + 1).trim());
  }
  return cookies;
}

export type AccessVerdict = { ok: true; via: 'cookie' | 'token' } | { ok: false; reason: string };

/** Checks the secret in `?token=` first (an explicit attempt), then the cookie. */
export function checkAccess(request: IncomingMessage, url: URL, secret: string): AccessVerdict {
  const token = url.searchParams.get(TOKEN_PARAM);
  if (token !== null) return sameSecret(token, secret) ? { ok: true, via: 'token' } : { ok: false, reason: 'wrong secret in the address' };
  const cookie = parseCookies(request.headers.cookie).get(accessCookieName(request.socket.localPort));
  if (cookie === undefined) return { ok: false, reason: 'no secret and no access cookie' };
  return sameSecret(cookie, secret) ? { ok: true, via: 'cookie' } : { ok: false, reason: 'an access cookie from an earlier secret' };
}

export function accessCookie(port: number | undefined, secret: string): string {
  // 30 days: the secret itself is reused until its file is deleted (see access-secret.ts).
  return `${accessCookieName(port)}=${secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000`;
}

/** The address without the secret, for the redirect after entering. Always a path on this server. */
export function addressWithoutToken(url: URL): string {
  const search = new URLSearchParams(url.search);
  search.delete(TOKEN_PARAM);
  const query = search.toString();
  // url.pathname comes from new URL(), so it starts with exactly one "/" only if we make it so.
  return `/${url.pathname.replace(/^\/+/, '')}${query ? `?${query}` : ''}`;
}

export function forbiddenPage(secretFile: string | undefined): string {
  const where = secretFile
    ? `<p>Lost it? The secret is also in <code>${escapeHtml(secretFile)}</code>, which only your account can read: open <code>http://localhost:&lt;port&gt;/?token=</code> followed by its contents.</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Open the address npm start printed</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Open the address <code>npm start</code> printed</h1>
<p>This course runs a real shell on your computer, so it only lets in the browser that opened the address <code>npm start</code> printed in its terminal (it ends in <code>?token=…</code>). Copy that whole line into the address bar.</p>
${where}
<p>If you restarted your computer or deleted the secret, stop <code>npm start</code> (Ctrl+C), start it again and open the new address.</p>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
