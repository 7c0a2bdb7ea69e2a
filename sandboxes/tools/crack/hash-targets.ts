/**
 * Reads what to crack: a file of bcrypt hashes (one per line, optionally `user:hash` with
 * --username), or mongoexport's JSON lines with --field naming the hash field (dotted paths
 * work) and --user-field the label to show next to a cracked password (default "email").
 * A malformed line is reported with its number and skipped; a file with no hash at all is an error.
 */
import { readFileSync } from 'node:fs';
import { valueAtPath } from '../program/field-path.ts';

export const BCRYPT_PATTERN = /^\$2[abxy]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

export interface HashTarget {
  hash: string;
  /** e-mail or user name when the input carried one */
  label?: string;
  line: number;
  cost: number;
}

export interface TargetFile {
  targets: HashTarget[];
  warnings: string[];
}

export class HashInputError extends Error {
  override name = 'HashInputError';
}

export interface TargetOptions {
  field?: string;
  userField: string;
  username: boolean;
}

export function readHashTargets(path: string, displayName: string, options: TargetOptions): TargetFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new HashInputError(code === 'ENOENT' ? `hashes file not found: ${displayName}` : `cannot read hashes file ${displayName}: ${(error as Error).message}`);
  }
  return parseHashTargets(text, displayName, options);
}

export function parseHashTargets(text: string, displayName: string, options: TargetOptions): TargetFile {
  const targets: HashTarget[] = [];
  const warnings: string[] = [];
  const lines = text.split(/\r?\n/);
  const firstContent = lines.find((line) => line.trim() !== '')?.trim() ?? '';
  if (!options.field && firstContent.startsWith('{')) {
    throw new HashInputError(
      `${displayName} holds JSON documents (mongoexport output?): name the field with the hash, e.g. --field password`,
    );
  }
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const lineNumber = index + 1;
    if (line === '' || line.startsWith('#')) return;
    let hash: unknown;
    let label: string | undefined;
    if (options.field) {
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch {
        warnings.push(`line ${lineNumber}: not a JSON document, skipped`);
        return;
      }
      hash = valueAtPath(doc, options.field);
      const user = valueAtPath(doc, options.userField);
      if (typeof user === 'string') label = user;
      if (hash === undefined) {
        warnings.push(`line ${lineNumber}: no field '${options.field}', skipped`);
        return;
      }
    } else if (options.username) {
      const colon = line.indexOf(':');
      if (colon < 0) {
        warnings.push(`line ${lineNumber}: expected user:hash (--username), skipped`);
        return;
      }
      label = line.slice(0, colon);
      hash = line.slice(colon + 1);
    } else {
      hash = line;
    }
    const match = typeof hash === 'string' ? BCRYPT_PATTERN.exec(hash) : null;
    if (!match) {
      const shown = typeof hash === 'string' ? (hash.length > 24 ? `${hash.slice(0, 24)}...` : hash) : JSON.stringify(hash);
      warnings.push(`line ${lineNumber}: '${shown}' is not a bcrypt hash ($2a$/$2b$/$2y$, cost, 53 characters of salt+hash), skipped`);
      return;
    }
    targets.push({ hash: hash as string, label, line: lineNumber, cost: Number(match[1]) });
  });
  if (targets.length === 0) {
    const why = warnings.length ? `: ${warnings.slice(0, 3).join('; ')}` : ' (the file is empty)';
    throw new HashInputError(`no bcrypt hashes found in ${displayName}${why}`);
  }
  return { targets, warnings };
}

export function readWordlist(path: string, displayName: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new HashInputError(code === 'ENOENT' ? `wordlist not found: ${displayName}` : `cannot read wordlist ${displayName}: ${(error as Error).message}`);
  }
  // A trailing \r (Windows line ends) is never part of a password in a wordlist.
  const words = text.split('\n').map((word) => word.replace(/\r$/, '')).filter((word) => word !== '');
  if (words.length === 0) throw new HashInputError(`wordlist ${displayName} is empty`);
  return words;
}
