/**
 * The lab's world as a child process (sandboxes/lab-session/lab-world.ts) against stand-in
 * world processes (plain scripts named by CLOUDPETS_WORLD_ENTRY), so the start, stop, crash
 * and timeout mechanics are tested apart from the real world.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabWorld } from '../../sandboxes/lab-session/lab-world.ts';
import { READY_WORLD, STANDBY_AWARE_WORLD, failingWorld } from './stand-in-worlds.ts';

const FAILS = failingWorld('mongod.conf line 3: bad indentation');
const CRASHES = `console.error('boom: cannot find module'); process.exit(3);`;
const HANGS = `setInterval(() => {}, 1000);`;
/** Ready, but deaf to "stop": only the kill of our own child ends it. */
const DEAF = `${READY_WORLD.replace(/process\.stdin\.on[\s\S]*$/, '')}process.stdin.resume(); setInterval(() => {}, 1000);`;

const worlds: LabWorld[] = [];
function worldWith(script: string): LabWorld {
  const dir = mkdtempSync(join(tmpdir(), 'session-'));
  const entry = join(dir, 'fake-world.mjs');
  writeFileSync(entry, script);
  process.env.CLOUDPETS_WORLD_ENTRY = entry;
  const world = new LabWorld(dir);
  worlds.push(world);
  return world;
}

const exited = (pid: number): boolean => {
  try {
    process.kill(pid, 0); // our own (former) child: the test may look
    return false;
  } catch {
    return true;
  }
};

afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
  delete process.env.CLOUDPETS_WORLD_ENTRY;
  delete process.env.CLOUDPETS_WORLD_ENTRY_STANDBY;
});

describe('a standby world for the next restart', () => {
  const standbyPids = (world: LabWorld): number[] => {
    const file = join(world.labDir, 'standby-pids');
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];
  };
  const until = async (condition: () => boolean, what: string): Promise<void> => {
    for (let waited = 0; !condition(); waited += 20) {
      if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('restarts into the standby process, prepares the next one, and leaves none behind on close', async () => {
    const world = worldWith(STANDBY_AWARE_WORLD);
    process.env.CLOUDPETS_WORLD_ENTRY_STANDBY = '1';
    world.keepStandby = true;
    world.standbyDelayMs = 500;
    const first = await world.start();
    expect(first.ok).toBe(true);
    // Not at once: the checks run right after a (re)start and must not share the CPU with it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(standbyPids(world)).toEqual([]);
    await until(() => standbyPids(world).length === 1, 'a standby world once the world is ready');
    const [standby] = standbyPids(world);
    expect(exited(standby!)).toBe(false);
    const restarted = await world.restart();
    expect(restarted.ok && restarted.info.pid).toBe(standby);
    expect(exited(first.ok ? first.info.pid : 0)).toBe(true);
    await until(() => standbyPids(world).length === 2, 'the next standby world');
    const pids = [first.ok ? first.info.pid : 0, ...standbyPids(world)];
    await world.close();
    expect(world.running).toBe(false);
    await until(() => pids.every(exited), 'every world process to end after close');
  });

  it('starts none without keepStandby (a one-off run such as npm run checks)', async () => {
    const world = worldWith(STANDBY_AWARE_WORLD);
    process.env.CLOUDPETS_WORLD_ENTRY_STANDBY = '1';
    world.standbyDelayMs = 0;
    expect((await world.start()).ok).toBe(true);
    expect((await world.restart()).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(standbyPids(world)).toEqual([]);
    await world.close();
  });
});

describe('the world as a child of the lab host', () => {
  it('starts from the child\'s own report, keeps one world on a second start, restarts with a new pid, and stops', async () => {
    const world = worldWith(READY_WORLD);
    const first = await world.start();
    expect(first.ok).toBe(true);
    const pid = first.ok ? first.info.pid : 0;
    expect(world.pid).toBe(pid);
    expect(world.info?.status).toBe('ready');
    const again = await world.start();
    expect(again.ok && again.info.pid).toBe(pid);
    const restarted = await world.restart();
    expect(restarted.ok && restarted.info.pid).not.toBe(pid);
    expect(exited(pid)).toBe(true);
    expect(await world.stop()).toBe(true);
    expect(world.info).toBeUndefined();
    expect(world.running).toBe(false);
    expect(await world.stop()).toBe(false);
  });

  it('shares one start between concurrent callers', async () => {
    const world = worldWith(READY_WORLD);
    const [a, b] = await Promise.all([world.start(), world.start()]);
    expect(a.ok && b.ok && a.info.pid === b.info.pid).toBe(true);
  });

  it("returns the world's own error when it fails to start", async () => {
    const world = worldWith(FAILS);
    expect(await world.start()).toMatchObject({ ok: false, error: 'mongod.conf line 3: bad indentation' });
  });

  it('reports the output of a world process that dies before it is ready', async () => {
    const world = worldWith(CRASHES);
    const result = await world.start();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/exited \(code 3\).*boom: cannot find module/);
  });

  it('gives up on a world that never becomes ready, and stops it', async () => {
    const world = worldWith(HANGS);
    const result = await world.start({ timeoutMs: 1500 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/did not become ready within/);
    await new Promise((done) => setTimeout(done, 200));
    expect(world.pid).toBeUndefined();
  });

  it('notices a world killed outright through its exit event, says why once, and starts it again', async () => {
    const world = worldWith(READY_WORLD);
    const first = await world.start();
    const pid = first.ok ? first.info.pid : 0;
    const noticed = new Promise<string>((done) => world.onUnexpectedExit(done));
    process.kill(pid, 'SIGKILL'); // the test plays the crash; the world is its own child
    expect(await noticed).toMatch(/stopped unexpectedly \(signal SIGKILL\)/);
    expect(world.running).toBe(false);
    expect(world.takeUnexpectedExit()).toMatch(/SIGKILL/);
    expect(world.takeUnexpectedExit()).toBeUndefined();
    const again = await world.start();
    expect(again.ok && again.info.pid).not.toBe(pid);
  });

  it('a stop it asked for is not "unexpected"; a world deaf to "stop" is ended as our own child', async () => {
    const world = worldWith(DEAF);
    expect((await world.start()).ok).toBe(true);
    expect(await world.stop()).toBe(true);
    expect(world.takeUnexpectedExit()).toBeUndefined();
  }, 15_000);
});
