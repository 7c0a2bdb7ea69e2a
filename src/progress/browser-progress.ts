import { createProgressStore, progressStorageKey, type LabMode, type Progress, type ProgressListener } from './progress-store';
import { browserStorage } from './key-value-storage';

/**
 * The page-wide progress store, backed by localStorage. Import these functions from any
 * client script (the lab panel calls `markLabPassed` when its checks pass).
 */
const store = createProgressStore({ storage: browserStorage() });

// Another tab opened a lesson or passed a lab: show it here too.
window.addEventListener('storage', (event) => {
  if (event.key === progressStorageKey || event.key === null) store.reload();
});

export const getProgress = (): Progress => store.getProgress();
export const markOpened = (lessonId: string): Progress => store.markOpened(lessonId);
export const markLabPassed = (labId: string, options?: { withHelp?: boolean }): Progress => store.markLabPassed(labId, options);
export const setLabMode = (labId: string, mode: LabMode): Progress => store.setLabMode(labId, mode);
export const recordHint = (labId: string, level: number): Progress => store.recordHint(labId, level);
export const resetProgress = (): Progress => store.reset();
export const subscribe = (listener: ProgressListener): (() => void) => store.subscribe(listener);
export type { Progress, LabProgress, LessonProgress, LabMode, LabModeProgress } from './progress-store';
