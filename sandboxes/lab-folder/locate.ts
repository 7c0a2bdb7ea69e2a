import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The lab folder holding `dir`: the nearest ancestor with `.lab/lab.json` (a learner may cd into downloads/). */
export function locateLabDir(dir: string): string {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, '.lab', 'lab.json'))) return current;
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  throw new Error(`not inside a lab folder (no .lab/lab.json in ${resolve(dir)} or above); cd into your lab folder first`);
}
