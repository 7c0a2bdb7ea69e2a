/**
 * Attack labs: on the starting files the checks find no evidence; after the reference
 * solution (solution.sh run for real against the world) they find it in the world.
 */
import { describe, expect, it } from 'vitest';
import { openLab, failing, result, summary } from './support.ts';

describe.each(['recon', 'open-door', 'recordings', 'cracking'])('%s lab', (labId) => {
  it('fails on the starting files, with reasons that say what was (not) observed', async () => {
    const lab = await openLab(labId, false);
    try {
      const report = await lab.checks();
      expect(report.passed, summary(report)).toBe(false);
      expect(result(report, 'services-start').pass, summary(report)).toBe(true);
      for (const r of report.results.filter((r) => !r.pass)) expect(r.reason).not.toMatch(/^(failed|error)$/i);
    } finally {
      await lab.dispose();
    }
  });

  it('passes after the reference solution is typed into the lab shell', async () => {
    const lab = await openLab(labId, true);
    try {
      const report = await lab.checks();
      expect(failing(report), `${summary(report)}\n--- solution.sh output:\n${lab.solutionOutput}`).toEqual([]);
    } finally {
      await lab.dispose();
    }
    // bcrypt is slow on purpose: the cracking lab's solution runs the cracker for real.
  }, 240_000);
});
