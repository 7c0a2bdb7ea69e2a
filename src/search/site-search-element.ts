import { searchLessons, SearchUnavailableError, type SearchHit } from './pagefind-client';
import { isSearchShortcut } from './search-shortcut';

/**
 * <site-search>: the header button and the search dialog. The input is a combobox and the
 * results a listbox of links (role=option): arrow keys move the active result while focus
 * stays in the input, the way command palettes work, and aria-activedescendant makes screen
 * readers say each result as the learner reaches it. Enter follows the active link.
 */
class SiteSearch extends HTMLElement {
  #dialog!: HTMLDialogElement;
  #input!: HTMLInputElement;
  #results!: HTMLOListElement;
  #status!: HTMLElement;
  #active = -1;
  #opener: HTMLElement | null = null;

  connectedCallback(): void {
    this.#dialog = this.querySelector('dialog')!;
    this.#input = this.querySelector('[data-search-input]')!;
    this.#results = this.querySelector('[data-search-results]')!;
    this.#status = this.querySelector('[data-search-status]')!;

    this.querySelector('[data-open-search]')?.addEventListener('click', () => this.open());
    this.querySelector('[data-close-search]')?.addEventListener('click', () => this.#dialog.close());
    // A click on the backdrop (outside the panel) closes, as in every other dialog.
    this.#dialog.addEventListener('click', (event) => {
      if (event.target === this.#dialog) this.#dialog.close();
    });
    this.#dialog.addEventListener('close', () => this.#opener?.focus());
    this.#input.addEventListener('input', () => void this.#search(this.#input.value));
    this.#input.addEventListener('keydown', (event) => this.#onInputKey(event));

    // The shortcut label says Ctrl; on Apple keyboards the same shortcut is Cmd.
    if (/Mac|iPhone|iPad/.test(navigator.userAgent)) {
      const kbd = this.querySelector('.search-kbd');
      if (kbd) kbd.textContent = '⌘ K';
    }
    document.addEventListener('keydown', (event) => {
      if (this.#dialog.open || !isSearchShortcut(event, event.target)) return;
      event.preventDefault();
      this.open();
    });
  }

  open(): void {
    this.#opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.#dialog.showModal();
    this.#input.select();
  }

  async #search(query: string): Promise<void> {
    const trimmed = query.trim();
    if (trimmed === '') {
      this.#render([]);
      this.#status.textContent = 'Type to search every lesson.';
      return;
    }
    let hits: SearchHit[] | null;
    try {
      hits = await searchLessons(trimmed);
    } catch (error) {
      this.#render([]);
      this.#status.textContent = error instanceof SearchUnavailableError ? 'Search is not available in this copy of the site: run npm run build, then npm start.' : 'Search failed; reload the page and try again.';
      console.warn(error);
      return;
    }
    // Superseded by a newer query, or the reader kept typing meanwhile.
    if (hits === null || this.#input.value.trim() !== trimmed) return;
    this.#render(hits);
    this.#status.textContent = hits.length === 0 ? `No lessons match “${trimmed}”.` : `${hits.length} result${hits.length === 1 ? '' : 's'} for “${trimmed}”.`;
  }

  #render(hits: SearchHit[]): void {
    this.#setActive(-1, []);
    this.#input.setAttribute('aria-expanded', String(hits.length > 0));
    this.#results.replaceChildren(
      ...hits.map((hit, index) => {
        const item = document.createElement('li');
        item.setAttribute('role', 'none');
        const link = document.createElement('a');
        link.href = hit.url;
        link.id = `search-result-${index}`;
        link.setAttribute('role', 'option');
        link.setAttribute('aria-selected', 'false');
        // Options are reached with the arrow keys from the input, not with Tab.
        link.tabIndex = -1;
        const title = document.createElement('span');
        title.className = 'result-title';
        title.textContent = hit.title;
        const excerpt = document.createElement('span');
        excerpt.className = 'result-excerpt';
        // Pagefind escapes page text and adds only <mark>; the index comes from our own build.
        excerpt.innerHTML = hit.excerpt;
        link.append(title, excerpt);
        item.append(link);
        return item;
      }),
    );
  }

  #setActive(index: number, links: HTMLAnchorElement[]): void {
    this.#active = index;
    links.forEach((link, i) => link.setAttribute('aria-selected', String(i === index)));
    const active = links[index];
    if (active) this.#input.setAttribute('aria-activedescendant', active.id);
    else this.#input.removeAttribute('aria-activedescendant');
  }

  #onInputKey(event: KeyboardEvent): void {
    const links = [...this.#results.querySelectorAll('a')];
    if (links.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.#setActive((this.#active + step + links.length) % links.length, links);
      links[this.#active]?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      (links[Math.max(this.#active, 0)] ?? links[0])?.click();
    }
  }
}

if (!customElements.get('site-search')) customElements.define('site-search', SiteSearch);
