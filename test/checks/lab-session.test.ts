/**
 * lab-session against stand-in world processes (plain scripts named by CLOUDPETS_WORLD_ENTRY),
 * so the start/stop/timeout mechanics are tested apart from the real world.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labWorldStatus, restartLabWorld, startLabWorld, stopLabWorld } from '../../sandboxes/lab-session/session.ts';
import { worldPidPath } from '../../sandboxes/lab-folder/paths.ts';
import { READY_WORLD, failingWorld } from './stand-in-worlds.ts';

const READY = READY_WORLD;
const FAILS = failingWorld('mongod.conf line 3: bad indentation');
const CRASHES = `console.error('boom: cannot find module'); process.exit(3);`;
const HANGS = `setInterval(() => {}, 1000);`;

const dirs: string[] = [];
function labWith(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'session-'));
  dirs.push(dir);
  const entry = join(dir, 'fake-world.mjs');
  writeFileSync(entry, script);
  process.env.CLOUDPETS_WORLD_ENTRY = entry;
  return dir;
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await stopLabWorld(dir);
  delete process.env.CLOUDPETS_WORLD_ENTRY;
});

describe('lab-session', () => {
  it('starts a world in the background, reports it, restarts it with a new pid, and stops it', async () => {
    const dir = labWith(READY);
    const first = await startLabWorld(dir);
    expect(first.ok).toBe(true);
    const pid = first.ok ? first.info.pid : 0;
    expect(labWorldStatus(dir)?.pid).toBe(pid);
    expect(Number(readFileSync(worldPidPath(dir), 'utf8'))).toBe(pid);
    // starting again while it runs keeps the same world
    const again = await startLabWorld(dir);
    expect(again.ok && again.info.pid).toBe(pid);
    const restarted = await restartLabWorld(dir);
    expect(restarted.ok && restarted.info.pid).not.toBe(pid);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(await stopLabWorld(dir)).toBe(true);
    expect(existsSync(worldPidPath(dir))).toBe(false);
    expect(labWorldStatus(dir)).toBeUndefined();
    expect(await stopLabWorld(dir)).toBe(false);
  });

  it("returns the world's own error when it fails to start", async () => {
    const dir = labWith(FAILS);
    const result = await startLabWorld(dir);
    expect(result).toMatchObject({ ok: false, error: 'mongod.conf line 3: bad indentation' });
  });

  it('reports the output of a world process that dies before it is ready', async () => {
    const dir = labWith(CRASHES);
    const result = await startLabWorld(dir);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/exited \(code 3\).*boom: cannot find module/);
  });

  it('gives up on a world that never becomes ready, and kills it', async () => {
    const dir = labWith(HANGS);
    const result = await startLabWorld(dir, { timeoutMs: 1500 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/did not become ready within/);
    expect(labWorldStatus(dir)).toBeUndefined();
  });

  it('cleans up a stale pid file', async () => {
    const dir = labWith(READY);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, '.lab'), { recursive: true });
    writeFileSync(worldPidPath(dir), '999999\n');
    expect(labWorldStatus(dir)).toBeUndefined();
    expect(existsSync(worldPidPath(dir))).toBe(false);
  });
});
