/**
 * The lesson test's own rules, fed inputs that must fail: a rule that accepts everything would
 * let every lesson pass, so each one is shown catching what it is for.
 */
import { describe, expect, it } from 'vitest';
import { lessonSchema } from '../../src/content/lesson-schema.ts';
import { CITED_FIGURES, FIGURE_PATTERNS } from './cited-figures.ts';
import { compileLesson, parseLessonFile } from './lesson-files.ts';
import { emailAddresses, isReservedDomain, linkProblem, uncitedFigures } from './lesson-rules.ts';

const goodFrontmatter = `---
title: A lesson
summary: A summary long enough.
order: 1
duration: 10
difficulty: beginner
objectives: ["Do a thing"]
lab: null
sources:
  - title: "A source"
    url: https://example.com/source
---
`;

describe('reading a lesson file', () => {
  it('splits frontmatter and body', () => {
    const lesson = parseLessonFile('/x/lessons/01-a.mdx', `${goodFrontmatter}\n## Hello\n`);
    expect(lesson.id).toBe('01-a');
    expect(lessonSchema.safeParse(lesson.frontmatter).success).toBe(true);
    expect(lesson.body.trim()).toBe('## Hello');
  });

  it('names the file when the frontmatter is missing', () => {
    expect(() => parseLessonFile('/x/lessons/02-b.mdx', '# no frontmatter\n')).toThrow(/02-b\.mdx: no YAML frontmatter/);
  });

  it('names the file when the frontmatter is not YAML', () => {
    expect(() => parseLessonFile('/x/lessons/03-c.mdx', '---\ntitle: [unclosed\n---\nbody\n')).toThrow(/03-c\.mdx: the frontmatter is not valid YAML/);
  });

  it('has the schema name the field that is wrong', () => {
    const bad = parseLessonFile('/x/lessons/04-d.mdx', goodFrontmatter.replace('difficulty: beginner', 'difficulty: easy').replace('url: https://example.com/source', 'url: not a url'));
    const result = lessonSchema.safeParse(bad.frontmatter);
    expect(result.success).toBe(false);
    const paths = result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('difficulty');
    expect(paths).toContain('sources.0.url');
  });

  it('rejects a standards id in the wrong shape', () => {
    const bad = parseLessonFile('/x/lessons/05-e.mdx', goodFrontmatter.replace('lab: null', 'lab: null\nstandards:\n  cwe: ["306"]'));
    const result = lessonSchema.safeParse(bad.frontmatter);
    expect(result.success).toBe(false);
  });

  it('reports broken MDX with the processor\'s error', async () => {
    const lesson = parseLessonFile('/x/lessons/06-f.mdx', `${goodFrontmatter}\n<details>\n<summary>Hi</summary>\n`);
    await expect(compileLesson(lesson)).rejects.toThrow();
  });

  it('reads headings, links and image alt text from the compiled MDX', async () => {
    const lesson = parseLessonFile('/x/lessons/07-g.mdx', `${goodFrontmatter}\n## Lab: Do it\n\n### Step 2: Turn on authorization\n\nSee [the next one](/lessons/08-h/#recap) and ![a bear](/bear.png) and ![](/no-alt.png).\n`);
    const compiled = await compileLesson(lesson);
    expect(compiled.headings.map((h) => h.slug)).toEqual(['lab-do-it', 'step-2-turn-on-authorization']);
    expect(compiled.hrefs).toEqual(['/lessons/08-h/#recap']);
    expect(compiled.images).toEqual([
      { src: '/bear.png', alt: 'a bear' },
      { src: '/no-alt.png', alt: '' },
    ]);
  });
});

describe('reserved e-mail domains', () => {
  it('accepts example domains and .test', () => {
    for (const d of ['example.com', 'mail.example.org', 'example.net', 'cloudpets.test', 'x.invalid']) expect(isReservedDomain(d), d).toBe(true);
  });

  it('rejects real domains, including look-alikes', () => {
    for (const d of ['gmail.com', 'spiraltoys.com', 'example.co', 'notexample.com', 'test.com']) expect(isReservedDomain(d), d).toBe(false);
  });

  it('finds addresses but not credentials in a connection string', () => {
    const found = emailAddresses('write to parent@gmail.com or mongodb://app:secret@127.0.0.1:27017 or a@b.test');
    expect(found.map((e) => e.address)).toEqual(['parent@gmail.com', 'a@b.test']);
  });
});

describe('cited figures', () => {
  it('passes figures the registry lists, in any of their forms', () => {
    expect(uncitedFigures('about 821,396 users, US$1,190 reported, 0.2 BTC, 10 GB', CITED_FIGURES, FIGURE_PATTERNS)).toEqual([]);
  });

  it('catches an invented figure', () => {
    expect(uncitedFigures('Troy Hunt cracked 123,456 hashes and the data was 12 GB', CITED_FIGURES, FIGURE_PATTERNS)).toEqual(['123,456', '12 GB']);
  });
});

describe('internal links', () => {
  const targets = {
    ownSlugs: ['recap', 'lab-do-it'],
    lessons: new Map([['02-recon', ['lab-find-the-open-database', 'recap']]]),
    routes: new Set(['/', '/instructors/']),
  };

  it('accepts links to lessons, their headings, pages and own headings', () => {
    for (const href of ['/lessons/02-recon/', '/lessons/02-recon', '/lessons/02-recon/#recap', '/instructors/', '/instructors', '#lab-do-it', 'https://example.com/x']) {
      expect(linkProblem(href, targets), href).toBeUndefined();
    }
  });

  it('names what is wrong with a broken link', () => {
    expect(linkProblem('/lessons/99-nope/', targets)).toMatch(/no lesson/);
    expect(linkProblem('/lessons/02-recon/#step-9', targets)).toMatch(/no heading of 02-recon/);
    expect(linkProblem('#missing', targets)).toMatch(/no heading in this lesson/);
    expect(linkProblem('/nowhere/', targets)).toMatch(/neither a lesson nor a page/);
    expect(linkProblem('02-recon', targets)).toMatch(/relative/);
  });
});
