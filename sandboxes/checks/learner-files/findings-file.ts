/**
 * The learner's findings file: plain "key: value" lines (comments with #), the format the
 * attack and detection labs ask for. Keys are matched case-insensitively.
 */

export function parseFindings(text: string | undefined): Map<string, string> {
  const found = new Map<string, string>();
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (value) found.set(key, value);
  }
  return found;
}
