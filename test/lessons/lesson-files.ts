/**
 * Reads the course's lessons the way the site does: frontmatter as YAML, the body through
 * Astro's own MDX processor (Sätteri, the default of @astrojs/mdx), so heading ids, links and
 * images are the ones the built page will have, not a regex's guess at them.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { satteri } from '@astrojs/markdown-satteri';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LESSONS_DIR = join(ROOT, 'lessons');

export interface LessonFile {
  id: string;
  file: string;
  source: string;
  /** The YAML frontmatter, parsed but not yet validated. */
  frontmatter: unknown;
  body: string;
}

export interface CompiledLesson {
  code: string;
  headings: { depth: number; slug: string; text: string }[];
  hrefs: string[];
  images: { src: string; alt: string | undefined }[];
  imports: string[];
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;

/** Splits one lesson file into frontmatter (parsed YAML) and body; errors name the file. */
export function parseLessonFile(file: string, source: string): LessonFile {
  const name = file.split('/').at(-1)!;
  const match = FRONTMATTER.exec(source);
  if (!match) throw new Error(`${name}: no YAML frontmatter: the file must start with a line "---", the fields, and another "---"`);
  let frontmatter: unknown;
  try {
    frontmatter = parseYaml(match[1]!);
  } catch (error) {
    throw new Error(`${name}: the frontmatter is not valid YAML: ${(error as Error).message}`);
  }
  return { id: name.replace(/\.mdx$/, ''), file, source, frontmatter, body: source.slice(match[0].length) };
}

export function readLessons(): LessonFile[] {
  return readdirSync(LESSONS_DIR)
    .filter((name) => name.endsWith('.mdx'))
    .sort()
    .map((name) => {
      const file = join(LESSONS_DIR, name);
      return parseLessonFile(file, readFileSync(file, 'utf8'));
    });
}

type MdxRenderer = { process(content: string, filePath: string, frontmatter: Record<string, unknown>): Promise<{ code: string }> };
let renderer: Promise<MdxRenderer> | undefined;

function mdxRenderer(): Promise<MdxRenderer> {
  const processor = satteri() as unknown as {
    createMdxRenderer(shared: object, mdx: object): Promise<MdxRenderer> | MdxRenderer;
  };
  renderer ??= Promise.resolve(
    processor.createMdxRenderer(
      { syntaxHighlight: false, gfm: true, smartypants: true },
      { optimize: false, srcDir: new URL('src/', `file://${ROOT}`), sourcemap: false },
    ),
  );
  return renderer;
}

/** Compiles one lesson body; throws the processor's error (with line and column) on bad MDX. */
export async function compileLesson(lesson: LessonFile): Promise<CompiledLesson> {
  const { code } = await (await mdxRenderer()).process(lesson.body, lesson.file, {});
  const headingsJson = /getHeadings\(\)\s*\{\s*return\s*(\[[\s\S]*?\]);\s*\}/.exec(code)?.[1];
  if (!headingsJson) throw new Error(`${lesson.id}: compiled MDX has no getHeadings() (processor changed?)`);
  const headings = JSON.parse(headingsJson) as CompiledLesson['headings'];
  const hrefs = [...code.matchAll(/\bhref: ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
  const images = [...code.matchAll(/_jsx\(_components\.img, \{([^}]*)\}/g)].map((m) => {
    const props = m[1]!;
    const src = /\bsrc: ("(?:[^"\\]|\\.)*")/.exec(props)?.[1];
    const alt = /\balt: ("(?:[^"\\]|\\.)*")/.exec(props)?.[1];
    return { src: src ? (JSON.parse(src) as string) : '', alt: alt ? (JSON.parse(alt) as string) : undefined };
  });
  const imports = [...code.matchAll(/^import \w+ from "([^"]+)";$/gm)].map((m) => m[1]!);
  return { code, headings, hrefs, images, imports };
}

/** Astro pages that exist as routes, e.g. "/instructors/" for src/pages/instructors.astro. */
export function pageRoutes(): Set<string> {
  const pagesDir = join(ROOT, 'src', 'pages');
  const routes = new Set<string>(['/']);
  if (!existsSync(pagesDir)) return routes;
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      } else if (/\.(astro|md|mdx|ts|js)$/.test(entry.name) && !entry.name.includes('[')) {
        const base = entry.name.replace(/\.(astro|md|mdx|ts|js)$/, '');
        routes.add(base === 'index' ? `/${prefix}` : `/${prefix}${base}/`);
      }
    }
  };
  walk(pagesDir, '');
  return routes;
}
