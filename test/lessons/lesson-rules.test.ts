/**
 * The lesson test's own rules, fed inputs that must fail: a rule that accepts everything would
 * let every lesson pass, so each one is shown catching what it is for.
 */
import { describe, expect, it } from 'vitest';
import { lessonSchema } from '../../src/content/lesson-schema.ts';
import { CITED_FIGURES, FIGURE_PATTERNS } from './cited-figures.ts';
import { compileLesson, parseLessonFile } from './lesson-files.ts';
import {
  bareStandardIds, checkClaims, checksProveSection, collectingWords, emailAddresses, isReservedDomain, linkProblem,
  plainBullets, shellPlaceholders, sourceTitleNameProblem, stdIds, uncitedFigures,
} from './lesson-rules.ts';
import { lookupStandard } from '../../src/content/standards-catalog.ts';

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

describe('standard ids in prose', () => {
  it('finds ids written straight into the text, of every family', () => {
    const body = 'Scanning is T1595.001 and T1046; the weakness is CWE-306; OWASP I3; ETSI EN 303 645 5.6 and provision 5.1-5.';
    expect(bareStandardIds(body)).toEqual(['T1595.001', 'T1046', 'CWE-306', 'I3', 'ETSI EN 303 645 5.6', 'provision 5.1-5']);
  });

  it('leaves alone ids given through <Std>, in code and in link targets', () => {
    const body = 'See <Std id="T1530" /> and [the page](https://attack.mitre.org/techniques/T1530/).\n\n```sh\necho T1046 CWE-306\n```\n';
    expect(bareStandardIds(body)).toEqual([]);
    expect(stdIds(body)).toEqual(['T1530']);
  });
});

describe('source titles that name a standard', () => {
  it('accepts the official name', () => {
    expect(sourceTitleNameProblem('MITRE ATT&CK T1595.001: Active Scanning: Scanning IP Blocks', lookupStandard)).toBeUndefined();
    expect(sourceTitleNameProblem('CWE-306: Missing Authentication for Critical Function', lookupStandard)).toBeUndefined();
    expect(sourceTitleNameProblem('Troy Hunt: Data from connected CloudPets teddy bears', lookupStandard)).toBeUndefined();
  });

  it('catches a wrong name and an id the catalogue does not hold', () => {
    expect(sourceTitleNameProblem('MITRE ATT&CK T1046: Scanning the Internet', lookupStandard)).toMatch(/official name is "Network Service Discovery"/);
    expect(sourceTitleNameProblem('CWE-1188: Insecure Default Initialization of Resource', lookupStandard)).toMatch(/official name is "Initialization of a Resource with an Insecure Default"/);
    expect(sourceTitleNameProblem('CWE-9999: Made Up', lookupStandard)).toMatch(/not in the standards catalogue/);
  });
});

describe('check claims', () => {
  it('reads lab and check from each claim, in order', () => {
    const body = '<ul>\n<CheckClaim lab="recon" check="findings-host">**Host.** text</CheckClaim>\n<CheckClaim check="x" lab="y">b</CheckClaim>\n</ul>';
    expect(checkClaims(body)).toEqual([{ lab: 'recon', check: 'findings-host' }, { lab: 'y', check: 'x' }]);
  });

  it('finds the "What the checks prove" section and the bullets in it that name no check', () => {
    const body = '### Step 1: Do\n\n- a step bullet\n\n### What the checks prove\n\n- **A claim with no check.**\n<ul>\n<CheckClaim lab="a" check="b">ok</CheckClaim>\n</ul>\n\n## Why it matters today\n\n- not in the section\n';
    const section = checksProveSection(body)!;
    expect(plainBullets(section)).toEqual(['**A claim with no check.**']);
    expect(checksProveSection('## Recap\n')).toBeUndefined();
  });
});

describe('words and placeholders', () => {
  it('catches the words the course no longer uses for what a learner collects', () => {
    expect(collectingWords('Check your loot, the haul from lesson 6, and what you looted. Downloads are fine; a hauler is not a match.')).toEqual(['loot', 'haul', 'looted']);
  });

  it('catches placeholders in shell commands', () => {
    expect(shellPlaceholders("curl -o downloads/a.wav http://bucket.cloudpets.test/recordings/<user id>/<recording id>.wav")).toEqual(['<user id>', '<recording id>']);
    expect(shellPlaceholders('curl -o downloads/a.wav $URL')).toEqual([]);
  });
});
