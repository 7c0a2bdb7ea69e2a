/**
 * The cracking lab's answer file: one "email:password" a line (# comments; the password is
 * everything after the first colon, so it may hold colons itself). E-mails are compared in
 * lower case, as the API's login does.
 */

export function parseCrackedPairs(text: string): { email: string; password: string; line: number }[] {
  const pairs: { email: string; password: string; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) return;
    pairs.push({ email: line.slice(0, colon).trim().toLowerCase(), password: line.slice(colon + 1), line: i + 1 });
  });
  return pairs;
}
