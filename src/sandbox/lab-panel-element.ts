/**
 * <lab-panel data-lab="open-door">: the only lab code a lesson page loads up front. It shows
 * the panel's frame and starts the lab on "Start lab", or by itself once the panel is in view
 * and the page is idle; only then are the terminal, the editor and the runtime loaded with
 * import(), so a lesson page stays light for readers who never open the lab. Starting by
 * itself never moves focus: only "Start lab" puts focus into the terminal (lab-focus.ts).
 */
import { requestLabFocus, whenIdle } from './lab-focus.ts';

import { checkBrowserSupport } from '../runtimes/webcontainer/browser-support.ts';
import { TOKEN_META_NAME } from '../runtimes/local/protocol.ts';

/** Whether this page would boot WebContainer, on a browser where that waits for a click. */
function bootsOnClickHere(): boolean {
  const forced = new URLSearchParams(location.search).get('runtime');
  const local = forced === 'local' || (forced !== 'webcontainer' && document.querySelector(`meta[name="${TOKEN_META_NAME}"]`) !== null);
  return !local && checkBrowserSupport(navigator.userAgent, { sharedArrayBuffer: true, crossOriginIsolated: true }).bootOnClick;
}

class LabPanelElement extends HTMLElement {
  private started = false;
  private observer: IntersectionObserver | undefined;

  connectedCallback(): void {
    const button = this.querySelector<HTMLButtonElement>('[data-lab-start]');
    button?.addEventListener('click', () => {
      requestLabFocus(this);
      void this.start();
    });
    if (this.dataset.autostart === 'false' || new URLSearchParams(location.search).get('lab') === 'manual') return;
    // On iPhone and iPad the in-browser runtime boots only after a tap (TutorialKit does the
    // same): the learner presses "Start lab".
    if (bootsOnClickHere()) return;
    // Start once the learner can see the panel (on wide screens that is right away), when the
    // page has nothing better to do: the lab's code never competes with the page's first paint.
    this.observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        this.observer?.disconnect();
        void whenIdle().then(() => this.start());
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
