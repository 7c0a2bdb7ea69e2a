import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { securityHeaders } from '../security-headers';
import { accessCookie, addressWithoutToken, checkAccess, forbiddenPage } from './access-gate';
import { newSecret } from './access-secret';
import { parseByteRange } from './byte-range';
import { answerClientError } from './client-error';
import { chooseEncoding, CompressionCache, contentDigest, isCompressible } from './compression';
import { contentTypeFor } from './content-types';
import { isLoopbackHost } from './loopback-host';

/**
 * The static server behind `npm start`: serves the built site (dist/) on loopback with the
 * course's security headers, only to the learner who opened the address with the secret
 * (see access-gate.ts). It is deliberately small: it only has to serve files Astro and
 * Pagefind wrote (compressed, with single byte ranges for audio), and the local runner
 * attaches to it through two hooks:
 *
 * - `onUpgrade(handler)`: WebSocket upgrades (the runner's terminal and file sync). Handlers
 *   run in order after the Host and secret checks; the first to return true owns the socket.
 * - `transformHtml(fn)`: rewrite each HTML response, e.g. to mark pages as served by the
 *   local runner.
 */

/** Return true when the handler took the socket; false lets the next handler try. */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean | Promise<boolean>;
export type HtmlTransform = (html: string, request: IncomingMessage) => string | Promise<string>;

export interface SiteServerOptions {
  /** The built site; must contain index.html. */
  distDir: string;
  /** Default 127.0.0.1. Only loopback addresses make sense: the labs are vulnerable on purpose. */
  host?: string;
  /** Default 4321; 0 picks a free port. */
  port?: number;
  /** What lets a browser in (access-secret.ts); default a fresh random one for this server. */
  secret?: string;
  /** Where the secret is kept, named on the 403 page. */
  secretFile?: string;
}

