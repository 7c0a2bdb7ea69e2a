/**
 * No module imports from a layer above it: the command-line helper, then the database, the
 * world, the tools and the lab session, the checks, the labs, the lab shell, grading, and the
 * site. A lower layer that reached up would drag the whole course into the lab bundle, or make
 * the database depend on the lessons. There are no exceptions: a lower layer that needs a lab
 * is handed its definition (runChecks(lab, dir), createLabFolder(lab.meta, dir)); what names a
 * lab by its id (`npm run checks -- <lab>`, the lab host) lives above the lab registry. Imports are read with TypeScript's own pre-processor (static imports,
 * re-exports and dynamic import() of a literal), not with regular expressions.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** Lowest first. A folder not listed belongs to the site (the top). */
const LAYERS: { name: string; folders: string[] }[] = [
  { name: 'command-line', folders: ['sandboxes/command-line'] },
  { name: 'database', folders: ['sandboxes/database'] },
  { name: 'world', folders: ['sandboxes/world'] },
  { name: 'tools and lab session', folders: ['sandboxes/tools', 'sandboxes/lab-folder', 'sandboxes/lab-session'] },
  { name: 'checks', folders: ['sandboxes/checks'] },
  { name: 'labs', folders: ['sandboxes/labs'] },
  { name: 'lab shell', folders: ['sandboxes/lab-shell'] },
  { name: 'grading', folders: ['sandboxes/grading'] },
  { name: 'site', folders: ['src', 'bench'] },
];

function layerOf(file: string): number | undefined {
  const path = relative(root, file).split(sep).join('/');
  const index = LAYERS.findIndex((layer) => layer.folders.some((folder) => path === folder || path.startsWith(`${folder}/`)));
  return index < 0 ? undefined : index;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'starting' || name === 'solution' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((entry) => entry.fileName).filter((name) => name.startsWith('.'));
}

describe('layers', () => {
  const files = LAYERS.flatMap((layer) => layer.folders).flatMap((folder) => sourceFiles(join(root, folder)));

  it('reads the imports of every module', () => {
    expect(files.length).toBeGreaterThan(100);
    // The pre-processor sees dynamic imports too (the tools are loaded lazily).
    expect(importsOf(join(root, 'sandboxes/tools/index.ts'))).toContain('./scan/scan.ts');
  });

  it('no module imports from a layer above its own', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file)!;
      for (const specifier of importsOf(file)) {
        const target = resolve(dirname(file), specifier);
        const to = layerOf(target);
        if (to === undefined || to <= from) continue;
        violations.push(`${relative(root, file)} (${LAYERS[from]!.name}) imports ${relative(root, target)} (${LAYERS[to]!.name})`);
      }
    }
    expect(violations).toEqual([]);
  });
});
