/**
 * A typed door to Pagefind's browser API (/pagefind/pagefind.js, written by the build). It is
 * loaded only when the reader first searches, so pages stay light. Served from our own origin,
 * so search makes no third-party request.
 */
export interface SearchHit {
  url: string;
  title: string;
  /** HTML from Pagefind: page text, escaped, with <mark> around matches. */
  excerpt: string;
}

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}

interface PagefindApi {
  init(): Promise<void>;
  options(options: Record<string, unknown>): Promise<void>;
  debouncedSearch(query: string, options?: Record<string, unknown>, debounceMs?: number): Promise<{ results: { data(): Promise<PagefindResultData> }[] } | null>;
}

let loading: Promise<PagefindApi> | undefined;

export class SearchUnavailableError extends Error {}

function loadPagefind(): Promise<PagefindApi> {
  loading ??= (async () => {
    // A variable path keeps Vite from trying to bundle a file that only exists after the build.
    const path = '/pagefind/pagefind.js';
    try {
      const api = (await import(/* @vite-ignore */ path)) as PagefindApi;
      await api.options({ excerptLength: 24 });
      await api.init();
      return api;
    } catch (error) {
      loading = undefined;
      throw new SearchUnavailableError(`search index not found (${String(error)}): it is built by \`npm run build\` and served by \`npm start\``);
    }
  })();
  return loading;
}

/** Resolves with null when a newer query superseded this one (Pagefind's debounce). */
export async function searchLessons(query: string, limit = 8): Promise<SearchHit[] | null> {
  const api = await loadPagefind();
  const search = await api.debouncedSearch(query, {}, 150);
  if (search === null) return null;
  const data = await Promise.all(search.results.slice(0, limit).map((result) => result.data()));
  return data.map((item) => ({ url: item.url, title: item.meta.title ?? item.url, excerpt: item.excerpt }));
}
