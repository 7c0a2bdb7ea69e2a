/**
 * The solution part of the lab panel: "Show solution" asks first (seeing the reference answer
 * marks the lab done with help, which the learner should choose knowingly), then shows the
 * solution script and the solution files, read through the runtime from the lab's bundle, each
 * editable one with a button that puts it into the editor for the learner to save.
 */
import type { LabSession } from '../runtimes/runtime.ts';
import { confirmDialog, showDialog } from './confirm-dialog.ts';
import { h } from './element.ts';
import type { LabMetaJson } from './lab-meta.ts';
import { readLabText } from './lab-text.ts';

const SOLUTION_DIR = /^\.lab\/solution\//;

export interface SolutionPartOptions {
  /** Where the dialogs open (the lab panel). */
  host: HTMLElement;
  lab: Pick<LabMetaJson, 'id' | 'title' | 'editable' | 'solutionFiles' | 'solutionScript'>;
  session: Pick<LabSession, 'readFile'>;
  /** Where "done with help" is remembered (browser-progress.ts in the page). */
  progress: { markLabPassed(labId: string, options: { withHelp: boolean }): unknown };
  /** Puts a solution file's text into the editor as an unsaved change, and shows the editor. */
  applyToEditor(path: string, text: string): void;
}

export interface SolutionPart {
  button: HTMLButtonElement;
}

export function createSolutionPart({ host, lab, session, progress, applyToEditor }: SolutionPartOptions): SolutionPart {
  const button = h('button', { type: 'button', class: 'lab-button', 'data-lab-solution': true }, 'Show solution');

  button.addEventListener('click', async () => {
    const ok = await confirmDialog(host, {
      title: 'Show the solution?',
      body: 'You will see the reference answer. The lesson is then marked as done with help.',
      confirm: 'Show solution',
    });
    if (!ok) return;
    const parts: Node[] = [];
    if (lab.solutionScript) {
      parts.push(h('p', {}, 'The commands to type in the terminal:'), h('pre', { class: 'lab-solution' }, await readLabText(session, lab.solutionScript)));
    }
    for (const path of lab.solutionFiles) {
      const text = await readLabText(session, path);
      const target = path.replace(SOLUTION_DIR, '');
      parts.push(h('h4', {}, target), h('pre', { class: 'lab-solution' }, text));
      if (!lab.editable.includes(target)) continue;
      const apply = h('button', { type: 'button', class: 'lab-button' }, `Put into ${target} (then Save)`);
      apply.addEventListener('click', () => {
        applyToEditor(target, text);
        apply.textContent = 'Now in the editor: press Save';
      });
      parts.push(apply);
    }
    if (parts.length === 0) parts.push(h('p', {}, 'This lab has no written solution; the hints and the lesson explain each step.'));
    showDialog(host, `Solution: ${lab.title}`, ...parts);
    progress.markLabPassed(lab.id, { withHelp: true });
  });

  return { button };
}
