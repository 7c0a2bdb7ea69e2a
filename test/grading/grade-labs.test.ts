/**
 * The grader against every lab: the reference solution, handed in as an archive, grades as
 * passed in a fresh world from its seed; the starting files grade as failed with reasons; work
 * copied from another learner's world and a forged report fail with a reason that says so;
 * files a lab does not take are ignored and named. Labs run one after the other (each grade
 * starts a world; two cores).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshLab } from '../../sandboxes/lab-shell/fresh-lab.ts';
import { findLab, LABS } from '../../sandboxes/labs/registry.ts';
import type { CheckReport } from '../../sandboxes/checks/types.ts';
import { createLabFolder } from '../../sandboxes/lab-folder/assemble.ts';
import { readHandIn, type HandIn } from '../../sandboxes/grading/archive-reader.ts';
import { gradeHandIn, startTimedOut } from '../../sandboxes/grading/grade.ts';
import { handInFromLabFolder, packHandIn } from '../../sandboxes/grading/load-submissions.ts';

// The reference solutions were written against the lessons' world (seed 2016): the cracking
// lab's solution attacks a slice of accounts known to hold listed passwords in that world.
const WORLD = { seed: 2016, users: 150 };
const LONG = 300_000;
const learner = { id: 'l-00000000000000aa', name: 'Ada Example' };

/** Through the archive bytes, as an instructor would receive it. */
const viaArchive = (handIn: HandIn): HandIn => readHandIn(packHandIn(handIn));

const solutions = new Map<string, { handIn: HandIn; report: CheckReport }>();

describe('grading every lab', () => {
  for (const lab of LABS) {
    const id = lab.meta.id;
    it(`${id}: the reference solution handed in grades as passed`, { timeout: LONG }, async () => {
      const fresh = await freshLab(id, { solution: true, world: WORLD });
      try {
        let report = await fresh.checks();
        // Two busy cores can be slower than the world's start limit: that is load, not the solution.
        if (startTimedOut(report)) report = await fresh.checks();
        expect(report.passed, `the solution itself must pass before it is handed in`).toBe(true);
        const handIn = viaArchive(handInFromLabFolder(fresh.dir, { learner, lastReport: report }));
        solutions.set(id, { handIn, report });
      } finally {
        await fresh.dispose();
      }
      const graded = await gradeHandIn(solutions.get(id)!.handIn, { source: `${id}.zip` });
      expect(graded.failures, graded.notes.join('\n')).toEqual([]);
      expect(graded.status).toBe('passed');
      expect(graded.notes).toEqual([]);
    });

    it(`${id}: its starting files grade as failed, each failed check with a reason`, { timeout: LONG }, async () => {
      const dir = mkdtempSync(join(tmpdir(), `cloudpets-start-${id}-`));
      try {
        createLabFolder(lab.meta, dir, { world: WORLD });
        const graded = await gradeHandIn(viaArchive(handInFromLabFolder(dir, { learner })), { source: `${id}-start.zip` });
        expect(graded.status).toBe('failed');
        expect(graded.failures.length).toBeGreaterThan(0);
        for (const failure of graded.failures) expect(failure.reason.length, failure.id).toBeGreaterThan(10);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('work copied from another learner\'s world fails, and says the evidence is not theirs', { timeout: LONG }, async () => {
    const original = solutions.get('open-door');
    expect(original, 'the open-door solution ran above').toBeDefined();
    const copied: HandIn = { ...original!.handIn, manifest: { ...original!.handIn.manifest, learner: { id: 'l-00000000000000bb', name: 'Bob Copier' }, world: { ...WORLD, seed: 424242 } } };
    const graded = await gradeHandIn(viaArchive(copied), { source: 'bob.zip' });
    expect(graded.status).toBe('failed');
    expect(graded.failures.map((f) => f.id)).toContain('export-holds-accounts');
    expect(graded.notes.join('\n')).toMatch(/does not match this learner's own world \(seed 424242\)/);
  });

  it('a forged report claiming every check passed fails, and the claim is named', { timeout: LONG }, async () => {
    const solved = solutions.get('lock-database');
    expect(solved).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'cloudpets-forged-'));
    try {
      createLabFolder(findLab('lock-database')!.meta, dir, { world: WORLD });
      const forged = handInFromLabFolder(dir, { learner, lastReport: solved!.report });
      const graded = await gradeHandIn(viaArchive(forged), { source: 'forged.zip' });
      expect(graded.status).toBe('failed');
      expect(graded.notes.join('\n')).toMatch(/claims \d+ check\(s\) passed that fail when re-run/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('files outside the lab\'s editable files and outputs are ignored and named', { timeout: LONG }, async () => {
    const solved = solutions.get('recon');
    expect(solved).toBeDefined();
    const files = new Map(solved!.handIn.files);
    // recon does not let a learner hand in app code or world state: a "fix" smuggled in is not used.
    files.set('api/app.js', new TextEncoder().encode('throw new Error("smuggled")\n'));
    files.set('data/db/users.bin', new Uint8Array([1, 2, 3]));
    const graded = await gradeHandIn(viaArchive({ ...solved!.handIn, files }), { source: 'extra.zip' });
    expect(graded.status).toBe('passed');
    expect(graded.notes.join('\n')).toMatch(/ignored 2 file\(s\).*api\/app\.js, data\/db\/users\.bin/);
  });

  it('help the learner used is shown: passed with help, and how much', { timeout: LONG }, async () => {
    const solved = solutions.get('recon')!;
    const helped: HandIn = { ...solved.handIn, manifest: { ...solved.handIn.manifest, help: { hintsShown: ['findings-port', 'findings-version'], solutionShown: false } } };
    const graded = await gradeHandIn(viaArchive(helped), { source: 'helped.zip' });
    expect(graded.status).toBe('passed-with-help');
    expect(graded.help).toEqual({ hintsShown: 2, solutionShown: false });
  });
});
