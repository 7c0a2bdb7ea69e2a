import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../src/server/security-headers';
import { createSiteServer, PortInUseError, type SiteServer } from '../../src/server/static/site-server';
import { isLoopbackHost } from '../../src/server/static/loopback-host';
import { accessCookieName } from '../../src/server/static/access-gate';
import { parseHost, parsePort, StartConfigError } from '../../src/server/start';

let distDir: string;
let site: SiteServer;
let port: number;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A raw request, so tests control the Host header and the exact path bytes. It carries the
 * access cookie a browser has after opening the address with the secret, unless `cookie` says otherwise.
 */
function get(path: string, options: { host?: string; method?: string; cookie?: string | null; headers?: Record<string, string> } = {}): Promise<Reply> {
  const cookie = options.cookie === undefined ? `${accessCookieName(port)}=${site.secret}` : options.cookie;
  const headers = { host: options.host ?? `127.0.0.1:${port}`, ...(cookie === null ? {} : { cookie }), ...options.headers };
  return new Promise((resolveReply, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveReply({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function expectSecurityHeaders(reply: Reply): void {
  for (const [name, value] of Object.entries(securityHeaders('production'))) expect(reply.headers[name.toLowerCase()]).toBe(value);
}

beforeEach(async () => {
  distDir = await mkdtemp(join(tmpdir(), 'site-dist-'));
  await mkdir(join(distDir, 'lessons/02-recon'), { recursive: true });
  await mkdir(join(distDir, '_astro'), { recursive: true });
  await mkdir(join(distDir, 'pagefind'), { recursive: true });
  await writeFile(join(distDir, 'index.html'), '<!doctype html><html><head><title>Home</title></head><body>home</body></html>');
  await writeFile(join(distDir, 'lessons/02-recon/index.html'), '<!doctype html><html><head></head><body>recon</body></html>');
  await writeFile(join(distDir, '404.html'), '<!doctype html><html><head></head><body>not here</body></html>');
  await writeFile(join(distDir, '_astro/app.abc123.js'), 'console.log(1)');
  await writeFile(join(distDir, 'pagefind/pagefind.en_1.pf_meta'), Buffer.from([0x1f, 0x8b]));
  site = createSiteServer({ distDir, port: 0 });
  ({ port } = await site.listen());
});

afterEach(async () => {
  await site.close();
  await rm(distDir, { recursive: true, force: true });
});

describe('static site server', () => {
  it('serves pages with the isolation headers and an HTML content type', async () => {
    const reply = await get('/');
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('home');
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expectSecurityHeaders(reply);
  });

  it('serves a lesson folder, and redirects the address without its trailing slash', async () => {
    expect((await get('/lessons/02-recon/')).body).toContain('recon');
    const redirect = await get('/lessons/02-recon?x=1');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/lessons/02-recon/?x=1');
    expectSecurityHeaders(redirect);
  });

  it('answers unknown paths with the 404 page, status 404, headers included', async () => {
    const reply = await get('/lessons/no-such-lesson/');
    expect(reply.status).toBe(404);
    expect(reply.body).toContain('not here');
    expectSecurityHeaders(reply);
  });

  it('caches hashed bundles forever and everything else not at all', async () => {
    const bundle = await get('/_astro/app.abc123.js');
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers['cache-control']).toContain('immutable');
    expect((await get('/')).headers['cache-control']).toBe('no-cache');
    expect((await get('/pagefind/pagefind.en_1.pf_meta')).headers['content-type']).toBe('application/octet-stream');
  });

  it.each(['evil.example.com', 'evil.example.com:4321', '203.0.113.10', '127.0.0.1.evil.test'])('refuses Host "%s" (DNS rebinding)', async (host) => {
    const reply = await get('/', { host });
    expect(reply.status).toBe(403);
    expect(reply.body).toMatch(/only answers to localhost/);
  });

  it.each(['localhost', 'localhost:4321', '127.0.0.1', '[::1]:4321', 'lab.localhost'])('accepts loopback Host "%s"', async (host) => {
    expect((await get('/', { host })).status).toBe(200);
  });

  it('refuses paths that climb out of dist/', async () => {
    for (const path of ['/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/lessons/%00']) {
      const reply = await get(path);
      expect([400, 404], path).toContain(reply.status);
      expect(reply.body).not.toContain('root:');
    }
    expect((await get('/..%2f..%2f..%2fetc%2fpasswd')).status).toBe(400);
  });

  it('only allows GET and HEAD', async () => {
    const reply = await get('/', { method: 'POST' });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD');
    const head = await get('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('lets a transform rewrite HTML responses only', async () => {
    site.transformHtml((html) => html.replace('<head>', '<head><meta name="lab-flag" content="present">'));
    const page = await get('/lessons/02-recon/');
    expect(page.body).toContain('<meta name="lab-flag" content="present">');
    expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.body));
    expect((await get('/_astro/app.abc123.js')).body).toBe('console.log(1)');
  });

  it('hands WebSocket upgrades to the first handler that claims them, after the Host check', async () => {
    const seen: string[] = [];
    site.onUpgrade((req) => {
      seen.push(`skip ${req.url}`);
      return false;
    });
    site.onUpgrade((req, socket) => {
      if (req.url !== '/runner') return false;
      socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      return true;
    });
    const upgrade = (path: string, host: string) =>
      new Promise<string>((resolveUpgrade, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${accessCookieName(port)}=${site.secret}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
        });
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('end', () => resolveUpgrade(data.split('\r\n')[0] ?? ''));
        socket.on('error', reject);
      });
    expect(await upgrade('/runner', `127.0.0.1:${port}`)).toBe('HTTP/1.1 101 Switching Protocols');
    expect(await upgrade('/other', `127.0.0.1:${port}`)).toBe('HTTP/1.1 404 Not Found');
    expect(await upgrade('/runner', 'evil.example.com')).toBe('HTTP/1.1 403 Forbidden');
    expect(seen).toEqual(['skip /runner', 'skip /other']);
  });

  it('says how to fix a port that is taken', async () => {
    const second = createSiteServer({ distDir, port });
    const error = await second.listen().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toMatch(new RegExp(`port ${port} is already in use.*PORT=${port + 1} npm start`));
  });
});

describe('start options', () => {
  it('reads PORT with 4321 as default and 0 for a free port', () => {
    expect(parsePort(undefined)).toBe(4321);
    expect(parsePort('')).toBe(4321);
    expect(parsePort('0')).toBe(0);
    expect(parsePort('8080')).toBe(8080);
  });

  it.each(['abc', '-1', '70000', '80.5', '12ab'])('rejects PORT=%s with a message saying what is allowed', (value) => {
    expect(() => parsePort(value)).toThrow(StartConfigError);
    expect(() => parsePort(value)).toThrow(/PORT must be a whole number from 0 to 65535/);
  });

  it('only binds loopback addresses', () => {
    expect(parseHost(undefined)).toBe('127.0.0.1');
    expect(parseHost('localhost')).toBe('localhost');
    expect(parseHost('127.0.0.2')).toBe('127.0.0.2');
    expect(() => parseHost('0.0.0.0')).toThrow(/loopback/);
    expect(() => parseHost('192.168.1.20')).toThrow(/loopback/);
  });

  it('serves every HOST it accepts: the Host check and the HOST setting share one loopback rule', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost']) {
      expect(isLoopbackHost(`${parseHost(host)}:4321`), host).toBe(true);
    }
    expect(isLoopbackHost(`[${parseHost('::1')}]:4321`)).toBe(true);
    expect(isLoopbackHost('128.0.0.1:4321')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.attacker.example:4321')).toBe(false);
  });

  it('loopback Host check handles ports and IPv6 brackets', () => {
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('[::1')).toBe(false);
    expect(isLoopbackHost('localhost:abc')).toBe(false);
    expect(isLoopbackHost(undefined)).toBe(false);
    expect(isLoopbackHost('')).toBe(false);
  });
});
