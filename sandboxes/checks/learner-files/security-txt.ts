/**
 * The security.txt the learner publishes from the API (RFC 9116), parsed and judged: a
 * Contact that is a URI, exactly one Expires in RFC 3339 form, less than a year ahead.
 */

/** RFC 9116 fields, parsed; problems in plain words. */
export function validateSecurityTxt(text: string, now = new Date()): { ok: true; contact: string[]; expires: Date } | { ok: false; problem: string } {
  const fields = new Map<string, string[]>();
  text.split(/\r?\n/).forEach((raw) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('-----') || line.startsWith('Hash:')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) return;
    const name = line.slice(0, colon).trim().toLowerCase();
    fields.set(name, [...(fields.get(name) ?? []), line.slice(colon + 1).trim()]);
  });
  const contact = fields.get('contact') ?? [];
  if (contact.length === 0) return { ok: false, problem: 'it has no Contact: field (RFC 9116 requires at least one)' };
  const badContact = contact.find((c) => !/^(mailto:|https:\/\/|tel:)/i.test(c));
  if (badContact) return { ok: false, problem: `Contact "${badContact}" must be a URI: mailto:, https:// or tel:` };
  const expires = fields.get('expires') ?? [];
  if (expires.length !== 1) return { ok: false, problem: expires.length === 0 ? 'it has no Expires: field (RFC 9116 requires exactly one)' : 'it has more than one Expires: field' };
  const when = new Date(expires[0]!);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(expires[0]!) || Number.isNaN(when.getTime())) {
    return { ok: false, problem: `Expires "${expires[0]}" is not an RFC 3339 date-time such as 2027-01-31T23:00:00Z` };
  }
  if (when.getTime() <= now.getTime()) return { ok: false, problem: `Expires ${expires[0]} is in the past: the file is stale` };
  if (when.getTime() - now.getTime() > 365 * 24 * 3600 * 1000) return { ok: false, problem: `Expires ${expires[0]} is more than a year ahead (RFC 9116 recommends less)` };
  return { ok: true, contact, expires: when };
}
