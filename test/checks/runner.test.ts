/**
 * The runner's promises, with stand-in labs and world processes: it never throws or hangs,
 * every failure is a failing check with a reason, and the JSON report has the documented shape.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecks } from '../../sandboxes/checks/run-checks.ts';
import { formatReport } from '../../sandboxes/checks/report.ts';
import { stopLabWorld } from '../../sandboxes/lab-session/session.ts';
import type { LabDefinition } from '../../sandboxes/checks/types.ts';
import { READY_WORLD, failingWorld } from './stand-in-worlds.ts';

const READY = READY_WORLD;
const FAILS = failingWorld('mongod.conf: unknown key security.authorisation (line 7)');

const dirs: string[] = [];
function labFolder(world: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'world.mjs'), world);
  process.env.CLOUDPETS_WORLD_ENTRY = join(dir, 'world.mjs');
  return dir;
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await stopLabWorld(dir);
  delete process.env.CLOUDPETS_WORLD_ENTRY;
});

const lab = (checks: LabDefinition['checks']): LabDefinition => ({
  meta: { id: 'test-lab', title: 'Test lab', kind: 'fix', lesson: '99-test', labSection: 'lab-test', editable: ['mongod.conf'], goal: 'test' },
  checks,
});

const base = { hint: 'h', lessonAnchor: '99-test#x' };

describe('runChecks', () => {
  it('turns a throwing check and a hanging check into failures with reasons, and keeps going', async () => {
    const dir = labFolder(READY, { 'mongod.conf': 'net:\n  port: 27017\n' });
    const report = await runChecks(
      lab([
        { ...base, id: 'throws', title: 'throws', run: async () => { throw new Error('socket hang up'); } },
        { ...base, id: 'hangs', title: 'hangs', timeoutMs: 300, run: () => new Promise(() => {}) },
        { ...base, id: 'passes', title: 'passes', run: async () => ({ pass: true, reason: 'an anonymous client was refused' }) },
      ]),
      dir,
    );
    const byId = Object.fromEntries(report.results.map((r) => [r.id, r]));
    expect(byId['files-readable']!.pass).toBe(true);
    expect(byId['services-start']!.pass).toBe(true);
    expect(byId.throws).toMatchObject({ pass: false, reason: 'could not finish: socket hang up' });
    expect(byId.hangs!.pass).toBe(false);
    expect(byId.hangs!.reason).toMatch(/timed out/);
    expect(byId.passes!.pass).toBe(true);
    expect(report).toMatchObject({ lab: 'test-lab', kind: 'fix', passed: false, total: 5, passedCount: 3 });
    for (const r of report.results) expect(Object.keys(r).sort()).toEqual(['durationMs', 'hint', 'id', 'lessonAnchor', 'pass', 'reason', 'title']);
    expect(formatReport(report)).toMatch(/3 of 5 checks pass/);
  });

  it('quotes a broken file and the world error, and does not run the other checks', async () => {
    const dir = labFolder(FAILS, { 'mongod.conf': 'security:\n\tauthorization: enabled\n' });
    let ran = false;
    const report = await runChecks(lab([{ ...base, id: 'replay', title: 'replay', run: async () => ((ran = true), { pass: true, reason: '' }) }]), dir);
    expect(ran).toBe(false);
    expect(report.results[0]).toMatchObject({ id: 'files-readable', pass: false });
    expect(report.results[0]!.reason).toMatch(/^mongod\.conf line 2, column 1: not valid YAML: Tabs are not allowed/);
    expect(report.results[1]).toMatchObject({ id: 'services-start', pass: false, reason: 'mongod.conf: unknown key security.authorisation (line 7)' });
    expect(report.results[2]).toMatchObject({ id: 'replay', pass: false });
    expect(report.results[2]!.reason).toMatch(/not checked: the lab's services did not start/);
    expect(report.passed).toBe(false);
  });

  it('passes only when every check passes', async () => {
    const dir = labFolder(READY, { 'mongod.conf': 'net: {}\n' });
    const report = await runChecks(lab([{ ...base, id: 'ok', title: 'ok', run: async () => ({ pass: true, reason: 'fine' }) }]), dir);
    expect(report.passed).toBe(true);
    expect(report.passedCount).toBe(report.total);
  });
});

describe('one run at a time', () => {
  it('a second run in the same lab folder waits for the first instead of restarting the world under it', async () => {
    const dir = labFolder(READY, { 'mongod.conf': 'net: {}\n' });
    const order: string[] = [];
    const slow = lab([{ ...base, id: 'slow', title: 'slow', run: async () => { order.push('first:start'); await new Promise((r) => setTimeout(r, 400)); order.push('first:end'); return { pass: true, reason: 'ok' }; } }]);
    const quick = lab([{ ...base, id: 'quick', title: 'quick', run: async () => { order.push('second'); return { pass: true, reason: 'ok' }; } }]);
    const first = runChecks(slow, dir);
    await new Promise((r) => setTimeout(r, 50));
    const second = runChecks(quick, dir);
    await Promise.all([first, second]);
    expect(order).toEqual(['first:start', 'first:end', 'second']);
  });
});
