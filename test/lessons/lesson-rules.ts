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

/**
 * Standard ids written straight into prose. Every id a lesson shows in its text goes through
 * `<Std id="...">`, which prints the catalogue's official name, so a bare id (whose name the
 * author typed, or left out) is reported. Code, link targets and the Std tags are skipped.
 */
export function bareStandardIds(body: string): string[] {
  const prose = body
    .replace(/^```[\s\S]*?^```/gm, '')
    .replace(/<Std\b[^>]*\/>/g, '')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/https?:\/\/\S+/g, '');
  const patterns = [
    /\bT\d{4}(?:\.\d{3})?\b/g,
    /\bCWE-\d+\b/g,
    /\bI(?:10|[1-9])\b/g,
    /\b(?:[Pp]rovisions?|ETSI EN 303 645) \d+\.\d+(?:-\d+)?\b/g,
  ];
  return patterns.flatMap((pattern) => [...prose.matchAll(pattern)].map((m) => m[0]));
}

/** The ids of every `<Std id="...">` in a lesson body. */
export function stdIds(body: string): string[] {
  return [...body.matchAll(/<Std\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * A source title that names a standard ("MITRE ATT&CK T1046: Network Service Discovery",
 * "CWE-306: Missing Authentication for Critical Function") must use the official name.
 * Returns what is wrong, or undefined.
 */
export function sourceTitleNameProblem(title: string, lookup: (id: string) => { name: string } | undefined): string | undefined {
  const m = /\b(T\d{4}(?:\.\d{3})?|CWE-\d+): (.+)$/.exec(title);
  if (!m) return undefined;
  const [, id, written] = m as unknown as [string, string, string];
  const entry = lookup(id);
  if (!entry) return `"${title}" names ${id}, which is not in the standards catalogue`;
  return written === entry.name ? undefined : `"${title}" calls ${id} "${written}"; its official name is "${entry.name}"`;
}

/** `<CheckClaim lab="..." check="...">` claims in a lesson body, in order. */
export function checkClaims(body: string): { lab: string; check: string }[] {
  return [...body.matchAll(/<CheckClaim\b([^>]*)>/g)].map((m) => ({
    lab: /\blab="([^"]*)"/.exec(m[1]!)?.[1] ?? '',
    check: /\bcheck="([^"]*)"/.exec(m[1]!)?.[1] ?? '',
  }));
}

/** The text of a `### What the checks prove` section, up to the next heading of level 2 or 3. */
export function checksProveSection(body: string): string | undefined {
  const start = body.search(/^### What the checks prove\s*$/m);
  if (start === -1) return undefined;
  const rest = body.slice(start).split('\n').slice(1).join('\n');
  const end = rest.search(/^#{2,3} /m);
  return end === -1 ? rest : rest.slice(0, end);
}

/** Markdown bullets in a text: claims that name no check. */
export function plainBullets(text: string): string[] {
  return [...text.matchAll(/^\s*[-*] (.+)$/gm)].map((m) => m[1]!);
}

/** Words the course does not use for what a learner collects (issue 11: neutral words). */
export function collectingWords(prose: string): string[] {
  return [...prose.matchAll(/\b(?:loot(?:s|ed|ing)?|haul(?:s)?)\b/gi)].map((m) => m[0]);
}

/** Example placeholders such as `<user id>` in a shell block: the lab shell would read them as redirections. */
export function shellPlaceholders(block: string): string[] {
  return [...block.matchAll(/<[a-z][a-z -]*>/gi)].map((m) => m[0]);
}
