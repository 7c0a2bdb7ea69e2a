import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLessons, frontmatterProblems, LessonFrontmatterError, splitFrontmatter } from '../../src/content/lesson-files';
import { sortLessons } from '../../src/navigation/lesson-order';
import { runBuildSteps } from '../../src/build/build-step.ts';
import { checkLessonsStep } from '../../src/build/steps/check-lessons-step.ts';

const projectDir = resolve(import.meta.dirname, '../..');
const fixtures = join(import.meta.dirname, 'fixtures');

describe('lesson frontmatter as the build checks it', () => {
  it('accepts every lesson in lessons/', async () => {
    const lessons = await checkLessons(projectDir);
    expect(lessons.length).toBeGreaterThan(0);
    // Course order must be unambiguous: prev/next links depend on it.
    expect(() => sortLessons(lessons)).not.toThrow();
  });

  it('names the file and each bad field when frontmatter breaks the schema', async () => {
    const error = await checkLessons(projectDir, join(fixtures, 'broken-lessons')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LessonFrontmatterError);
    const message = (error as Error).message;
    expect(message).toMatch(/test\/site\/fixtures\/broken-lessons\/no-fence\.mdx: no frontmatter/);
    // Every broken file in one run, not one per build attempt.
    expect(message).toMatch(/test\/site\/fixtures\/broken-lessons\/bad-duration\.mdx: duration: /);
  });

  it('stops the build at its first step, naming the step, the file and the field', async () => {
    const previous = process.env.CLOUDPETS_LESSONS_DIR;
    process.env.CLOUDPETS_LESSONS_DIR = join(fixtures, 'broken-lessons');
    const ran: string[] = [];
    try {
      const error = await runBuildSteps([checkLessonsStep, { name: 'astro build', run: async () => void ran.push('astro build') }], {
        projectDir,
        distDir: join(fixtures, 'never-written'),
        log: () => {},
      }).catch((caught: unknown) => caught);
      expect((error as Error).message).toMatch(/build step "check lesson frontmatter" failed: .*\n.*bad-duration\.mdx: difficulty: /s);
    } finally {
      if (previous === undefined) delete process.env.CLOUDPETS_LESSONS_DIR;
      else process.env.CLOUDPETS_LESSONS_DIR = previous;
    }
    expect(ran).toEqual([]);
  });

  it('lists every schema problem of a file, each with its field path', async () => {
    const file = 'test/site/fixtures/broken-lessons/bad-duration.mdx';
    const { frontmatter } = splitFrontmatter(await readFile(join(projectDir, file), 'utf8'), file);
    const problems = frontmatterProblems({ file, frontmatter });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${file}: duration: .*number`)),
        expect.stringMatching(new RegExp(`^${file}: difficulty: .*beginner`)),
        expect.stringMatching(new RegExp(`^${file}: sources\\.0\\.url: must be a full URL`)),
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it('reports broken YAML with the file named', () => {
    expect(() => splitFrontmatter('---\ntitle: [unclosed\n---\n', 'lessons/x.mdx')).toThrow(/lessons\/x\.mdx: frontmatter is not valid YAML/);
  });

  it('accepts a valid fixture and gives it the id Astro uses', async () => {
    const [lesson] = await checkLessons(projectDir, join(fixtures, 'good-lessons'));
    expect(lesson?.id).toBe('first');
    expect(lesson?.data.lab).toBeNull();
    expect(lesson?.data.standards).toEqual({ owaspIot2018: [], etsi303645: [], cwe: [], attack: [] });
  });
});
