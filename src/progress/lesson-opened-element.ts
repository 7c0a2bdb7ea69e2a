import { markOpened } from './browser-progress';

/** <lesson-opened data-lesson="id">: marks the lesson opened as soon as the page runs. */
class LessonOpenedElement extends HTMLElement {
  connectedCallback(): void {
    const lesson = this.dataset.lesson;
    if (lesson) markOpened(lesson);
  }
}

if (!customElements.get('lesson-opened')) customElements.define('lesson-opened', LessonOpenedElement);