export interface SiteServer {
  /** The underlying server, for callers that need more than the hooks. */
  server: Server;
  /** The secret every request must carry (as `?token=` once, then as the cookie). */
  readonly secret: string;
  onUpgrade(handler: UpgradeHandler): void;
  transformHtml(transform: HtmlTransform): void;
  /** Start listening; resolves with the site's address (http://127.0.0.1:PORT/) and the one that lets a browser in. */
  listen(): Promise<{ url: string; entryUrl: string; port: number }>;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is already in use: stop the program using it, or pick another port, e.g. PORT=${port + 1} npm start (PORT=0 picks a free one)`);
  }
}

const headersForEveryResponse = securityHeaders('production');

function sendText(response: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, { ...headersForEveryResponse, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  response.end(text);
}

/**
 * What is at a path, following links only while they stay inside dist/ (a link in dist/ must
 * not serve the learner's other files), and only regular files and folders (a FIFO or device
 * would hang the read).
 */
async function entryAt(path: string, realDist: string): Promise<{ kind: 'file' | 'directory'; real: string } | undefined> {
  try {
    const real = await realpath(path);
    if (real !== realDist && !real.startsWith(realDist + sep)) return undefined;
    const info = await stat(real);
    if (info.isFile()) return { kind: 'file', real };
    if (info.isDirectory()) return { kind: 'directory', real };
  } catch {
    // Missing or unreadable: not found.
  }
  return undefined;
}

type Resolved = { kind: 'file'; path: string } | { kind: 'redirect'; location: string } | { kind: 'missing' } | { kind: 'bad' };

/** The URL path of a folder inside dist/, built from the normalised path, never from the request. */
function folderAddress(distDir: string, folder: string): string {
  const inside = relative(distDir, folder);
  if (inside === '') return '/';
  return `/${inside.split(sep).map(encodeURIComponent).join('/')}/`;
}

/** Map a URL path to a file under distDir, the way static hosts do for Astro's directory format. */
async function resolveRequestPath(distDir: string, rawPath: string): Promise<Resolved> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad' };
  }
  if (pathname.includes('\0') || !pathname.startsWith('/')) return { kind: 'bad' };
  const target = resolve(distDir, `.${pathname}`);
  // resolve() collapses `..`; anything that lands outside dist is refused, not clamped.
  if (target !== distDir && !target.startsWith(distDir + sep)) return { kind: 'bad' };
  const realDist = await realpath(distDir).catch(() => undefined);
  if (realDist === undefined) return { kind: 'missing' }; // no build yet (CLOUDPETS_SKIP_BUILD=1)
  const entry = await entryAt(target, realDist);
  if (entry?.kind === 'file') return { kind: 'file', path: entry.real };
  if (entry?.kind === 'directory') {
    // Not `pathname + "/"`: a decoded path such as "//evil.example/.." would make the
    // Location a protocol-relative address on another site (an open redirect).
    if (!pathname.endsWith('/')) return { kind: 'redirect', location: folderAddress(distDir, target) };
    const index = await entryAt(resolve(target, 'index.html'), realDist);
    if (index?.kind === 'file') return { kind: 'file', path: index.real };
    return { kind: 'missing' };
  }
  if (!pathname.endsWith('/')) {
    const page = await entryAt(`${target}.html`, realDist);
    if (page?.kind === 'file') return { kind: 'file', path: page.real };
  }
  return { kind: 'missing' };
}

export function createSiteServer(options: SiteServerOptions): SiteServer {
  const distDir = resolve(options.distDir);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 4321;
  const secret = options.secret ?? newSecret();
  const upgradeHandlers: UpgradeHandler[] = [];
  const htmlTransforms: HtmlTransform[] = [];
  const compressed = new CompressionCache();

  async function sendFile(request: IncomingMessage, response: ServerResponse, path: string, status: number): Promise<void> {
    const contentType = contentTypeFor(path);
    // Astro puts content-hashed bundles under /_astro/, and the lab build its content-hashed
    // runtime tree at /labs/runtime-<hash>.tree.json: they never change, so cache them hard.
    // Everything else must be revalidated so a rebuild shows up on reload.
    const hashed = path.startsWith(resolve(distDir, '_astro') + sep) || (dirname(path) === resolve(distDir, 'labs') && /^runtime-[a-f0-9]{16}\.tree\.json$/.test(basename(path)));
    const cacheControl = hashed ? 'public, max-age=31536000, immutable' : 'no-cache';
    let body = await readFile(path);
    if (contentType.startsWith('text/html') && htmlTransforms.length > 0) {
      let html = body.toString('utf8');
      for (const transform of htmlTransforms) html = await transform(html, request);
      body = Buffer.from(html, 'utf8');
    }
    const digest = contentDigest(body);
    const identityTag = `"${digest.slice(0, 27)}"`;
    const headers: Record<string, string> = { ...headersForEveryResponse, 'Content-Type': contentType, 'Cache-Control': cacheControl };
    const compressible = isCompressible(contentType, body.length);
    if (compressible) headers.Vary = 'Accept-Encoding';
    if (status !== 200) {
      // Error pages (the 404 page): no ranges, no revalidation.
      return finish(request, response, status, headers, compressible ? await encode(request, body, digest, headers) : body);
    }
    headers['Accept-Ranges'] = 'bytes';

    const rangeHeader = request.headers.range;
    const ifRange = request.headers['if-range'];
    if (rangeHeader !== undefined && (ifRange === undefined || ifRange === identityTag)) {
      const range = parseByteRange(rangeHeader, body.length);
      if (range.kind === 'unsatisfiable') {
        response.writeHead(416, { ...headersForEveryResponse, 'Content-Range': `bytes */${body.length}`, 'Cache-Control': 'no-store' });
        response.end();
        return;
      }
      if (range.kind === 'partial') {
        // A range is always of the identity bytes: never compressed.
        headers.ETag = identityTag;
        headers['Content-Range'] = `bytes ${range.start}-${range.end}/${body.length}`;
        return finish(request, response, 206, headers, body.subarray(range.start, range.end + 1));
      }
    }
    const encoded = compressible ? await encode(request, body, digest, headers) : body;
    headers.ETag = headers['Content-Encoding'] ? `"${digest.slice(0, 27)}-${headers['Content-Encoding']}"` : identityTag;
    if (matchesEtag(request.headers['if-none-match'], headers.ETag)) {
      delete headers['Content-Type'];
      response.writeHead(304, headers);
      response.end();
      return;
    }
    return finish(request, response, 200, headers, encoded);
  }

  /** Compresses when the browser accepts it; sets Content-Encoding. */
  async function encode(request: IncomingMessage, body: Buffer, digest: string, headers: Record<string, string>): Promise<Buffer> {
    const encoding = chooseEncoding(request.headers['accept-encoding']);
    if (!encoding) return body;
    headers['Content-Encoding'] = encoding;
    return compressed.compress(body, encoding, digest);
  }

  function finish(request: IncomingMessage, response: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
    response.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isLoopbackHost(request.headers.host)) {
      sendText(response, 403, `Refused: this server only answers to localhost or 127.0.0.1, not "${request.headers.host ?? ''}".\n`);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const access = checkAccess(request, url, secret);
    if (!access.ok) {
      response.writeHead(403, { ...headersForEveryResponse, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : forbiddenPage(options.secretFile));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Only GET and HEAD are supported.\n', { Allow: 'GET, HEAD' });
      return;
    }
    if (access.via === 'token') {
      // Trade the secret for the cookie and take it out of the address bar and history.
      response.writeHead(303, {
        ...headersForEveryResponse,
        'Set-Cookie': accessCookie(request.socket.localPort, secret),
        Location: addressWithoutToken(url),
        'Cache-Control': 'no-store',
      });
      response.end();
      return;
    }
    const resolved = await resolveRequestPath(distDir, url.pathname);
    switch (resolved.kind) {
      case 'file':
        return sendFile(request, response, resolved.path, 200);
      case 'redirect':
        response.writeHead(301, { ...headersForEveryResponse, Location: resolved.location + url.search });
        response.end();
        return;
      case 'bad':
        sendText(response, 400, 'Bad request path.\n');
        return;
      case 'missing': {
        const realDist = await realpath(distDir).catch(() => distDir);
        const notFoundPage = await entryAt(resolve(distDir, '404.html'), realDist);
        if (notFoundPage?.kind === 'file') return sendFile(request, response, notFoundPage.real, 404);
        sendText(response, 404, 'Not found.\n');
        return;
      }
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('site server: request failed', error);
      if (!response.headersSent) sendText(response, 500, 'Internal error: see the terminal running npm start.\n');
      else response.destroy();
    });
  });
  server.on('clientError', answerClientError);

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void (async () => {
      if (!isLoopbackHost(request.headers.host)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (!checkAccess(request, new URL(request.url ?? '/', 'http://localhost'), secret).ok) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      for (const handler of upgradeHandlers) {
        if (await handler(request, socket, head)) return;
      }
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    })().catch((error: unknown) => {
      console.error('site server: upgrade failed', error);
      socket.destroy();
    });
  });

  return {
    server,
    secret,
    onUpgrade: (handler) => void upgradeHandlers.push(handler),
    transformHtml: (transform) => void htmlTransforms.push(transform),
    listen: () =>
      new Promise((resolveListen, rejectListen) => {
        const onError = (error: NodeJS.ErrnoException) => {
          rejectListen(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
        };
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const address = server.address();
          const actualPort = typeof address === 'object' && address ? address.port : port;
          const shownHost = host.includes(':') ? `[${host}]` : host;
          const url = `http://${shownHost}:${actualPort}/`;
          resolveListen({ url, entryUrl: `${url}?token=${secret}`, port: actualPort });
        });
      }),
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/** If-None-Match: `*` or a list of tags (weak or strong; weak comparison, as RFC 9110 says for GET). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
