/**
 * Presses that come too early are kept, not lost. The panel's buttons show as soon as the
 * terminal has a prompt, but the editor and the file list load after that (when the page is
 * idle); a learner who presses "Run checks" in that moment expects it to happen, so the press
 * is held and carried out once the parts are ready.
 *
 * The hold listens in the capture phase on a container, so it runs before any button's own
 * handler and each part can attach its handlers when it is made, without knowing about the hold.
 */
export function holdPressesUntil(container: HTMLElement, selector: string, ready: Promise<void>): void {
  let isReady = false;
  const queued = new Set<HTMLElement>();
  void ready.then(() => {
    isReady = true;
    for (const button of queued) button.click();
    queued.clear();
  });
  container.addEventListener(
    'click',
    (event) => {
      if (isReady) return;
      const button = (event.target as Element | null)?.closest<HTMLElement>(selector);
      if (!button || !container.contains(button)) return;
      event.stopPropagation();
      // One press per button is enough: pressing twice while waiting still means "run once".
      queued.add(button);
    },
    { capture: true },
  );
}
