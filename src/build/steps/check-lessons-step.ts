import { resolve } from 'node:path';
import { checkLessons } from '../../content/lesson-files.ts';
import type { BuildStep } from '../build-step.ts';

/** Fail fast, naming file and field, before Astro renders (its own message names only the entry id). */
export const checkLessonsStep: BuildStep = {
  name: 'check lesson frontmatter',
  async run({ projectDir, log }) {
    const override = process.env.CLOUDPETS_LESSONS_DIR;
    const lessons = await checkLessons(projectDir, override ? resolve(projectDir, override) : undefined);
    log(`${lessons.length} lesson(s) valid`);
  },
};
