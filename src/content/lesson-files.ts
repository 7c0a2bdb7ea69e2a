import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { lessonSchema, type LessonFrontmatter } from './lesson-schema';

/**
 * Reads lesson files straight from disk and checks their frontmatter against the schema.
 * The build runs this before Astro so that a broken lesson stops it with one line per
 * problem naming the file and the field ("lessons/03-the-open-door.mdx: duration: expected
 * number, received string"); the tests use it to check every lesson without Astro.
 */
export interface LessonFile {
  /** Path relative to the project root, with forward slashes, as shown in messages. */
  file: string;
  /** The collection id Astro gives the entry: the path under lessons/ without `.mdx`. */
  id: string;
  frontmatter: unknown;
  body: string;
}

export class LessonFrontmatterError extends Error {
  constructor(readonly problems: string[]) {
    super(`lesson frontmatter is invalid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

async function mdxFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.mdx'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Split `---\nyaml\n---\nbody`. Throws with the file named when the fence is missing or the YAML is broken. */
export function splitFrontmatter(text: string, file: string): { frontmatter: unknown; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(text);
  if (!match) throw new LessonFrontmatterError([`${file}: no frontmatter: start the file with a line "---", the YAML fields, then "---"`]);
  try {
    return { frontmatter: parseYaml(match[1] ?? '') ?? {}, body: text.slice(match[0].length) };
  } catch (error) {
    throw new LessonFrontmatterError([`${file}: frontmatter is not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
}

export async function readLessonFiles(projectDir: string, lessonsDir = join(projectDir, 'lessons')): Promise<LessonFile[]> {
  const files = await mdxFiles(lessonsDir);
  return Promise.all(
    files.map(async (path) => {
      const file = relative(projectDir, path).split('\\').join('/');
      const id = relative(lessonsDir, path).split('\\').join('/').replace(/\.mdx$/, '');
      const { frontmatter, body } = splitFrontmatter(await readFile(path, 'utf8'), file);
      return { file, id, frontmatter, body };
    }),
  );
}

/** One message per schema problem: "file: field.path: what is wrong". */
export function frontmatterProblems(lesson: Pick<LessonFile, 'file' | 'frontmatter'>): string[] {
  const result = lessonSchema.safeParse(lesson.frontmatter);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(frontmatter)';
    return `${lesson.file}: ${field}: ${issue.message}`;
  });
}

/** Check every lesson; throws one error listing every problem in every file, so one build run shows them all. */
export async function checkLessons(projectDir: string, lessonsDir = join(projectDir, 'lessons')): Promise<{ id: string; file: string; data: LessonFrontmatter }[]> {
  const problems: string[] = [];
  const lessons: LessonFile[] = [];
  for (const path of await mdxFiles(lessonsDir)) {
    const file = relative(projectDir, path).split('\\').join('/');
    const id = relative(lessonsDir, path).split('\\').join('/').replace(/\.mdx$/, '');
    try {
      const { frontmatter, body } = splitFrontmatter(await readFile(path, 'utf8'), file);
      lessons.push({ file, id, frontmatter, body });
      problems.push(...frontmatterProblems({ file, frontmatter }));
    } catch (error) {
      if (!(error instanceof LessonFrontmatterError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new LessonFrontmatterError(problems);
  return lessons.map((lesson) => ({ id: lesson.id, file: lesson.file, data: lessonSchema.parse(lesson.frontmatter) }));
}
