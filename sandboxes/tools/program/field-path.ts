/**
 * A field of a document named by a dotted path (`profile.email`), as mongoexport's --fields
 * and crack's --field take it: undefined when any step along the path is missing or not an
 * object.
 */
export function valueAtPath(doc: unknown, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
