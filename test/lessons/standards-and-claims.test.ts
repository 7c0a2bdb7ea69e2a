/**
 * What a lesson says about standards and checks must be true of the catalogue and of the labs:
 * - every standard id a lesson shows is in src/content/standards-catalog.ts, prose shows ids
 *   only through <Std> (which prints the official name), and source titles use official names;
 * - every claim in a "What the checks prove" section is a <CheckClaim> naming a check that the
 *   lab registry really loads, and every check of the lab is claimed, so text and checks
 *   cannot drift apart;
 * - the safe frame of issue 11: the legal notice before the first lab, the content note before
 *   the recordings, an "in real life" box in each fix lab, an applied recap question, neutral
 *   words, and shell blocks without placeholders.
 */
import { describe, expect, it } from 'vitest';
import { lessonSchema, type LessonFrontmatter } from '../../src/content/lesson-schema.ts';
import { STANDARDS_CATALOG, familyOf, lookupStandard, type StandardFamilyKey } from '../../src/content/standards-catalog.ts';
import { LABS } from '../../sandboxes/labs/registry.ts';
import { readLessons } from './lesson-files.ts';
import {
  bareStandardIds, checkClaims, checksProveSection, collectingWords, plainBullets, shellPlaceholders,
  sourceTitleNameProblem, stdIds,
} from './lesson-rules.ts';

const lessons = readLessons().map((lesson) => ({ ...lesson, data: lessonSchema.parse(lesson.frontmatter) as LessonFrontmatter }));
const labsById = new Map(LABS.map((lab) => [lab.meta.id, lab]));

function prose(body: string): string {
  return body.replace(/^```[\s\S]*?^```/gm, '');
}

