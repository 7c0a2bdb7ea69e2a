/**
 * The lab panel's hand-in controls: "Download my work" always, "Send to class" when this
 * browser joined a class, and an automatic hand-in when the lab's checks pass. The workbench
 * calls attachHandIn once and afterReport after every check report; nothing else in the
 * panel knows about hand-ins.
 */
import { h } from './element.ts';
import { buildLabArchive, currentLearner, learnerStore, offerDownload, recordHelp, type LabFiles } from './hand-in.ts';
import { readMembership, sendHandIn } from './hand-in-classroom.ts';
import { handInFileName } from '../../sandboxes/grading/hand-in-format.ts';
import type { CheckReport } from '../../sandboxes/checks/types.ts';

const ASKED_NAME_KEY = 'cloudpets-lab:asked-name:v1';

export interface HandInPanelOptions {
  panel: HTMLElement;
  /** Where the buttons go (the checks' action row). */
  actions: HTMLElement;
  /** The checks list (its hint buttons tell us which hints were opened). */
  checkList: HTMLElement;
  session: LabFiles;
  lab: { id: string; editable: string[]; kind: 'attack' | 'fix' };
}

/** Asks once, optionally, for a name or e-mail to put on hand-ins. */
function askNameOnce(host: HTMLElement): Promise<void> {
  const learner = currentLearner();
  let asked = false;
  try {
    asked = learner.name !== undefined || localStorage.getItem(ASKED_NAME_KEY) === '1';
    localStorage.setItem(ASKED_NAME_KEY, '1');
  } catch {
    asked = true;
  }
  if (asked) return Promise.resolve();
  const input = h('input', { type: 'text', class: 'lab-input', maxlength: '120', autocomplete: 'email', 'aria-label': 'Your name or e-mail (optional)', 'data-hand-in-name': true });
  const save = h('button', { type: 'button', class: 'lab-button lab-button-primary' }, 'Save');
  const skip = h('button', { type: 'button', class: 'lab-button' }, 'Skip');
  const dialog = h(
    'dialog',
    { class: 'lab-dialog', 'aria-label': 'Your name on hand-ins' },
    h('h3', {}, 'Put your name on your work?'),
    h('p', {}, 'Optional: a name or e-mail so your instructor knows whose work this is. It stays in this browser and goes only into the archives you hand in.'),
    input,
    h('div', { class: 'lab-dialog-actions' }, skip, save),
  );
  host.append(dialog);
  return new Promise((resolve) => {
    const finish = (keep: boolean): void => {
      if (keep && input.value.trim()) learnerStore.setName(input.value);
      dialog.close();
      dialog.remove();
      resolve();
    };
    save.addEventListener('click', () => finish(true));
    skip.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    dialog.showModal();
    input.focus();
  });
}

export function attachHandIn({ panel, actions, checkList, session, lab }: HandInPanelOptions): { afterReport(report: CheckReport): Promise<void> } {
  const runtime = (): string => panel.querySelector<HTMLElement>('[data-lab-runtime]')?.dataset.runtime ?? 'unknown';
  const status = h('p', { class: 'lab-hand-in-status lab-small', role: 'status', 'aria-live': 'polite', 'data-hand-in-status': true });
  const download = h('button', { type: 'button', class: 'lab-button', 'data-hand-in-download': true }, 'Download my work');
  const send = h('button', { type: 'button', class: 'lab-button', 'data-hand-in-send': true, hidden: !readMembership()?.token }, 'Send to class');
  actions.append(download, send);
  actions.after(status);

  // Which hints were opened: the checks list's "Show hint" buttons control "hint-<check id>-<random>".
  checkList.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest('button[aria-controls^="hint-"]');
    if (button?.getAttribute('aria-expanded') === 'true') recordHelp(lab.id, { hint: button.getAttribute('aria-controls')!.replace(/^hint-/, '').replace(/-[a-z0-9]{5}$/, '') });
  });
  // The solution button marks the lab "done with help" in the progress store; hand-in.ts reads it there.

  const build = async () => {
    const built = await buildLabArchive(session, lab, runtime());
    if (built.leftOut.length > 0) status.textContent = `Left out (too big): ${built.leftOut.join(', ')}.`;
    return built.bytes;
  };

  // Busy buttons are aria-disabled, not disabled: a disabled button drops keyboard focus to the
  // page body (as Run checks does, see checks-part.ts).
  const busy = (button: HTMLButtonElement, on: boolean): void => {
    if (on) button.setAttribute('aria-disabled', 'true');
    else button.removeAttribute('aria-disabled');
  };
  const isBusy = (button: HTMLButtonElement): boolean => button.getAttribute('aria-disabled') === 'true';

  download.addEventListener('click', async () => {
    if (isBusy(download)) return;
    busy(download, true);
    try {
      await askNameOnce(panel);
      const bytes = await build();
      offerDownload(bytes, handInFileName(lab.id, currentLearner().name));
      status.textContent = `Your work for this lab is in ${handInFileName(lab.id, currentLearner().name)} (${Math.ceil(bytes.length / 1024)} KiB): hand it in to your instructor.`;
    } catch (error) {
      status.textContent = `Could not pack your work: ${(error as Error).message}`;
    } finally {
      busy(download, false);
    }
  });

  const handIn = async (why: string): Promise<void> => {
    try {
      const sent = await sendHandIn(await build());
      status.textContent = `${why}: handed in to your class (hand-in ${sent.id}); your instructor sees the result once it is graded.`;
      panel.dataset.handIn = 'sent';
    } catch (error) {
      status.textContent = `Could not hand in to your class: ${(error as Error).message}`;
      panel.dataset.handIn = 'failed';
    }
  };
  send.addEventListener('click', async () => {
    if (isBusy(send)) return;
    busy(send, true);
    try {
      await handIn('Sent');
    } finally {
      busy(send, false);
    }
  });

  return {
    async afterReport(report) {
      if (report.lab !== lab.id) return;
      if (report.passed && readMembership()?.token) return handIn('Checks passed');
      // Keep the latest archive for the course page's "every lab" download.
      await build().catch(() => undefined);
    },
  };
}
