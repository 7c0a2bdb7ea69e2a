/**
 * Another account on the same computer must not get into the learner's `npm start` (issue 13
 * item 1): it can reach the loopback port, so it tries everything a local process can: read
 * the secret from the pages, from the secret file and its folder, from the server's command
 * line, guess it, and open the lab socket with a forged Origin and Host. All must be refused.
 *
 * Needs root (it creates a throw-away system account with useradd and removes it afterwards)
 * and a Node.js that account can run (/usr/bin/node or /usr/local/bin/node; the script below
 * is plain enough for any version). Skipped otherwise, with the reason.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteAttachments } from '../../src/server/start.ts';
import { loadOrCreateSecret } from '../../src/server/static/access-secret.ts';
import { createSiteServer, type SiteServer } from '../../src/server/static/site-server.ts';

const isRoot = process.getuid?.() === 0;
const tools = ['useradd', 'userdel', 'runuser'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
const otherNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path));
const skipReason = !isRoot
  ? 'needs root to create a second local account'
  : tools.length > 0
    ? `needs ${tools.join(', ')} to create a second local account`
    : !otherNode
      ? 'needs a Node.js outside root\'s home (/usr/bin/node) for the second account to run'
      : '';
if (skipReason) console.warn(`other-account test skipped: ${skipReason}`);

/** What the other account runs: CommonJS, no syntax newer than Node 12, results as one JSON line. */
const attackerScript = `
const fs = require('fs');
const http = require('http');
const path = require('path');
const [port, secretFile, serverPid] = process.argv.slice(2);
const out = {};
const tryRead = (name, fn) => { try { out[name] = { ok: true, value: String(fn()) }; } catch (error) { out[name] = { ok: false, code: error.code }; } };
tryRead('secretFile', () => fs.readFileSync(secretFile, 'utf8'));
tryRead('secretFolder', () => fs.readdirSync(path.dirname(secretFile)).join(','));
tryRead('cmdline', () => fs.readFileSync('/proc/' + serverPid + '/cmdline', 'latin1'));
tryRead('environ', () => fs.readFileSync('/proc/' + serverPid + '/environ', 'latin1'));
const get = (p, headers) => new Promise((resolve) => {
  const req = http.request({ host: '127.0.0.1', port: Number(port), path: p, headers: Object.assign({ host: 'localhost:' + port }, headers || {}) }, (res) => {
    let body = '';
    res.on('data', (c) => (body += c));
    res.on('end', () => resolve({ status: res.statusCode, body }));
  });
  req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: 101, body: '' }); });
  req.on('error', (error) => resolve({ status: 0, body: error.code }));
  req.end();
});
(async () => {
  out.pages = [];
  for (const p of ['/', '/lessons/07-lock-the-database/', '/404.html', '/no-such-page', '/_astro/app.js']) out.pages.push(Object.assign({ path: p }, await get(p)));
  out.guess = await get('/?token=' + 'A'.repeat(43));
  out.socket = await get('/__lab/ws?lab=lock-database', {
    origin: 'http://localhost:' + port, connection: 'Upgrade', upgrade: 'websocket',
    'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  });
  out.socketWithGuess = await get('/__lab/ws?lab=lock-database&token=' + 'A'.repeat(43), {
    origin: 'http://localhost:' + port, connection: 'Upgrade', upgrade: 'websocket',
    'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  });
  process.stdout.write(JSON.stringify(out) + '\\n');
})();
`;

describe.skipIf(!!skipReason)('another local account', () => {
  const account = `cpweb${randomBytes(4).toString('hex')}`;
  let work: string;
  let site: SiteServer;
  let port: number;
  let secret: string;
  let secretFile: string;
  let attack: Record<string, any>;

  beforeAll(async () => {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', account]);
    // A world-readable place for the dist and the script; the secret's own folder and file must
    // be what keeps the other account out, so their parent is world-readable too.
    work = mkdtempSync(join(tmpdir(), 'security-other-account-'));
    chmodSync(work, 0o755);
    const distDir = join(work, 'dist');
    mkdirSync(join(distDir, 'lessons', '07-lock-the-database'), { recursive: true });
    mkdirSync(join(distDir, '_astro'));
    writeFileSync(join(distDir, 'index.html'), '<!doctype html><html><head></head><body>home</body></html>');
    writeFileSync(join(distDir, 'lessons', '07-lock-the-database', 'index.html'), '<!doctype html><html><head></head><body>lesson</body></html>');
    writeFileSync(join(distDir, '404.html'), '<!doctype html><html><head></head><body>not here</body></html>');
    writeFileSync(join(distDir, '_astro', 'app.js'), 'console.log(1)');
    ({ secret, file: secretFile } = loadOrCreateSecret(join(work, 'runtime', 'cloudpets-breach-lab')));
    chmodSync(join(work, 'runtime'), 0o755);
    site = createSiteServer({ distDir, port: 0, secret, secretFile });
    for (const attach of siteAttachments) await attach(site, { projectDir: work, distDir });
    ({ port } = await site.listen());
    const script = join(work, 'attacker.cjs');
    writeFileSync(script, attackerScript, { mode: 0o644 });
    // Asynchronously: the server under attack runs in this very process.
    const { stdout } = await promisify(execFile)('runuser', ['-u', account, '--', otherNode!, script, String(port), secretFile, String(process.pid)], { encoding: 'utf8', timeout: 60_000 });
    attack = JSON.parse(stdout);
  });

  afterAll(async () => {
    await site?.close();
    spawnSync('userdel', [account]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('keeps the secret in a folder 0700 and a file 0600', () => {
    expect(statSync(join(work, 'runtime', 'cloudpets-breach-lab')).mode & 0o777).toBe(0o700);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
  });

  it('cannot read the secret file or list its folder', () => {
    expect(attack.secretFile).toEqual({ ok: false, code: 'EACCES' });
    expect(attack.secretFolder).toEqual({ ok: false, code: 'EACCES' });
  });

  it('finds the secret in no page, not even 404s, and no process information', () => {
    for (const page of attack.pages) {
      expect(page.status, page.path).toBe(403);
      expect(page.body, page.path).not.toContain(secret);
    }
    expect(JSON.stringify(attack)).not.toContain(secret);
  });

  it('cannot guess its way in or open the lab socket with a forged Origin and Host', () => {
    expect(attack.guess.status).toBe(403);
    expect(attack.socket.status).toBe(403);
    expect(attack.socketWithGuess.status).toBe(403);
  });

  it('the learner, with the secret, still gets in', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/?token=${secret}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
  });
});
