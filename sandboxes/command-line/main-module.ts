/**
 * Whether a module is the program Node was asked to run, for files that are both a program and
 * a module others import (`npm start`'s start.ts, the bench files). import.meta.main would say
 * this, but tsx (which runs these files) does not set it; tsx does keep the script in argv[1].
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && resolve(entry) === fileURLToPath(moduleUrl);
}
