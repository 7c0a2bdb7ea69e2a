import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../src/server/security-headers';
import { createSiteServer, PortInUseError, type SiteServer } from '../../src/server/static/site-server';
import { isLoopbackHost } from '../../src/server/static/loopback-host';
import { accessCookieName } from '../../src/server/static/access-gate';
import { parseHost, parsePort, StartConfigError } from '../../src/server/start';

let distDir: string;
/** A script big enough to be worth compressing, and a fake WAV file for ranges. */
const bigScript = Array.from({ length: 400 }, (_, i) => `export const value${i} = "the same words again and again ${i}";`).join('\n');
const clip = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(5000, 7)]);
let site: SiteServer;
let port: number;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  bytes: Buffer;
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
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolveReply({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
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
  await writeFile(join(distDir, '_astro/big.def456.js'), bigScript);
  await mkdir(join(distDir, 'audio'), { recursive: true });
  await writeFile(join(distDir, 'audio/clip.wav'), clip);
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

  it('redirects a folder to its normalised address only, never to another site (open redirect)', async () => {
    const reply = await get('/%2Fevil.example%2F..');
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe('/');
    for (const path of ['/%2F%2Fevil.example%2F..', '/%2f%2fevil.example/%2e%2e', '/lessons%2F..%2F%2Fevil.example%2F..', '/%5Cevil.example%2F..', '//evil.example/..']) {
      const other = await get(path);
      expect([200, 301], path).toContain(other.status);
      if (other.status === 301) expect(other.headers.location, path).toBe('/');
    }
    expect((await get('/lessons/%2e%2e/lessons/02-recon')).headers.location).toBe('/lessons/02-recon/');
  });

  it('serves single byte ranges (206, Content-Range) and answers unsatisfiable ones with 416', async () => {
    const first = await get('/audio/clip.wav', { headers: { range: 'bytes=0-3' } });
    expect(first.status).toBe(206);
    expect(first.headers['content-range']).toBe(`bytes 0-3/${clip.length}`);
    expect(first.body).toBe('RIFF');
    expect(first.headers['accept-ranges']).toBe('bytes');
    expectSecurityHeaders(first);
    const tail = await get('/audio/clip.wav', { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(tail.bytes).toEqual(clip.subarray(clip.length - 10));
    const open = await get('/audio/clip.wav', { headers: { range: `bytes=${clip.length - 2}-` } });
    expect(open.headers['content-range']).toBe(`bytes ${clip.length - 2}-${clip.length - 1}/${clip.length}`);
    const beyond = await get('/audio/clip.wav', { headers: { range: `bytes=${clip.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${clip.length}`);
    // Several ranges, or an If-Range for another version: the whole file, as RFC 9110 allows.
    expect((await get('/audio/clip.wav', { headers: { range: 'bytes=0-1,4-5' } })).status).toBe(200);
    expect((await get('/audio/clip.wav', { headers: { range: 'bytes=0-1', 'if-range': '"old"' } })).status).toBe(200);
  });

  it('compresses with brotli or gzip as the browser accepts, with Vary, and never compresses a range or audio', async () => {
    const br = await get('/_astro/big.def456.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.bytes).toString()).toBe(bigScript);
    expect(br.bytes.length).toBeLessThan(bigScript.length / 4);
    const gz = await get('/_astro/big.def456.js', { headers: { 'accept-encoding': 'br;q=0, gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.bytes).toString()).toBe(bigScript);
    const plain = await get('/_astro/big.def456.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(bigScript);
    const again = await get('/_astro/big.def456.js', { headers: { 'accept-encoding': 'br' } });
    expect(again.bytes).toEqual(br.bytes);
    const range = await get('/_astro/big.def456.js', { headers: { 'accept-encoding': 'br', range: 'bytes=0-5' } });
    expect(range.status).toBe(206);
    expect(range.headers['content-encoding']).toBeUndefined();
    expect(range.body).toBe(bigScript.slice(0, 6));
    expect((await get('/audio/clip.wav', { headers: { 'accept-encoding': 'br, gzip' } })).headers['content-encoding']).toBeUndefined();
    expect((await get('/_astro/app.abc123.js', { headers: { 'accept-encoding': 'br' } })).headers['content-encoding']).toBeUndefined(); // tiny
  });

  it('answers a repeated request for an unchanged file with 304', async () => {
    const first = await get('/_astro/big.def456.js', { headers: { 'accept-encoding': 'gzip' } });
    const etag = String(first.headers.etag);
    const again = await get('/_astro/big.def456.js', { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    // Another encoding is another representation: not a match.
    expect((await get('/_astro/big.def456.js', { headers: { 'if-none-match': etag } })).status).toBe(200);
  });

  it('serves links that stay inside dist/, and nothing a link leads to outside it', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'site-outside-'));
    try {
      await writeFile(join(outside, 'private.txt'), 'private notes');
      await symlink(join(outside, 'private.txt'), join(distDir, 'leak.txt'));
      await symlink(outside, join(distDir, 'leak-folder'));
      await symlink(join(distDir, 'index.html'), join(distDir, 'home.html'));
      for (const path of ['/leak.txt', '/leak-folder/private.txt', '/leak-folder/', '/leak-folder']) {
        const reply = await get(path);
        expect(reply.status, path).toBe(404);
        expect(reply.body, path).not.toContain('private notes');
      }
      expect((await get('/home.html')).body).toContain('home');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("answers requests Node's parser refuses (400, 431) with the security headers", async () => {
    const raw = (text: string) =>
      new Promise<string>((resolveRaw, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(text));
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('end', () => resolveRaw(data));
        socket.on('error', reject);
      });
    const malformed = await raw('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n');
    expect(malformed).toMatch(/^HTTP\/1\.1 400 /);
    const huge = await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    for (const answer of [malformed, huge]) {
      for (const [name, value] of Object.entries(securityHeaders('production'))) expect(answer).toContain(`${name}: ${value}\r\n`);
    }
    expect((await get('/')).status).toBe(200);
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
