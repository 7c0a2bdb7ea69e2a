/**
 * Reads the learner's editable files the way the services will, so a typo becomes a failing
 * check that quotes the error and its line instead of a crash or a silent default. This
 * decides nothing about the fix itself: the checks that do only ever replay the attack.
 */
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { parse as parseJs } from 'acorn';

export interface FileProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export function describeProblem(problem: FileProblem): string {
  const where = problem.line ? `${problem.file} line ${problem.line}${problem.column ? `, column ${problem.column}` : ''}` : problem.file;
  return `${where}: ${problem.message}`;
}

function lineOfOffset(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export function diagnoseText(file: string, text: string): FileProblem | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.conf' || ext === '.yaml' || ext === '.yml') {
    const doc = parseDocument(text, { prettyErrors: true });
    const error = doc.errors[0];
    if (!error) return undefined;
    const pos = error.linePos?.[0];
    return { file, line: pos?.line, column: pos?.col, message: `not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` };
  }
  if (ext === '.json') {
    // An empty bucket/policy.json means "no bucket policy" to the bucket (like DeleteBucketPolicy).
    if (text.trim() === '') return undefined;
    try {
      JSON.parse(text);
      return undefined;
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message);
      const where = position ? lineOfOffset(text, Number(position[1])) : undefined;
      return { file, line: where?.line, column: where?.column, message: `not valid JSON: ${message.replace(/\s*\(line \d+ column \d+\)/, '')}` };
    }
  }
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') {
    try {
      // The API loads app.js as a CommonJS function body (vm.compileFunction), .mjs as a module.
      parseJs(text, { ecmaVersion: 'latest', sourceType: ext === '.mjs' ? 'module' : 'script', allowHashBang: true, allowReturnOutsideFunction: ext !== '.mjs' });
      return undefined;
    } catch (error) {
      const err = error as Error & { loc?: { line: number; column: number } };
      return { file, line: err.loc?.line, column: err.loc ? err.loc.column + 1 : undefined, message: `JavaScript that does not parse: ${err.message.replace(/\s*\(\d+:\d+\)$/, '')}` };
    }
  }
  return undefined;
}

/** Problems in the given files of a lab folder; a missing file is a problem too (it was deleted). */
export function diagnoseFiles(labDir: string, files: string[]): FileProblem[] {
  const problems: FileProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(join(labDir, file), 'utf8');
    } catch {
      problems.push({ file, message: 'is missing (use "Reset lab" or restore it from starting/ to get it back)' });
      continue;
    }
    const problem = diagnoseText(file, text);
    if (problem) problems.push(problem);
  }
  return problems;
}
