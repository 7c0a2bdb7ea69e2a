import { getProgress, subscribe } from './browser-progress';
import { lessonState } from './lesson-status';

/**
 * <resume-lesson data-lessons='[{"id","lab","title","href"}]'>: wraps the home page's main
 * button. A returning learner is sent to the first lesson they have not finished instead of
 * lesson 1; a new learner sees the server-rendered "Start with lesson 1".
 */
interface ResumeTarget {
  id: string;
  lab: string | null;
  title: string;
  href: string;
}

class ResumeLesson extends HTMLElement {
  connectedCallback(): void {
    this.#render();
    subscribe(() => this.#render());
  }

  #render(): void {
    const link = this.querySelector('a');
    if (!link) return;
    let lessons: ResumeTarget[];
    try {
      lessons = JSON.parse(this.dataset.lessons ?? '[]') as ResumeTarget[];
    } catch {
      return;
    }
    const progress = getProgress();
    const started = lessons.some((lesson) => lessonState(progress, lesson.id, lesson.lab) !== 'new');
    if (!started) return;
    const done = (lesson: ResumeTarget) => ['read', 'passed', 'passed-with-help'].includes(lessonState(progress, lesson.id, lesson.lab));
    const next = lessons.find((lesson) => !done(lesson));
    if (!next) {
      link.textContent = 'Review the course';
      return;
    }
    link.href = next.href;
    link.textContent = `Continue: ${next.title}`;
  }
}

if (!customElements.get('resume-lesson')) customElements.define('resume-lesson', ResumeLesson);
