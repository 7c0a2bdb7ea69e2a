/**
 * <lab-panel data-lab="open-door">: the only lab code a lesson page loads up front. It shows
 * the panel's frame and starts the lab on "Start lab", or by itself once the panel is in view;
 * only then are the terminal, the editor and the runtime loaded with import(), so a lesson
 * page stays light for readers who never open the lab. Starting by itself never moves focus:
 * only "Start lab" puts focus into the terminal (lab-focus.ts).
 */
import { requestLabFocus } from './lab-focus.ts';

import { checkBrowserSupport } from '../runtimes/webcontainer/browser-support.ts';
import { choosePageRuntime } from '../runtimes/select-runtime.ts';
import { connectLab } from './lab-connection.ts';

/**
 * Starts loading every module the lab needs up to its prompt, all at once (the runtime and the
 * learner's seed come with connectLab). Without this the browser finds them one after another
 * (the workbench, then the runtime and the terminal it imports, then the progress store), one
 * round trip each: measured with bench/lab, that chain took 200-500 ms before the lab could
 * connect. The workbench's own import() calls then find the modules loaded (or loading).
 */
function loadLabModules(): Promise<typeof import('./lab-workbench.ts')> {
  const workbench = import('./lab-workbench.ts');
  const others: Promise<unknown>[] = [import('./terminal-view.ts'), import('../progress/browser-progress.ts')];
  // A module that fails here fails again, with its error shown, where the workbench imports it.
  for (const loading of others) loading.catch(() => undefined);
  return workbench;
}

/** Whether this page would boot WebContainer, on a browser where that waits for a click. */
function bootsOnClickHere(): boolean {
  return choosePageRuntime().kind !== 'local' && checkBrowserSupport(navigator.userAgent, { sharedArrayBuffer: true, crossOriginIsolated: true }).bootOnClick;
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
    // Start once the learner can see the panel (on wide screens that is right away). An
    // IntersectionObserver reports after the page's first paint, so the lab's code never delays
    // it; waiting for an idle moment as well cost 150-400 ms to the prompt (bench/lab) on a page
    // whose own scripts are already done.
    this.observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        this.observer?.disconnect();
        void this.start();
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
    // The lab connects while its code loads; a panel whose code cannot load lets the lab go.
    const connection = connectLab(this.dataset.lab ?? '');
    try {
      const { startWorkbench } = await loadLabModules().catch((error: unknown) => {
        void connection.runtime.then((runtime) => runtime.teardown()).catch(() => undefined);
        throw error;
      });
      await startWorkbench(this, connection);
    } catch (error) {
      this.dataset.state = 'failed';
      if (status) status.textContent = `The lab could not load: ${(error as Error).message}. Reload the page to try again.`;
    }
  }
}

if (!customElements.get('lab-panel')) customElements.define('lab-panel', LabPanelElement);
