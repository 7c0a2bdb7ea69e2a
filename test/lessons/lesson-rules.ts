/**
 * The rules the lesson test applies, as plain functions so that each one is itself tested
 * against inputs that must fail (lesson-rules.test.ts): a check that cannot fail proves nothing.
 */

/** Domains reserved for examples and tests (RFC 2606 / RFC 6761): the only ones lessons may use. */
export function isReservedDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return /(^|\.)example\.(com|net|org)$/.test(d) || /(^|\.)(test|example|invalid|localhost)$/.test(d);
}

/** E-mail addresses in a text. A numeric "domain" (user:pass@127.0.0.1 in a URI) is not one. */
export function emailAddresses(text: string): { address: string; domain: string }[] {
  return [...text.matchAll(/[\w.+-]+@((?:[\w-]+\.)+[a-z]{2,})\b/gi)].map((m) => ({ address: m[0], domain: m[1]! }));
}

/** Figures (grouped numbers, amounts, BTC, GB) in a text that the citation registry does not list. */
export function uncitedFigures(text: string, cited: Record<string, string>, patterns: RegExp[]): string[] {
  const found: string[] = [];
  for (const pattern of patterns) {
    for (const m of text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))) {
      const figure = m[0].replace(/\s+/g, ' ');
      const known = figure in cited || figure.replace(/^(US|NZ)?\$/, '') in cited;
      if (!known) found.push(figure);
    }
  }
  return found;
}

export interface LinkTargets {
  /** Heading slugs of the lesson the link is in. */
  ownSlugs: readonly string[];
  /** Lesson id -> its heading slugs. */
  lessons: ReadonlyMap<string, readonly string[]>;
  /** Page routes such as "/" and "/instructors/". */
  routes: ReadonlySet<string>;
}

/** Why an internal link does not resolve, or undefined when it does (external links always do). */
export function linkProblem(href: string, targets: LinkTargets): string | undefined {
  if (/^(https?:|mailto:)/i.test(href)) return undefined;
  const hash = href.indexOf('#');
  const path = hash === -1 ? href : href.slice(0, hash);
  const anchor = hash === -1 ? undefined : href.slice(hash + 1);
  if (path === '') {
    return anchor && targets.ownSlugs.includes(anchor) ? undefined : `"${href}" names no heading in this lesson`;
  }
  if (!path.startsWith('/')) return `"${href}" is relative: link to /lessons/<id>/ or a page path`;
  const lesson = /^\/lessons\/([^/]+)\/?$/.exec(path);
  if (lesson) {
    const slugs = targets.lessons.get(lesson[1]!);
    if (!slugs) return `"${href}" points at no lesson`;
    if (anchor && !slugs.includes(anchor)) return `"${href}" points at no heading of ${lesson[1]}`;
    return undefined;
  }
  const normalised = path.endsWith('/') ? path : `${path}/`;
  return targets.routes.has(normalised) ? undefined : `"${href}" is neither a lesson nor a page in src/pages`;
}
