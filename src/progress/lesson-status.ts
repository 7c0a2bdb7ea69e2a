import type { Progress } from './progress-store';

export type LessonState = 'new' | 'opened' | 'read' | 'passed' | 'passed-with-help';

/**
 * What a lesson card shows. A lesson with a lab is done when the lab passed; one without a
 * lab is done once opened (there is nothing else to do in it).
 */
export function lessonState(progress: Progress, lessonId: string, labId: string | null): LessonState {
  const lab = labId ? progress.labs[labId] : undefined;
  if (lab) return lab.withHelp ? 'passed-with-help' : 'passed';
  if (!progress.lessons[lessonId]) return 'new';
  return labId ? 'opened' : 'read';
}

export const lessonStateLabel: Record<LessonState, string> = {
  new: 'Not started',
  opened: 'In progress',
  read: 'Read',
  passed: 'Lab passed',
  'passed-with-help': 'Lab passed with help',
};
