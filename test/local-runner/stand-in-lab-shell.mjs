// A stand-in for the lab shell (.lab/lab-shell.mjs) that speaks docs/lab-runtime-contract.md:
// a prompt and the ready signal on a raw terminal, a world as a child, and the control server
// (.lab/control.json, /status, /world/restart, /checks, /reports). The runtime tests use it so
// they test the runtime side of the contract, not the real shell's commands.
//
// Two optional hooks for fixture labs (test/browser/lab-fixture.ts): `.lab/stand-in-checks.mjs`
// (its default export makes the report from the lab folder) and `.lab/stand-in-bash` (a marker:
// commands the stand-in does not know run in bash, so the panel's tests can type ordinary
// commands). Neither is part of the contract.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import { join } from 'node:path';

const labDir = process.env.CLOUDPETS_LAB_DIR ?? process.cwd();
const info = JSON.parse(readFileSync(join(labDir, '.lab', 'lab.json'), 'utf8'));
const token = randomBytes(16).toString('hex');
const followers = new Set();
let received = 0;
let worldRestarts = 0;
let world;

function startWorld() {
  world?.kill('SIGKILL');
  world = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)', 'stand-in-world'], { cwd: labDir, stdio: 'ignore' });
}

const customChecks = existsSync(join(labDir, '.lab', 'stand-in-checks.mjs'))
  ? (await import(pathToFileURL(join(labDir, '.lab', 'stand-in-checks.mjs')).href)).default
  : undefined;
const delegateToBash = existsSync(join(labDir, '.lab', 'stand-in-bash'));

function runChecks() {
  const report = customChecks ? { ...customChecks(labDir), startedAt: new Date().toISOString() } : { lab: info.id, title: info.title ?? info.id, kind: 'fix', passed: true, total: 1, passedCount: 1, startedAt: new Date().toISOString(), durationMs: 1,
    results: [{ id: 'stand-in', title: 'The stand-in passes', pass: true, reason: 'it always does', hint: '', lessonAnchor: 'x#y', durationMs: 1 }] };
  mkdirSync(join(labDir, '.lab', 'reports'), { recursive: true });
  writeFileSync(join(labDir, '.lab', 'reports', 'last.json.tmp'), JSON.stringify(report));
  renameSync(join(labDir, '.lab', 'reports', 'last.json.tmp'), join(labDir, '.lab', 'reports', 'last.json'));
  for (const response of followers) response.write(JSON.stringify(report) + '\n');
  return report;
}

const server = createServer((request, response) => {
  if (request.headers.authorization !== `Bearer ${token}`) return response.writeHead(401).end('{"ok":false,"error":"token"}');
  const json = (body) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (request.method === 'GET' && request.url === '/status') return json({ ok: true, shell: { pid: process.pid }, world: { status: 'ready' } });
  if (request.method === 'POST' && request.url === '/world/restart') {
    // The runtime tests' lab has a notes.txt that can make the world refuse to start; the
    // panel's fixture lab has none (and restarts the world when the page restores saved work).
    const notes = join(labDir, 'notes.txt');
    if (existsSync(notes) && readFileSync(notes, 'utf8').startsWith('broken')) return json({ ok: false, error: 'notes.txt line 1: broken' });
    startWorld();
    worldRestarts++;
    return json({ ok: true, world: { status: 'ready' } });
  }
  if (request.method === 'POST' && request.url === '/checks') return json(runChecks());
  if (request.method === 'POST' && request.url === '/slow') return; // never answers
  if (request.method === 'GET' && request.url === '/reports') {
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    response.flushHeaders();
    followers.add(response);
    request.on('close', () => followers.delete(response));
    return;
  }
  response.writeHead(404).end('{"ok":false,"error":"no such operation"}');
});

const commands = {
  hello: () => `hello from the lab: ${info.id}`,
  seed: () => `seed: ${info.seed ?? 'none'}`,
  cols: () => String(process.stdout.columns),
  received: () => `received ${received}`,
  restarts: () => `world restarts: ${worldRestarts}`,
  checks: () => `${runChecks().passedCount} passed`,
  cat: (args) => readFileSync(join(labDir, args[0] ?? ''), 'utf8').trimEnd(),
  // What learner code could do (the lab shell itself offers no such command): start a
  // process in a new session with an empty environment, detached from us.
  escape: () => {
    spawn('/usr/bin/setsid', ['-f', '/usr/bin/env', '-i', '/usr/bin/sleep', '1003'], { cwd: labDir, stdio: 'ignore' });
    return 'escaped';
  },
};

let line = '';
let prompt = () => process.stdout.write('learner@internet:~$ ');
function run(text) {
  const [name, ...args] = text.trim().split(/\s+/);
  if (!name) return;
  if (name === 'exit') return quit(0);
  const command = commands[name];
  if (delegateToBash && name !== 'checks') {
    spawnSync('/bin/bash', ['-c', text], { cwd: labDir, stdio: 'inherit', env: { ...process.env, PATH: `${process.env.PATH}:/usr/local/bin:/usr/bin:/bin` } });
    return;
  }
  if (!command) return process.stdout.write(`${name}: command not found\r\n`);
  try {
    process.stdout.write(command(args) + '\r\n');
  } catch (error) {
    process.stdout.write(`${name}: ${error.message}\r\n`);
  }
}

function quit(code) {
  world?.kill('SIGKILL');
  rmSync(join(labDir, '.lab', 'control.json'), { force: true });
  process.exit(code);
}

if (delegateToBash) {
  // Fixture labs for the panel's browser tests: line editing by node:readline, as the real lab
  // shell does (Escape then b moves back a word, Tab completes), so keyboard tests meet the
  // same terminal behaviour a learner does.
  const { createInterface } = await import('node:readline');
  process.stdin.on('data', (chunk) => (received += Buffer.byteLength(chunk)));
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true, prompt: 'learner@internet:~$ ', completer: (text) => [[], text] });
  rl.on('line', (text) => {
    run(text);
    rl.prompt();
  });
  rl.on('SIGINT', () => {
    rl.write(null, { ctrl: true, name: 'u' });
    process.stdout.write('^C\r\n');
    rl.prompt();
  });
  rl.on('close', () => quit(0));
  prompt = () => rl.prompt();
} else {
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    received += Buffer.byteLength(chunk);
    for (const char of chunk) {
      if (char === '\r') {
        process.stdout.write('\r\n');
        run(line);
        line = '';
        prompt();
      } else if (char === '\x04' && line === '') quit(0);
      else if (char === '\x03') {
        line = '';
        process.stdout.write('^C\r\n');
        prompt();
      } else if (line.length < 4096) {
        line += char;
        process.stdout.write(char);
      }
    }
  });
}

startWorld();
server.listen(0, '127.0.0.1', () => {
  writeFileSync(join(labDir, '.lab', 'control.json'), JSON.stringify({ port: server.address().port, token, pid: process.pid }), { mode: 0o600 });
  process.stdout.write(`Stand-in lab shell: ${info.id}\r\n`);
  prompt();
  process.stdout.write('\x1b]654;cloudpets-ready\x07');
});
