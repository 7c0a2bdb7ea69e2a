/**
 * Attacks on what `npm start` and the lab's web services expose, replayed (issue 13). Each
 * one was tried against the real servers; each must fail, and what already held is kept:
 * missing or wrong secret, foreign Origin, rebinding Host, path traversal, open redirect,
 * links out of dist/, malformed requests (after which the server must still answer),
 * presigned URL tampering and dates, bucket policy bypass encodings, and the lab bucket's and
 * API's Host checks. All on loopback.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LAB_SOCKET_PATH } from '../../src/runtimes/local/protocol.ts';
import { securityHeaders } from '../../src/server/security-headers.ts';
import { siteAttachments } from '../../src/server/start.ts';
import { accessCookieName } from '../../src/server/static/access-gate.ts';
import { createSiteServer, type SiteServer } from '../../src/server/static/site-server.ts';
import { startApi } from '../../sandboxes/world/api/server.ts';
import { seedBucket } from '../../sandboxes/world/bucket/object-store.ts';
import { type RunningBucket, startBucket } from '../../sandboxes/world/bucket/server.ts';
import { presignGet } from '../../sandboxes/world/bucket/sigv4.ts';
import { recordingsOf } from '../../sandboxes/world/dataset/generate.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Bytes straight onto a socket; resolves with whatever came back before the server closed it (or after a pause). */
function rawExchange(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let data = '';
    const done = () => {
      socket.destroy();
      resolve(data);
    };
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('end', done);
    socket.on('error', done);
    setTimeout(done, 2000).unref();
  });
}

