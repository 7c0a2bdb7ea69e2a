import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { securityHeaders } from '../security-headers';
import { contentTypeFor } from './content-types';
import { isLoopbackHost } from './loopback-host';

/**
 * The static server behind `npm start`: serves the built site (dist/) on loopback with the
 * course's security headers. It is deliberately small and dependency-free: it only has to
 * serve files Astro and Pagefind wrote, and the local runner attaches to it through two hooks:
 *
 * - `onUpgrade(handler)`: WebSocket upgrades (the runner's terminal and file sync). Handlers
 *   run in order after the Host check; the first to return true owns the socket.
 * - `transformHtml(fn)`: rewrite each HTML response, e.g. to inject a per-start token
 *   `<meta>` tag the page sends back when it opens the runner's socket.
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
}

export interface SiteServer {
  /** The underlying server, for callers that need more than the hooks. */
  server: Server;
  onUpgrade(handler: UpgradeHandler): void;
  transformHtml(transform: HtmlTransform): void;
  /** Start listening; resolves with the URL to print (http://127.0.0.1:PORT/). */
  listen(): Promise<{ url: string; port: number }>;
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

async function fileAt(path: string): Promise<'file' | 'directory' | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? 'file' : info.isDirectory() ? 'directory' : undefined;
  } catch {
    return undefined;
  }
}

type Resolved = { kind: 'file'; path: string } | { kind: 'redirect'; location: string } | { kind: 'missing' } | { kind: 'bad' };

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
  const kind = await fileAt(target);
  if (kind === 'file') return { kind: 'file', path: target };
  if (kind === 'directory') {
    if (!pathname.endsWith('/')) return { kind: 'redirect', location: `${encodeURI(pathname)}/` };
    const index = resolve(target, 'index.html');
    if ((await fileAt(index)) === 'file') return { kind: 'file', path: index };
    return { kind: 'missing' };
  }
  if (!pathname.endsWith('/') && (await fileAt(`${target}.html`)) === 'file') return { kind: 'file', path: `${target}.html` };
  return { kind: 'missing' };
}

export function createSiteServer(options: SiteServerOptions): SiteServer {
  const distDir = resolve(options.distDir);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 4321;
  const upgradeHandlers: UpgradeHandler[] = [];
  const htmlTransforms: HtmlTransform[] = [];

  async function sendFile(request: IncomingMessage, response: ServerResponse, path: string, status: number): Promise<void> {
    const contentType = contentTypeFor(path);
    // Astro puts content-hashed bundles under /_astro/: they never change, so cache them hard.
    // Everything else must be revalidated so a rebuild shows up on reload.
    const cacheControl = path.startsWith(resolve(distDir, '_astro') + sep) ? 'public, max-age=31536000, immutable' : 'no-cache';
    let body: Buffer | string = await readFile(path);
    if (contentType.startsWith('text/html') && htmlTransforms.length > 0) {
      let html = body.toString('utf8');
      for (const transform of htmlTransforms) html = await transform(html, request);
      body = html;
    }
    response.writeHead(status, {
      ...headersForEveryResponse,
      'Content-Type': contentType,
      'Content-Length': String(Buffer.byteLength(body)),
      'Cache-Control': cacheControl,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isLoopbackHost(request.headers.host)) {
      sendText(response, 403, `Refused: this server only answers to localhost or 127.0.0.1, not "${request.headers.host ?? ''}".\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Only GET and HEAD are supported.\n', { Allow: 'GET, HEAD' });
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
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
        const notFoundPage = resolve(distDir, '404.html');
        if ((await fileAt(notFoundPage)) === 'file') return sendFile(request, response, notFoundPage, 404);
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

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      if (!isLoopbackHost(request.headers.host)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      for (const handler of upgradeHandlers) {
        if (await handler(request, socket, head)) return;
      }
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    })().catch((error: unknown) => {
      console.error('site server: upgrade failed', error);
      socket.destroy();
    });
  });

  return {
    server,
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
          resolveListen({ url: `http://${shownHost}:${actualPort}/`, port: actualPort });
        });
      }),
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
