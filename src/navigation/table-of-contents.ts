/** The heading shape Astro's `render()` returns for a Markdown/MDX entry. */
export interface Heading {
  depth: number;
  slug: string;
  text: string;
}

export interface TocItem {
  slug: string;
  text: string;
  children: TocItem[];
}

/**
 * Nest h2/h3 headings into a two-level list. Deeper headings are left out: a longer table of
 * contents beside a lab panel is more noise than help. An h3 before any h2 becomes a top
 * level item rather than being dropped.
 */
export function tableOfContents(headings: readonly Heading[], maxDepth = 3): TocItem[] {
  const items: TocItem[] = [];
  for (const heading of headings) {
    if (heading.depth < 2 || heading.depth > maxDepth) continue;
    const item: TocItem = { slug: heading.slug, text: heading.text, children: [] };
    const parent = items.at(-1);
    if (heading.depth > 2 && parent) parent.children.push(item);
    else items.push(item);
  }
  return items;
}
