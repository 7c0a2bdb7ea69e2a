import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './content/lesson-schema';

/**
 * The lessons collection. `CLOUDPETS_LESSONS_DIR` exists so that a throwaway set of lessons
 * can be built for experiments and fixtures without touching `lessons/`; normal builds never
 * set it.
 */
export const collections = {
  lessons: defineCollection({
    loader: glob({ pattern: '**/*.mdx', base: process.env.CLOUDPETS_LESSONS_DIR ?? './lessons' }),
    schema: lessonSchema,
  }),
};
