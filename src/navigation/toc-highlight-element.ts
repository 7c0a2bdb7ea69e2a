/**
 * <toc-highlight>: marks the table-of-contents link of the section being read with
 * aria-current="true" (the "you are here" cue Starlight gives). The current section is the
 * last heading that has scrolled above a line a little below the sticky header.
 */
class TocHighlight extends HTMLElement {
  #links = new Map<string, HTMLAnchorElement>();
  #headings: HTMLElement[] = [];
  #frame = 0;

  connectedCallback(): void {
    for (const link of this.querySelectorAll<HTMLAnchorElement>('a[href^="#"]')) this.#links.set(decodeURIComponent(link.hash.slice(1)), link);
    this.#headings = [...this.#links.keys()].map((id) => document.getElementById(id)).filter((heading): heading is HTMLElement => heading !== null);
    addEventListener('scroll', this.#schedule, { passive: true });
    this.#update();
  }

  disconnectedCallback(): void {
    removeEventListener('scroll', this.#schedule);
  }

  // One update per frame at most: scroll events fire far more often than the screen redraws.
  #schedule = (): void => {
    cancelAnimationFrame(this.#frame);
    this.#frame = requestAnimationFrame(() => this.#update());
  };

  #update(): void {
    const line = 120;
    let current: HTMLElement | undefined;
    for (const heading of this.#headings) {
      if (heading.getBoundingClientRect().top <= line) current = heading;
      else break;
    }
    for (const [id, link] of this.#links) {
      if (current && id === current.id) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    }
  }
}

if (!customElements.get('toc-highlight')) customElements.define('toc-highlight', TocHighlight);
