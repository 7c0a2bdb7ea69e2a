/**
 * The lab folders themselves: every lab in the registry has its folder, starting files that
 * match the world's 2016 starting files (so a lab starts where the story starts), a reference
 * solution, and checks with the fields the panel needs, pointing at real lesson headings.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyStartingFiles, labStartingDiffDir } from '../../sandboxes/lab-folder/starting-files.ts';
import { LABS } from '../../sandboxes/labs/registry.ts';
import { labSourceDir } from '../../sandboxes/lab-folder/assemble.ts';
import { diagnoseFiles } from '../../sandboxes/checks/file-diagnostics.ts';
import { solutionAppPath, solutionApps } from '../../sandboxes/labs/build-solution-apps.ts';

const WORLD_STARTING = join(import.meta.dirname, '../../sandboxes/world/starting');
const WORLD_APP = join(import.meta.dirname, '../../sandboxes/world/api/starting-app.js');
const ORDER = ['recon', 'open-door', 'recordings', 'ransom', 'cracking', 'lock-database', 'lock-bucket', 'password-policy', 'detect-and-respond', 'capstone'];

describe('lab folders', () => {
  it('has the ten labs in course order', () => {
    expect(LABS.map((lab) => lab.meta.id)).toEqual(ORDER);
  });

  it.each(ORDER)('%s: starting files are the 2016 world, editable files exist and parse, a solution exists', (id) => {
    const lab = LABS.find((l) => l.meta.id === id)!;
    const dir = labSourceDir(id);
    // The starting files are assembled: the shared 2016 tree plus the lab's own differences.
    const starting = mkdtempSync(join(tmpdir(), `cloudpets-starting-${id}-`));
    copyStartingFiles(id, starting);
    expect(existsSync(join(starting, 'README.md'))).toBe(false);
    for (const file of ['mongod.conf', 'api/.env', 'bucket/policy.json', 'bucket/public-access-block.json']) {
      expect(readFileSync(join(starting, file), 'utf8'), `${id}/starting/${file}`).toBe(readFileSync(join(WORLD_STARTING, file), 'utf8'));
    }
    expect(readFileSync(join(starting, 'api/app.js'), 'utf8'), `${id}/starting/api/app.js`).toBe(readFileSync(WORLD_APP, 'utf8'));
    expect(diagnoseFiles(starting, lab.meta.editable)).toEqual([]);
    rmSync(starting, { recursive: true, force: true });
    expect(existsSync(join(dir, 'solution')) || existsSync(join(dir, 'solution.sh'))).toBe(true);
    if (lab.meta.kind === 'attack') expect(existsSync(join(dir, 'solution.sh'))).toBe(true);
    else expect(diagnoseFiles(join(dir, 'solution'), lab.meta.editable.filter((f) => existsSync(join(dir, 'solution', f))))).toEqual([]);
  });

  it.each(ORDER)('%s: commits only its own starting files, none of the shared 2016 tree', (id) => {
    const own = labStartingDiffDir(id);
    const files = existsSync(own) ? (readdirSync(own, { recursive: true }) as string[]) : [];
    for (const shared of ['mongod.conf', 'api/.env', 'api/app.js', 'bucket/policy.json', 'bucket/public-access-block.json']) expect(files).not.toContain(shared);
  });

  it('the solutions\' api/app.js are built from the world\'s current 2016 app (npx tsx sandboxes/labs/build-solution-apps.ts)', () => {
    for (const [labId, text] of Object.entries(solutionApps())) expect(readFileSync(solutionAppPath(labId), 'utf8'), labId).toBe(text);
  });

  it.each(ORDER)('%s: checks have unique ids, plain titles, hints and lesson anchors', (id) => {
    const lab = LABS.find((l) => l.meta.id === id)!;
    const ids = lab.checks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of lab.checks) {
      expect(check.title.length).toBeGreaterThan(10);
      expect(check.hint.length).toBeGreaterThan(10);
      expect(check.lessonAnchor).toMatch(new RegExp(`^${lab.meta.lesson}#[a-z0-9-]+$`));
    }
  });
});
