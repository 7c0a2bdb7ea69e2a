/**
 * When the lab may take focus, and when its code may load. Focus moves into the terminal only
 * when the learner asked for the lab (pressed "Start lab"), never because the lab started by
 * itself: a lab that grabs focus pulls a keyboard or screen-reader user out of the text they
 * were reading (WCAG 3.2.1). Loading waits for an idle moment so it never blocks the page.
 */

/** The learner pressed "Start lab": the terminal gets focus once it has a prompt. */
export function requestLabFocus(panel: HTMLElement): void {
  panel.dataset.focusRequested = 'true';
}

/**
 * Whether the terminal should take focus now that it is ready, and forget the request: yes
 * after "Start lab", or when focus is still on the start button, which is about to be
 * replaced by the terminal (focus would otherwise fall back to the page body).
 */
export function takeFocusRequest(panel: HTMLElement): boolean {
  const requested = panel.dataset.focusRequested === 'true';
  delete panel.dataset.focusRequested;
  const start = panel.querySelector('[data-lab-start]');
  return requested || (start !== null && document.activeElement === start);
}

/** Resolves when the browser is idle (or after `timeoutMs` at the latest). */
export function whenIdle(timeoutMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: timeoutMs });
    else setTimeout(resolve, 50);
  });
}
