import { describe, expect, it } from 'vitest';
import { parseCheckOutput } from '../../src/sandbox/checks-view.ts';
import { lessonAnchorHref } from '../../src/sandbox/lab-meta.ts';
import { chooseRuntime } from '../../src/runtimes/select-runtime.ts';
import { normaliseLabPath } from '../../src/runtimes/runtime.ts';

describe('runtime choice', () => {
  it('uses the local runner when the page was served by it, WebContainer otherwise', () => {
    expect(chooseRuntime('', true).kind).toBe('local');
    expect(chooseRuntime('', false).kind).toBe('webcontainer');
  });
  it('lets ?runtime= force one, and ignores unknown values', () => {
    expect(chooseRuntime('?runtime=webcontainer', true)).toEqual({ kind: 'webcontainer', reason: 'chosen by ?runtime=webcontainer' });
    expect(chooseRuntime('?runtime=local', false).kind).toBe('local');
    expect(chooseRuntime('?runtime=cloud', true).kind).toBe('local');
  });
});

describe('checks output', () => {
  const report = { lab: 'x', title: 'X', kind: 'fix', passed: false, total: 1, passedCount: 0, results: [], startedAt: '', durationMs: 1 };
  it('reads the JSON report, even after log lines', () => {
    expect(parseCheckOutput(`Restarting...\n${JSON.stringify(report)}\n`)).toEqual(report);
  });
  it('says clearly when the checks printed no report or an error', () => {
    expect(() => parseCheckOutput('')).toThrow(/printed no result: \(no output\)/);
    expect(() => parseCheckOutput('Segmentation fault')).toThrow(/printed no result: Segmentation fault/);
    expect(() => parseCheckOutput('{"error":"not inside a lab folder"}')).toThrow(/not inside a lab folder/);
    expect(() => parseCheckOutput('{broken')).toThrow(/not JSON/);
    expect(() => parseCheckOutput('{"lab":"x"}')).toThrow(/no "results" list/);
  });
});

describe('lab paths and lesson links', () => {
  it('keeps paths inside the lab', () => {
    expect(normaliseLabPath('./api//app.js')).toBe('api/app.js');
    expect(() => normaliseLabPath('../x')).toThrow(/leaves the lab folder/);
    expect(() => normaliseLabPath('/')).toThrow(/names the lab folder itself/);
  });
  it('turns a lessonAnchor into the lesson URL', () => {
    expect(lessonAnchorHref('07-lock-the-database#step-3-turn-on-authorization')).toBe('/lessons/07-lock-the-database/#step-3-turn-on-authorization');
    expect(lessonAnchorHref('03-the-open-door')).toBe('/lessons/03-the-open-door/');
  });
});
