import { existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { lessonSchema, type LessonFrontmatter } from '../../src/content/lesson-schema.ts';
import { LABS, findLab } from '../../sandboxes/labs/registry.ts';
import { LAB_TOOLS } from '../../sandboxes/tools/index.ts';
import { EVERYDAY_COMMANDS } from '../../sandboxes/lab-shell/commands/index.ts';
import { ROOT, compileLesson, pageRoutes, readLessons, type CompiledLesson, type LessonFile } from './lesson-files.ts';
import { CITED_FIGURES, FIGURE_PATTERNS } from './cited-figures.ts';
import { emailAddresses, isReservedDomain, linkProblem, uncitedFigures } from './lesson-rules.ts';

/**
 * What the lab shell offers, from the lab shell's own tables: the lab's tools, its everyday
 * commands, and the lab commands of sandboxes/lab-shell/commands/lab-commands.ts (built per
 * lab host, so named here).
 */
const SHELL_COMMANDS = new Set([...LAB_TOOLS.map((tool) => tool.name), ...EVERYDAY_COMMANDS.map((command) => command.name), 'world', 'checks', 'help']);
const lessons = readLessons();
const compiled = new Map<string, CompiledLesson>();
const data = new Map<string, LessonFrontmatter>();

beforeAll(async () => {
  for (const lesson of lessons) {
    const parsed = lessonSchema.safeParse(lesson.frontmatter);
    if (parsed.success) data.set(lesson.id, parsed.data);
    compiled.set(lesson.id, await compileLesson(lesson));
  }
});

function fm(lesson: LessonFile): LessonFrontmatter {
  const value = data.get(lesson.id);
  if (!value) throw new Error(`${lesson.id}: frontmatter did not validate (see the schema test)`);
  return value;
}

/** Text outside fenced code blocks: commands in code may legitimately contain anything. */
function prose(body: string): string {
  return body.replace(/^```[\s\S]*?^```/gm, '');
}

describe('the course', () => {
  it('has lessons numbered 1..N without gaps, file prefix matching order', () => {
    expect(lessons.length).toBeGreaterThan(0);
    const orders = lessons.map((l) => fm(l).order).sort((a, b) => a - b);
    expect(orders).toEqual(Array.from({ length: lessons.length }, (_, i) => i + 1));
    for (const lesson of lessons) {
      expect(lesson.id.slice(0, 3), `${lesson.id}: file name should start with its order`).toBe(
        `${String(fm(lesson).order).padStart(2, '0')}-`,
      );
    }
  });

  it('fits in an afternoon: 3 to 5 hours in all', () => {
    const minutes = lessons.reduce((sum, l) => sum + fm(l).duration, 0);
    expect(minutes).toBeGreaterThanOrEqual(180);
    expect(minutes).toBeLessThanOrEqual(300);
  });

  it('uses every registered lab exactly once, in the order of sandboxes/labs/registry.ts', () => {
    const labs = [...lessons].sort((a, b) => fm(a).order - fm(b).order).map((l) => fm(l).lab).filter((x) => x !== null);
    expect(labs).toEqual(LABS.map((lab) => lab.meta.id));
  });

  it('has each lab name the lesson that uses it (meta.lesson)', () => {
    const byLab = new Map(lessons.map((l) => [fm(l).lab, l.id]));
    for (const lab of LABS) expect(lab.meta.lesson, `sandboxes/labs/${lab.meta.id}: meta.lesson`).toBe(byLab.get(lab.meta.id));
  });
});

describe.each(lessons.map((l) => [l.id, l] as const))('lesson %s', (_id, lesson) => {
  it('has frontmatter that matches the lesson schema', () => {
    const result = lessonSchema.safeParse(lesson.frontmatter);
    const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems, `${lesson.file}`).toEqual([]);
  });

  it('compiles as MDX with the site\'s processor', () => {
    expect(compiled.get(lesson.id)?.code.length).toBeGreaterThan(0);
  });

  it('references a lab of the registry', () => {
    const { lab } = fm(lesson);
    if (lab === null) return;
    expect(findLab(lab), `no lab "${lab}" in sandboxes/labs/registry.ts`).toBeDefined();
  });

  it('tells the learner to type only commands the lab shell has', () => {
    const unknown: string[] = [];
    for (const block of lesson.body.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
      for (const raw of block[1]!.split('\n')) {
        const line = raw.trim();
        if (!line || line.startsWith('#') || /^[A-Z_]+=/.test(line)) continue; // comments, .env lines
        for (const part of line.split(/\s*(?:\|\||&&|\||;)\s*/)) {
          const command = part.trim().split(/\s+/)[0];
          if (command && !SHELL_COMMANDS.has(command)) unknown.push(command);
        }
      }
    }
    expect(unknown, `${lesson.id}: commands that are neither lab tools nor basic shell commands`).toEqual([]);
  });

  it('names every file the lab lets the learner edit', () => {
    const { lab } = fm(lesson);
    if (lab === null) return;
    const editable = findLab(lab)?.meta.editable ?? [];
    const missing = editable.filter((file) => !lesson.body.includes(`\`${file}\``));
    expect(missing, `${lesson.id}: editable files of lab ${lab} the lesson never mentions`).toEqual([]);
  });

  it('lists sources with http(s) URLs, no duplicates', () => {
    const urls = fm(lesson).sources.map((s) => s.url);
    for (const url of urls) expect(url).toMatch(/^https?:\/\/[^/\s]+\.[^/\s]+/);
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('maps to at least one standard of each kind it teaches', () => {
    const s = fm(lesson).standards;
    expect(s.owaspIot2018.length + s.etsi303645.length + s.cwe.length + s.attack.length).toBeGreaterThan(0);
    expect(s.cwe.length).toBeGreaterThan(0);
  });

  it('has every internal link resolve to a lesson, a heading or a page', () => {
    const c = compiled.get(lesson.id)!;
    const targets = {
      ownSlugs: c.headings.map((h) => h.slug),
      lessons: new Map([...compiled].map(([id, other]) => [id, other.headings.map((h) => h.slug)])),
      routes: pageRoutes(),
    };
    const problems = c.hrefs.map((href) => linkProblem(href, targets)).filter((p) => p !== undefined);
    expect(problems, lesson.id).toEqual([]);
  });

  it('gives every image alt text, and uses every diagram it imports (diagrams.test.ts renders each one and checks its accessible name and text alternative in Chromium)', () => {
    const c = compiled.get(lesson.id)!;
    for (const image of c.images) expect(image.alt?.trim(), `${lesson.id}: image ${image.src} has no alt text`).toBeTruthy();
    for (const tag of lesson.body.matchAll(/<img\b[^>]*>/g)) {
      expect(tag[0], `${lesson.id}: <img> without alt`).toMatch(/\balt=("[^"]+"|'[^']+'|\{[^}]+\})/);
    }
    const diagrams = c.imports.filter((p) => p.includes('components/diagrams/'));
    expect(diagrams.length, `${lesson.id}: at least one diagram`).toBeGreaterThan(0);
    for (const specifier of diagrams) {
      const file = resolve(dirname(lesson.file), specifier);
      expect(existsSync(file), `${lesson.id}: ${specifier} does not exist`).toBe(true);
      const name = /([^/]+)\.astro$/.exec(specifier)![1]!;
      expect(lesson.body, `${lesson.id}: imports ${name} but never uses it`).toMatch(new RegExp(`<${name}\\b`));
    }
  });

  it('has the sections every lesson needs: why it matters today, a recap with three answers', () => {
    const c = compiled.get(lesson.id)!;
    const h2 = c.headings.filter((h) => h.depth === 2).map((h) => h.slug);
    expect(h2).toContain('why-it-matters-today');
    expect(h2).toContain('recap');
    const recap = lesson.body.slice(lesson.body.indexOf('## Recap'));
    expect(recap.match(/<details>\s*<summary>/g)?.length, `${lesson.id}: recap questions`).toBe(3);
  });

  it('has, for a lab lesson, a lab section with numbered steps, progressive hints and what the checks prove', () => {
    if (fm(lesson).lab === null) return;
    const c = compiled.get(lesson.id)!;
    const slugs = c.headings.map((h) => h.slug);
    expect(slugs.some((s) => s.startsWith('lab-')), `${lesson.id}: a "## Lab: ..." heading`).toBe(true);
    expect(slugs.filter((s) => /^step-\d+-/.test(s)).length).toBeGreaterThanOrEqual(3);
    expect(slugs).toContain('what-the-checks-prove');
    expect(lesson.body).toMatch(/<summary>Hint 1<\/summary>/);
    expect(lesson.body).toMatch(/<summary>Hint 2<\/summary>/);
    expect(lesson.body, `${lesson.id}: commands to type`).toMatch(/```(sh|js|yaml|json|text)\n/);
  });

  it('uses only e-mail addresses on reserved domains', () => {
    const outside = emailAddresses(lesson.source).filter((e) => !isReservedDomain(e.domain)).map((e) => e.address);
    expect(outside, `${lesson.id}: e-mail addresses outside reserved domains`).toEqual([]);
  });

  it('states only figures that have a cited source (see cited-figures.ts)', () => {
    // Source titles are the publishers' own words (e.g. Auth0's "over 820,000 customers"), not our claims.
    const { sources: _sources, ...claims } = fm(lesson);
    const text = prose(lesson.body) + JSON.stringify(claims);
    expect(uncitedFigures(text, CITED_FIGURES, FIGURE_PATTERNS), `${lesson.id}: add a source and a line in test/lessons/cited-figures.ts`).toEqual([]);
  });
});

it('finds the repository root', () => {
  expect(existsSync(join(ROOT, 'package.json'))).toBe(true);
});