describe('the standards catalogue', () => {
  it('holds each id once, in the family its shape says, with a name and an https link', () => {
    const seen = new Set<string>();
    for (const entry of STANDARDS_CATALOG) {
      expect(seen.has(entry.id), `${entry.id} twice`).toBe(false);
      seen.add(entry.id);
      expect(familyOf(entry.id), entry.id).toBe(entry.family);
      expect(entry.name.trim().length, entry.id).toBeGreaterThan(3);
      expect(entry.url, entry.id).toMatch(/^https:\/\/[^/]+\//);
    }
  });

  it('links ATT&CK sub-techniques and CWE entries to their own pages', () => {
    expect(lookupStandard('T1595.001')?.url).toBe('https://attack.mitre.org/techniques/T1595/001/');
    expect(lookupStandard('CWE-425')?.url).toBe('https://cwe.mitre.org/data/definitions/425.html');
    expect(lookupStandard('T9999')).toBeUndefined();
    expect(lookupStandard('not an id')).toBeUndefined();
  });

  it('names a sub-technique after its parent technique', () => {
    for (const entry of STANDARDS_CATALOG.filter((e) => e.family === 'attack' && e.id.includes('.'))) {
      const parent = lookupStandard(entry.id.split('.')[0]!);
      if (parent) expect(entry.name.startsWith(`${parent.name}: `), entry.id).toBe(true);
    }
  });
});

describe.each(lessons.map((l) => [l.id, l] as const))('lesson %s', (_id, lesson) => {
  it('maps only to standard ids the catalogue holds', () => {
    const unknown = (Object.keys(lesson.data.standards) as StandardFamilyKey[]).flatMap((family) =>
      lesson.data.standards[family].filter((id) => lookupStandard(id)?.family !== family).map((id) => `${family}: ${id}`),
    );
    expect(unknown, `${lesson.id}: add them to src/content/standards-catalog.ts with their official names, or fix the id`).toEqual([]);
  });

  it('shows ids in prose only through <Std>, and only ids the catalogue holds', () => {
    expect(bareStandardIds(lesson.body), `${lesson.id}: write <Std id="..." /> so the official name is printed`).toEqual([]);
    expect(stdIds(lesson.body).filter((id) => !lookupStandard(id)), `${lesson.id}: <Std> ids not in the catalogue`).toEqual([]);
  });

  it('uses the official name where a source title names a standard', () => {
    const problems = lesson.data.sources.map((s) => sourceTitleNameProblem(s.title, lookupStandard)).filter((p) => p !== undefined);
    expect(problems, lesson.id).toEqual([]);
  });

  it('uses neutral words for what the learner collects', () => {
    expect(collectingWords(prose(lesson.body)), lesson.id).toEqual([]);
  });

  it('keeps example placeholders out of shell blocks (the lab shell would read <x> as a redirection)', () => {
    const found = [...lesson.body.matchAll(/^```sh\n([\s\S]*?)^```/gm)].flatMap((m) => shellPlaceholders(m[1]!));
    expect(found, lesson.id).toEqual([]);
  });

  it('has at least one recap question that applies the idea to a new case ("Apply it:")', () => {
    const recap = lesson.body.slice(lesson.body.indexOf('## Recap'));
    expect(/<summary>\d+\. Apply it: /.test(recap), `${lesson.id}: a recap <summary> starting "N. Apply it: "`).toBe(true);
  });

  const lab = lesson.data.lab ? labsById.get(lesson.data.lab) : undefined;
  if (!lesson.data.lab) return;

  it('claims in "What the checks prove" only what a check of its lab does, and names every check', () => {
    expect(lab, `${lesson.id}: lab "${lesson.data.lab}" is not in sandboxes/labs/registry.ts`).toBeDefined();
    const section = checksProveSection(lesson.body);
    expect(section, `${lesson.id}: a "### What the checks prove" section`).toBeDefined();
    expect(plainBullets(section!), `${lesson.id}: every claim must be a <CheckClaim lab check> naming the check that proves it`).toEqual([]);
    const claims = checkClaims(section!);
    expect(claims.length, lesson.id).toBeGreaterThan(0);
    const checkIds = new Set(lab!.checks.map((check) => check.id));
    const wrong = claims.filter((claim) => claim.lab !== lab!.meta.id || !checkIds.has(claim.check)).map((c) => `${c.lab}/${c.check}`);
    expect(wrong, `${lesson.id}: claims naming no check of lab ${lab!.meta.id}`).toEqual([]);
    const claimed = new Set(claims.map((c) => c.check));
    const unclaimed = [...checkIds].filter((id) => !claimed.has(id));
    expect(unclaimed, `${lesson.id}: checks of lab ${lab!.meta.id} the lesson does not explain`).toEqual([]);
  });

  it('has no <CheckClaim> outside its "What the checks prove" section', () => {
    expect(checkClaims(lesson.body).length, lesson.id).toBe(checkClaims(checksProveSection(lesson.body) ?? '').length);
  });

  if (lab?.meta.kind === 'fix') {
    it('shows, in an "in real life" box, what the fix looks like outside the lab', () => {
      expect(/<InRealLife>[\s\S]+?<\/InRealLife>/.test(lesson.body), `${lesson.id}: an <InRealLife> box`).toBe(true);
    });
  }
});

describe('the safe frame', () => {
  const sorted = [...lessons].sort((a, b) => a.data.order - b.data.order);

  it('puts the legal notice before the first lab', () => {
    const first = sorted.find((l) => l.data.lab !== null)!;
    const notice = first.body.indexOf('<LegalNotice>');
    expect(notice, `${first.id}: a <LegalNotice> before "## Lab:"`).toBeGreaterThan(-1);
    expect(notice).toBeLessThan(first.body.indexOf('## Lab:'));
    for (const word of ['Computer Fraud and Abuse Act', 'Computer Misuse Act 1990', '2013/40/EU', 'CERT', 'data protection authority', 'Do not download']) {
      expect(first.body.includes(word), `${first.id}: the legal notice mentions ${word}`).toBe(true);
    }
  });

  it('puts a content note before the recordings are fetched, saying the voices are synthetic and listening is optional', () => {
    const recordings = lessons.find((l) => l.data.lab === 'recordings')!;
    const note = /<ContentNote>([\s\S]+?)<\/ContentNote>/.exec(recordings.body);
    expect(note, `${recordings.id}: a <ContentNote>`).not.toBeNull();
    expect(note!.index).toBeLessThan(recordings.body.indexOf('### Step 2'));
    expect(note![1]).toMatch(/synthes/i);
    expect(note![1]).toMatch(/optional/i);
  });
});

describe.each(LABS.map((lab) => [lab.meta.id, lab] as const))('challenge mode of lab %s', (_id, lab) => {
  it('has a goal-only brief and three hints: a nudge, the command, the full solution', () => {
    const challenge = lab.meta.challenge;
    expect(challenge, `${lab.meta.id}: meta.challenge in sandboxes/labs/${lab.meta.id}/lab.ts`).toBeDefined();
    const { brief, hints } = challenge!;
    expect(brief.length, `${lab.meta.id}: a brief`).toBeGreaterThan(40);
    // Goal only: the brief names no command to type; that is what the hints are for.
    expect(brief, `${lab.meta.id}: the brief shows a command`).not.toMatch(/`/);
    expect(hints).toHaveLength(3);
    const [nudge, command, solution] = hints;
    expect(nudge, `${lab.meta.id}: the nudge gives no command away`).not.toMatch(/`[a-z-]+ [^`]*`/);
    expect(/`[^`]+`/.test(command), `${lab.meta.id}: the second hint names a command`).toBe(true);
    expect(solution, `${lab.meta.id}: the solution ends by running the checks`).toMatch(/checks/);
    expect(collectingWords(`${brief} ${hints.join(' ')}`), lab.meta.id).toEqual([]);
  });
});