describe('npm start: nothing without the secret', () => {
  let distDir: string;
  let site: SiteServer;
  let port: number;
  let cookie: string;
  const origin = () => `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    distDir = mkdtempSync(join(tmpdir(), 'security-dist-'));
    mkdirSync(join(distDir, 'lessons', '07-lock-the-database'), { recursive: true });
    mkdirSync(join(distDir, '_astro'));
    mkdirSync(join(distDir, 'labs'));
    writeFileSync(join(distDir, 'index.html'), '<!doctype html><html><head><title>Home</title></head><body>home</body></html>');
    writeFileSync(join(distDir, 'lessons', '07-lock-the-database', 'index.html'), '<!doctype html><html><head></head><body>lesson</body></html>');
    writeFileSync(join(distDir, '404.html'), '<!doctype html><html><head></head><body>not here</body></html>');
    writeFileSync(join(distDir, '_astro', 'app.js'), 'console.log("app")');
    execFileSync('mkfifo', [join(distDir, 'pipe.html')]);
    site = createSiteServer({ distDir, port: 0 });
    // The local runner too, exactly as npm start attaches it.
    for (const attach of siteAttachments) await attach(site, { projectDir: distDir, distDir });
    ({ port } = await site.listen());
    cookie = `${accessCookieName(port)}=${site.secret}`;
  });

  afterAll(async () => {
    await site?.close();
    rmSync(distDir, { recursive: true, force: true });
  });

  /** A lab WebSocket handshake; resolves with the HTTP status (101 when it opened). */
  function labSocket(options: { cookie?: string; origin?: string | null; host?: string; query?: string } = {}): Promise<number> {
    const url = `ws://127.0.0.1:${port}${LAB_SOCKET_PATH}?lab=lock-database${options.query ?? ''}`;
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.host) headers.host = options.host;
    const ws = new WebSocket(url, { headers, ...(options.origin === null ? {} : { origin: options.origin ?? origin() }) });
    return new Promise((resolve) => {
      ws.on('upgrade', () => {
        ws.terminate();
        resolve(101);
      });
      ws.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('error', () => resolve(0));
    });
  }

  async function stillAnswers(): Promise<void> {
    expect((await httpGet(port, '/', { cookie })).status).toBe(200);
  }

  it('refuses every page, asset and 404 without the secret, with a page that says how to get in', async () => {
    for (const path of ['/', '/lessons/07-lock-the-database/', '/_astro/app.js', '/no-such-page', '/labs/', '/404.html']) {
      for (const method of ['GET', 'HEAD']) {
        const reply = await httpGet(port, path, {}, method);
        expect(reply.status, `${method} ${path}`).toBe(403);
        expect(reply.body, path).not.toContain(site.secret);
        expect(reply.headers['set-cookie'], path).toBeUndefined();
        if (method === 'GET') expect(reply.body).toMatch(/Open the address <code>npm start<\/code> printed/);
      }
    }
  });

  it('refuses a wrong secret in the address or the cookie, in any variant', async () => {
    const wrong = [
      'x',
      site.secret.slice(0, -1),
      `${site.secret}x`,
      site.secret.toUpperCase(),
      encodeURIComponent(site.secret.slice(0, 20)),
      '',
    ];
    for (const token of wrong) {
      expect((await httpGet(port, `/?token=${encodeURIComponent(token)}`)).status, `?token=${token}`).toBe(403);
      expect((await httpGet(port, '/', { cookie: `${accessCookieName(port)}=${token}` })).status, `cookie ${token}`).toBe(403);
    }
    // The right secret under another server's cookie name (another port) is not this server's cookie.
    expect((await httpGet(port, '/', { cookie: `${accessCookieName(port + 1)}=${site.secret}` })).status).toBe(403);
    // A wrong secret in the address is refused even with a good cookie.
    expect((await httpGet(port, '/?token=nope', { cookie })).status).toBe(403);
  });

  it('trades the secret for an HttpOnly, SameSite=Strict cookie and a clean address', async () => {
    const reply = await httpGet(port, `/lessons/07-lock-the-database/?token=${site.secret}&runtime=local`);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/lessons/07-lock-the-database/?runtime=local');
    const setCookie = String(reply.headers['set-cookie']);
    expect(setCookie).toContain(`${accessCookieName(port)}=${site.secret}`);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    // Entering through an address that would redirect elsewhere stays on this server.
    for (const path of [`//evil.example/?token=${site.secret}`, `/%2F%2Fevil.example?token=${site.secret}`, `/\\evil.example?token=${site.secret}`]) {
      const location = String((await httpGet(port, path)).headers.location);
      expect(location, path).toMatch(/^\/(?![/\\])/);
      expect(location, path).not.toContain(site.secret);
    }
  });

  it('with the cookie, pages are served and none carries the secret', async () => {
    for (const path of ['/', '/lessons/07-lock-the-database/', '/no-such-page']) {
      const reply = await httpGet(port, path, { cookie });
      expect([200, 404], path).toContain(reply.status);
      expect(reply.body, path).not.toContain(site.secret);
      if (reply.status === 200) expect(reply.body).toContain('<meta name="cloudpets-local-runner" content="present">');
    }
  });

  it('opens the lab socket only with the cookie (or secret), this Origin and a loopback Host', async () => {
    expect(await labSocket({ cookie })).toBe(101);
    expect(await labSocket({ query: `&token=${site.secret}` })).toBe(101);
    expect(await labSocket({})).toBe(403);
    expect(await labSocket({ cookie: `${accessCookieName(port)}=${site.secret.slice(1)}x` })).toBe(403);
    expect(await labSocket({ query: '&token=guess' })).toBe(403);
    // Foreign Origin, even with the cookie (a browser would not send a Strict cookie, but a local process can forge one).
    for (const foreign of ['http://evil.example', `http://127.0.0.1:${port + 1}`, 'null']) expect(await labSocket({ cookie, origin: foreign }), foreign).toBe(403);
    expect(await labSocket({ cookie, origin: null })).toBe(403);
    // DNS rebinding: the attacker's name in Host.
    const host = `rebind.example:${port}`;
    expect(await labSocket({ cookie, host, origin: `http://${host}` })).toBe(403);
  });

  it('refuses a rebinding Host for pages too, even with the cookie', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.test:${port}`, '203.0.113.10']) {
      const reply = await httpGet(port, '/', { cookie, host });
      expect(reply.status, host).toBe(403);
      expect(reply.body).not.toContain('home');
    }
  });

  it('refuses path traversal in every encoding', async () => {
    const attempts = [
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/..%5c..%5c..%5cetc%5cpasswd',
      '/%252e%252e/%252e%252e/etc/passwd',
      '/....//....//etc/passwd',
      '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
      '/lessons/%00',
      '/lessons/..%00/index.html',
      `/${'..%2f'.repeat(20)}etc/passwd`,
    ];
    for (const path of attempts) {
      const reply = await httpGet(port, path, { cookie });
      expect([400, 404], path).toContain(reply.status);
      expect(reply.body, path).not.toContain('root:');
    }
    await stillAnswers();
  });

  it('never redirects to another site (open redirect)', async () => {
    for (const path of ['/%2Fevil.example%2F..', '/%2F%2Fevil.example%2F..', '/%5C%5Cevil.example%2F..', '/lessons%2F..%2F%2Fevil.example%2F..']) {
      const reply = await httpGet(port, path, { cookie });
      const location = reply.headers.location;
      if (location !== undefined) {
        expect(String(location), path).toMatch(/^\/(?![/\\])/);
        expect(String(location), path).not.toContain('evil');
      }
    }
  });

  it('does not hang on a FIFO in dist/, and still answers', async () => {
    expect((await httpGet(port, '/pipe.html', { cookie })).status).toBe(404);
    expect((await httpGet(port, '/pipe', { cookie })).status).toBe(404);
    await stillAnswers();
  });

  it('survives malformed requests and upgrades, answering each with the security headers when it answers at all', async () => {
    const garbage: (string | Buffer)[] = [
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      'NOT HTTP AT ALL\r\n\r\n',
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01, 0x00]), // a TLS ClientHello on a plain port
      `GET ${LAB_SOCKET_PATH}?lab=x HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      `GET ${LAB_SOCKET_PATH}?lab=x HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${accessCookieName(port)}=${site.secret}\r\nOrigin: http://127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 99\r\n\r\n`,
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n',
    ];
    for (const bytes of garbage) {
      const answer = await rawExchange(port, bytes);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      // A refused WebSocket handshake is never shown by a browser; pages and parser errors are.
      const upgrade = String(bytes).includes('Upgrade: websocket');
      if (status && Number(status) >= 400 && !upgrade) {
        for (const name of Object.keys(securityHeaders('production'))) expect(answer.toLowerCase(), String(bytes).slice(0, 40)).toContain(`${name.toLowerCase()}: `);
      }
      await stillAnswers();
    }
  });
});

