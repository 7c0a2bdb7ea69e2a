import { getProgress, resetProgress, subscribe } from './browser-progress';
import { lessonState } from './lesson-status';

/** <progress-summary data-lessons="id id" data-labs="lab lab">: course-wide counts. */
class ProgressSummaryElement extends HTMLElement {
  connectedCallback(): void {
    this.querySelector('[data-summary-reset]')?.addEventListener('click', () => {
      if (confirm('Forget which lessons you opened and which labs you passed in this browser?')) resetProgress();
    });
    this.#render();
    subscribe(() => this.#render());
  }

  #render(): void {
    const progress = getProgress();
    const lessons = (this.dataset.lessons ?? '').split(' ').filter(Boolean);
    const labs = (this.dataset.labs ?? '').split(' ').filter(Boolean);
    const opened = lessons.filter((id) => lessonState(progress, id, null) !== 'new').length;
    const passed = labs.filter((id) => progress.labs[id]).length;
    const text = this.querySelector('[data-summary-text]');
    const started = opened > 0 || passed > 0;
    if (text) {
      text.textContent = started
        ? `You have opened ${opened} of ${lessons.length} lessons${labs.length > 0 ? ` and passed ${passed} of ${labs.length} labs` : ''}. Saved in this browser only.`
        : `You have not started yet. Progress is saved in this browser only.`;
    }
    const share = lessons.length + labs.length === 0 ? 0 : ((opened + passed) / (lessons.length + labs.length)) * 100;
    this.querySelector<HTMLElement>('[data-summary-bar]')?.style.setProperty('--done', `${share.toFixed(1)}%`);
    const reset = this.querySelector<HTMLButtonElement>('[data-summary-reset]');
    if (reset) reset.hidden = !started;
  }
}

if (!customElements.get('progress-summary')) customElements.define('progress-summary', ProgressSummaryElement);
