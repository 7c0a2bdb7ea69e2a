/**
 * The solution part against a fake lab session: "Show solution" asks first and does nothing
 * on Cancel or Escape; once confirmed it shows the script and the files from the lab's bundle,
 * offers to put an editable file into the editor, and marks the lab done with help.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSolutionPart } from '../../src/sandbox/solution-part.ts';
import { fakeLabSession } from './fake-lab-session.ts';

const lab = {
  id: 'open-door',
  title: 'Close the open door',
  editable: ['settings.yaml'],
  solutionFiles: ['.lab/solution/settings.yaml', '.lab/solution/notes.md'],
  solutionScript: '.lab/solution.sh',
};
const bundle = {
  '.lab/solution/settings.yaml': 'door: closed\n',
  '.lab/solution/notes.md': 'Why the door matters.\n',
  '.lab/solution.sh': 'cat settings.yaml\n',
};

function mount(labMeta: typeof lab = lab) {
  const host = document.createElement('div');
  document.body.replaceChildren(host);
  const session = fakeLabSession(labMeta.id, bundle);
  const progress = { markLabPassed: vi.fn() };
  const applyToEditor = vi.fn();
  const { button } = createSolutionPart({ host, lab: labMeta, session, progress, applyToEditor });
  host.append(button);
  const dialog = (title: string | RegExp) =>
    [...host.querySelectorAll<HTMLDialogElement>('dialog')].find((candidate) => {
      const heading = candidate.querySelector('h3')?.textContent ?? '';
      return typeof title === 'string' ? heading === title : title.test(heading);
    });
  const buttonIn = (element: HTMLElement, name: string | RegExp) =>
    [...element.querySelectorAll('button')].find((candidate) => (typeof name === 'string' ? candidate.textContent === name : name.test(candidate.textContent ?? '')))!;
  return { host, session, progress, applyToEditor, button, dialog, buttonIn };
}

afterEach(() => document.body.replaceChildren());

describe('the solution part', () => {
  it('asks first, and does nothing on Cancel', async () => {
    const { button, dialog, buttonIn, session, progress } = mount();
    button.click();
    const ask = dialog('Show the solution?')!;
    expect(ask.open).toBe(true);
    expect(document.activeElement).toBe(buttonIn(ask, 'Cancel'));
    buttonIn(ask, 'Cancel').click();
    await Promise.resolve();
    expect(dialog('Show the solution?')).toBeUndefined();
    expect(dialog(/^Solution:/)).toBeUndefined();
    expect(session.calls).toEqual([]);
    expect(progress.markLabPassed).not.toHaveBeenCalled();
  });

  it('does nothing on Escape either', async () => {
    const { button, dialog, session, progress } = mount();
    button.click();
    dialog('Show the solution?')!.dispatchEvent(new Event('cancel', { cancelable: true }));
    await Promise.resolve();
    expect(dialog('Show the solution?')).toBeUndefined();
    expect(dialog(/^Solution:/)).toBeUndefined();
    expect(session.calls).toEqual([]);
    expect(progress.markLabPassed).not.toHaveBeenCalled();
  });

  it('once confirmed, shows the script and files and marks the lab done with help', async () => {
    const { button, dialog, buttonIn, progress } = mount();
    button.click();
    buttonIn(dialog('Show the solution?')!, 'Show solution').click();
    await vi.waitFor(() => expect(dialog('Solution: Close the open door')?.open).toBe(true));
    const shown = dialog('Solution: Close the open door')!;
    expect([...shown.querySelectorAll('pre')].map((pre) => pre.textContent)).toEqual(['cat settings.yaml\n', 'door: closed\n', 'Why the door matters.\n']);
    expect([...shown.querySelectorAll('h4')].map((h4) => h4.textContent)).toEqual(['settings.yaml', 'notes.md']);
    expect(progress.markLabPassed).toHaveBeenCalledExactlyOnceWith('open-door', { withHelp: true });
  });

  it('puts an editable solution file into the editor, and offers it only for editable files', async () => {
    const { button, dialog, buttonIn, applyToEditor } = mount();
    button.click();
    buttonIn(dialog('Show the solution?')!, 'Show solution').click();
    await vi.waitFor(() => expect(dialog(/^Solution:/)).toBeDefined());
    const shown = dialog(/^Solution:/)!;
    expect(buttonIn(shown, /Put into notes\.md/)).toBeUndefined();
    const apply = buttonIn(shown, 'Put into settings.yaml (then Save)');
    apply.click();
    expect(applyToEditor).toHaveBeenCalledExactlyOnceWith('settings.yaml', 'door: closed\n');
    expect(apply.textContent).toBe('Now in the editor: press Save');
  });

  it('says so when the lab has no written solution', async () => {
    const { button, dialog, buttonIn } = mount({ ...lab, solutionFiles: [], solutionScript: '' });
    button.click();
    buttonIn(dialog('Show the solution?')!, 'Show solution').click();
    await vi.waitFor(() => expect(dialog(/^Solution:/)).toBeDefined());
    expect(dialog(/^Solution:/)!.textContent).toContain('This lab has no written solution');
  });
});
