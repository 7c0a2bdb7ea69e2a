import { getProgress, subscribe } from './browser-progress';
import { lessonState, lessonStateLabel } from './lesson-status';

/** <lesson-progress data-lesson data-lab>: shows one lesson's state, live across tabs. */
class LessonProgressElement extends HTMLElement {
  #unsubscribe: (() => void) | undefined;

  connectedCallback(): void {
    this.#render();
    this.#unsubscribe = subscribe(() => this.#render());
  }

  disconnectedCallback(): void {
    this.#unsubscribe?.();
  }

  #render(): void {
    const state = lessonState(getProgress(), this.dataset.lesson ?? '', this.dataset.lab || null);
    this.dataset.state = state;
    const text = this.querySelector('[data-progress-text]');
    if (text) text.textContent = lessonStateLabel[state];
  }
}

if (!customElements.get('lesson-progress')) customElements.define('lesson-progress', LessonProgressElement);
