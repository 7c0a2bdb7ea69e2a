/**
 * The lab shell reaches the lab folder's files and nothing else: every path a command, a
 * redirection or a tool argument names is resolved against the shell's directory and refused
 * with a clear message when it lands outside the lab folder. (This also keeps the local
 * runner, where the lab folder sits on the learner's own disk, from touching anything else.)
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

export class OutsideLabError extends Error {
  override name = 'OutsideLabError';
  readonly code = 'EOUTSIDELAB';
}

export class LabPaths {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  contains(real: string): boolean {
    const rel = relative(this.root, real);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
  }

  /** The real path of `path` (relative to `cwd`), or OutsideLabError. */
  resolve(cwd: string, path: string): string {
    const expanded = path === '~' ? this.root : path.startsWith('~/') ? resolve(this.root, path.slice(2)) : path;
    const real = resolve(cwd, expanded);
    if (!this.contains(real)) throw new OutsideLabError(`${path}: outside the lab folder (the lab shell only reaches files under ${this.display(this.root)})`);
    return real;
  }

  /** How the shell shows a path: `~` is the lab folder. */
  display(real: string): string {
    const rel = relative(this.root, real);
    if (rel === '') return '~';
    return this.contains(real) ? `~/${rel.split(sep).join('/')}` : real;
  }
}
