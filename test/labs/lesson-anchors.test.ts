/**
 * Every check's lessonAnchor (the values the checks panel links to, taken from the registry,
 * not from the source text) names a heading the lesson really has, with Astro's own slugs.
 */
import { describe, expect, it } from 'vitest';
import { LABS } from '../../sandboxes/labs/registry.ts';
import { compileLesson, readLessons } from '../lessons/lesson-files.ts';

describe('lesson anchors of the checks', () => {
  it('every lab names its lesson, and every check anchor is a heading of that lesson', async () => {
    const lessons = new Map(readLessons().map((lesson) => [lesson.id, lesson]));
    for (const lab of LABS) {
      const lesson = lessons.get(lab.meta.lesson);
      expect(lesson, `${lab.meta.id}: lesson ${lab.meta.lesson}`).toBeDefined();
      const slugs = (await compileLesson(lesson!)).headings.map((h) => h.slug);
      for (const check of lab.checks) {
        const [, heading] = check.lessonAnchor.split('#');
        expect(slugs, `${lab.meta.id}/${check.id}: ${check.lessonAnchor}`).toContain(heading);
      }
      // the framework's own checks (files-readable, services-start) point at the lab section
      expect(slugs, `${lab.meta.id}: labSection`).toContain(lab.meta.labSection);
    }
  });
});