describe('lab bucket: presigned URLs, policy encodings, Host', () => {
  const dataset = { seed: 3, users: 10 };
  let lab: string;
  let bucket: RunningBucket;
  let key: string;
  const get = (path: string, host = 'bucket.cloudpets.test') => httpGet(bucket.port, path, { host });

  beforeAll(async () => {
    lab = mkdtempSync(join(tmpdir(), 'security-bucket-'));
    mkdirSync(join(lab, 'bucket'));
    // Public read for "public/" only, and a Deny for one folder inside it.
    writeFileSync(
      join(lab, 'bucket', 'policy.json'),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::cloudpets-recordings/public/*' },
          { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::cloudpets-recordings/public/private/*' },
        ],
      }),
    );
    seedBucket(lab, dataset);
    bucket = await startBucket({ labDir: lab });
    key = recordingsOf(dataset, 2)[0]!.doc.key;
  });

  afterAll(async () => {
    await bucket?.close();
    rmSync(lab, { recursive: true, force: true });
  });

  const signedPath = async (options: { key?: string; seconds?: number; now?: Date } = {}) => {
    const url = await presignGet(bucket.owner, 'http://bucket.cloudpets.test', options.key ?? key, options.seconds ?? 60, options.now ?? new Date());
    return url.slice('http://bucket.cloudpets.test'.length);
  };

  it('the owner\'s presigned URL works; every tampered part is SignatureDoesNotMatch or refused', async () => {
    const path = await signedPath();
    expect((await get(path)).status).toBe(200);
    const tampered = [
      path.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800'),
      path.replace(/X-Amz-Date=(\d{8})T/, (_, d: string) => `X-Amz-Date=${Number(d) + 1}T`),
      path.replace(/X-Amz-Signature=(.)/, (_, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`),
      path.replace(key.split('/').pop()!, 'other.wav'),
      `${path}&extra=1`,
      path.replace(/X-Amz-SignedHeaders=[^&]+/, 'X-Amz-SignedHeaders=host%3Bx-amz-date'),
    ];
    for (const attempt of tampered) {
      const reply = await get(attempt);
      expect(reply.status, attempt).toBeGreaterThanOrEqual(400);
      expect(reply.body, attempt).not.toMatch(/^RIFF/);
    }
    // Signed for another Host: the Host is part of the signature.
    const elsewhere = await get(path, 'bucket.cloudpets.test:8080');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a presigned URL dated in the future: 403 AccessDenied "Request is not yet valid", as S3', async () => {
    const future = new Date(Date.now() + 3 * 24 * 3600_000);
    const reply = await get(await signedPath({ now: future, seconds: 604_800 }));
    expect(reply.status).toBe(403);
    expect(reply.body).toContain('<Code>AccessDenied</Code><Message>Request is not yet valid</Message>');
    expect(reply.body).toMatch(/<ServerTime>\d{4}-\d{2}-\d{2}T/);
    // And an old one has expired, as before.
    const past = await get(await signedPath({ now: new Date(Date.now() - 3600_000), seconds: 60 }));
    expect(past.body).toContain('<Message>Request has expired</Message>');
  });

  it('policy bypass encodings: a key is matched as S3 spells it, never normalised into the allowed folder', async () => {
    const name = key.split('/').pop()!;
    const attempts = [
      `/public/..%2F${key}`,
      `/public/../${key}`,
      `/public%2F..%2F${key}`,
      `/PUBLIC/../${key}`,
      `/public/%2e%2e/${key}`,
      `/public/%252e%252e/${key}`,
      `/./${key}`,
      `//${key}`,
      `/public/private/../../${key}`,
      `/${key.replace('/', '%2F')}`,
      `/public/${name}/../../${key}`,
    ];
    for (const path of attempts) {
      const reply = await get(path);
      expect(reply.status, path).toBe(403);
      expect(reply.body, path).toContain('<Code>AccessDenied</Code>');
    }
  });

  it('survives malformed requests and still answers', async () => {
    const garbage = [
      'GET / HTTP/1.1\r\nHost: bucket.cloudpets.test\r\nBad Header\r\n\r\n',
      `GET /${'%'.repeat(5000)} HTTP/1.1\r\nHost: bucket.cloudpets.test\r\n\r\n`,
      `GET /${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${'%ff'.repeat(100)}&X-Amz-Date=x&X-Amz-Expires=-1&X-Amz-SignedHeaders=host&X-Amz-Signature=0 HTTP/1.1\r\nHost: bucket.cloudpets.test\r\n\r\n`,
      `GET /${key} HTTP/1.1\r\nHost: bucket.cloudpets.test\r\nAuthorization: AWS4-HMAC-SHA256 Credential=a/b/c/s3/aws4_request, SignedHeaders=host;x-missing, Signature=${'0'.repeat(64)}\r\n\r\n`,
      `GET /${key} HTTP/1.1\r\nHost: bucket.cloudpets.test\r\nRange: bytes=99999999999999999999-\r\n\r\n`,
      'NOT HTTP\r\n\r\n',
    ];
    for (const bytes of garbage) {
      await rawExchange(bucket.port, bytes);
      const alive = await get('/public/nothing.wav');
      expect(alive.status, bytes.slice(0, 60)).toBe(403);
      expect(alive.body).toContain('<Code>AccessDenied</Code>');
    }
  });

  it('refuses a Host that is not the bucket\'s name, address or localhost (DNS rebinding), as S3 does an unknown name', async () => {
    for (const host of ['evil.example', `evil.example:${bucket.port}`, 'bucket.cloudpets.test.evil.example', 'db.cloudpets.test', '203.0.113.30']) {
      const reply = await httpGet(bucket.port, `/cloudpets-recordings/${key}`, { host });
      expect(reply.status, host).toBe(404);
      expect(reply.body, host).toContain('<Code>NoSuchBucket</Code>');
    }
    for (const host of ['bucket.cloudpets.test', 'bucket.cloudpets.test:80', '203.0.113.20', `127.0.0.1:${bucket.port}`, `localhost:${bucket.port}`]) {
      const reply = await httpGet(bucket.port, host.startsWith('bucket.') ? `/${key}` : `/cloudpets-recordings/${key}`, { host });
      // Private object, anonymous caller: S3's 403, not the rebinding refusal.
      expect(reply.body, host).not.toContain('NoSuchBucket');
    }
  });
});

describe('lab API: Host', () => {
  it('refuses a Host that is not api.cloudpets.test, its address or localhost, with 421 and a clear message', async () => {
    const lab = mkdtempSync(join(tmpdir(), 'security-api-'));
    const api = await startApi({ labDir: lab, translateHost: () => ({ host: '127.0.0.1', port: 1 }), presign: async () => '' });
    try {
      for (const host of ['evil.example', `evil.example:${api.port}`, 'api.cloudpets.test.evil.example', 'bucket.cloudpets.test']) {
        const reply = await httpGet(api.port, '/', { host });
        expect(reply.status, host).toBe(421);
        expect(JSON.parse(reply.body).error).toMatch(/this is api\.cloudpets\.test; it does not answer to Host/);
      }
      for (const host of ['api.cloudpets.test', '203.0.113.30', `127.0.0.1:${api.port}`]) {
        expect((await httpGet(api.port, '/', { host })).status, host).toBe(200);
      }
    } finally {
      await api.close();
      rmSync(lab, { recursive: true, force: true });
    }
  });
});
