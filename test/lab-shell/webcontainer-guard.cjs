/**
 * Test-only guard that holds a lab shell to what WebContainer provides. Loaded with
 * `node --require webcontainer-guard.cjs` on the harness's own command line (never through
 * NODE_OPTIONS in the lab), it:
 *   - sets process.versions.webcontainer, so the lab takes its WebContainer paths;
 *   - refuses (and logs to $CLOUDPETS_GUARD_LOG) any child process other than node, any
 *     detached or shell spawn, any signal to a process that is not our own child (kill(pid, 0)
 *     liveness tests included), and any use of node:vm;
 *   - loads itself into every node child the same way, so the world is held to it too.
 * The test reads the log and fails on any line in it.
 */
'use strict';
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

Object.defineProperty(process.versions, 'webcontainer', { value: 'guarded-test', enumerable: true, configurable: true });

const LOG = process.env.CLOUDPETS_GUARD_LOG;
const GUARD = __filename;
const children = new Set();

function violation(what) {
  const line = `${new Date().toISOString()} pid ${process.pid} (${path.basename(process.argv[1] || 'node')}): ${what}\n`;
  if (LOG) fs.appendFileSync(LOG, line);
  const error = new Error(`not available in WebContainer (test guard): ${what}`);
  error.code = 'EWEBCONTAINERGUARD';
  throw error;
}

function isNode(command) {
  return command === process.execPath || path.basename(String(command)) === 'node';
}

function check(name, command, args, options) {
  if (!isNode(command)) violation(`${name}(${JSON.stringify(command)}): a child process other than node`);
  if (options && options.detached) violation(`${name} with detached: true`);
  if (options && options.shell) violation(`${name} with shell: true`);
  // Hold node children to the same rules (the world process).
  return ['--no-addons', '--require', GUARD, ...(args || [])];
}

function splitArgs(args, options) {
  if (!Array.isArray(args)) return [[], args];
  return [args, options];
}

const original = { ...childProcess };
childProcess.spawn = function spawn(command, argsOrOptions, maybeOptions) {
  const [args, options] = splitArgs(argsOrOptions, maybeOptions);
  const guarded = check('spawn', command, args, options);
  const child = original.spawn.call(this, command, guarded, options);
  if (child.pid) children.add(child.pid);
  child.on('exit', () => setTimeout(() => children.delete(child.pid), 1000));
  return child;
};
childProcess.fork = function fork() {
  violation('fork: use spawn(node, …) with pipes');
};
for (const name of ['exec', 'execSync']) {
  childProcess[name] = function () {
    violation(`${name}: runs a shell`);
  };
}
for (const name of ['execFile', 'execFileSync', 'spawnSync']) {
  childProcess[name] = function (command, argsOrOptions, maybeOptions, ...rest) {
    const [args, options] = splitArgs(argsOrOptions, maybeOptions);
    const guarded = check(name, command, args, options);
    return original[name].call(this, command, guarded, options, ...rest);
  };
}

const originalKill = process.kill.bind(process);
process.kill = function kill(pid, signal) {
  if (pid !== process.pid && !children.has(pid)) violation(`process.kill(${pid}, ${signal === undefined ? 'SIGTERM' : signal}): a signal to a process that is not our child`);
  return originalKill(pid, signal);
};

const vm = require('node:vm');
for (const name of ['createContext', 'runInContext', 'runInNewContext', 'runInThisContext', 'compileFunction', 'Script']) {
  const real = vm[name];
  if (typeof real !== 'function') continue;
  vm[name] = function () {
    violation(`node:vm ${name}`);
    return real.apply(this, arguments);
  };
}
Module.syncBuiltinESMExports();
