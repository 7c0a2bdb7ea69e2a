import { z } from 'astro/zod';

/**
 * One lesson per step of the breach. The schema lives in a plain module (not in
 * content.config.ts) so that tests and the build's lesson check can import it without the
 * `astro:content` virtual module. It is strict so that a typo in frontmatter fails the build
 * with the file and field named, rather than silently dropping a field.
 */
const standards = z
  .object({
    owaspIot2018: z.array(z.string().regex(/^I(10|[1-9])$/, 'OWASP IoT Top 10 ids look like "I1".."I10"')).default([]),
    etsi303645: z.array(z.string().regex(/^\d+\.\d+(-\d+)?$/, 'ETSI EN 303 645 provisions look like "5.1"')).default([]),
    cwe: z.array(z.string().regex(/^CWE-\d+$/, 'CWE ids look like "CWE-306"')).default([]),
    attack: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'MITRE ATT&CK ids look like "T1046" or "T1596.005"')).default([]),
  })
  .strict();

export const lessonSchema = z
  .object({
    title: z.string().min(3),
    summary: z.string().min(10),
    order: z.number().int().positive(),
    duration: z.number().int().positive().describe('minutes'),
    difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
    objectives: z.array(z.string().min(3)).min(1),
    lab: z.string().regex(/^[a-z0-9-]+$/).nullable().default(null),
    standards: standards.default({ owaspIot2018: [], etsi303645: [], cwe: [], attack: [] }),
    sources: z
      .array(z.object({ title: z.string().min(3), url: z.url({ error: 'must be a full URL such as https://example.com/page' }) }).strict())
      .min(1),
  })
  .strict();

export type LessonFrontmatter = z.infer<typeof lessonSchema>;
export type Difficulty = LessonFrontmatter['difficulty'];
export type LessonStandards = LessonFrontmatter['standards'];
