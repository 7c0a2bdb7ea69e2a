/**
 * <lab-panel data-lab="open-door">: the only lab code a lesson page loads up front. It shows
 * the panel's frame and starts the lab when the panel comes into view (or on "Start lab");
 * only then are the terminal, the editor and the runtime loaded with import(), so a lesson
 * page stays light for readers who never open the lab.
 */

class LabPanelElement extends HTMLElement {
  private started = false;
  private observer: IntersectionObserver | undefined;

  connectedCallback(): void {
    const button = this.querySelector<HTMLButtonElement>('[data-lab-start]');
    button?.addEventListener('click', () => void this.start());
    if (this.dataset.autostart === 'false' || new URLSearchParams(location.search).get('lab') === 'manual') return;
    // Start as soon as the learner can see the panel: on wide screens that is right away.
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void this.start();
      },
      { rootMargin: '100px' },
    );
    this.observer.observe(this);
  }

  disconnectedCallback(): void {
    this.observer?.disconnect();
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.observer?.disconnect();
    const status = this.querySelector<HTMLElement>('[data-lab-status]');
    if (status) status.textContent = 'Starting the lab…';
    this.dataset.state = 'starting';
    try {
      const { startWorkbench } = await import('./lab-workbench.ts');
      await startWorkbench(this, this.dataset.lab ?? '');
    } catch (error) {
      this.dataset.state = 'failed';
      if (status) status.textContent = `The lab could not load: ${(error as Error).message}. Reload the page to try again.`;
    }
  }
}

if (!customElements.get('lab-panel')) customElements.define('lab-panel', LabPanelElement);
