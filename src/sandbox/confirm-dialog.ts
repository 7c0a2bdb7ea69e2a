/** A modal confirmation (<dialog>) that resolves true only on the confirm button. */
import { h } from './element.ts';

export function confirmDialog(host: HTMLElement, options: { title: string; body: string; confirm: string; danger?: boolean }): Promise<boolean> {
  const confirmButton = h('button', { type: 'button', class: options.danger ? 'lab-button lab-button-danger' : 'lab-button lab-button-primary', value: 'confirm' }, options.confirm);
  const cancelButton = h('button', { type: 'button', class: 'lab-button', value: 'cancel' }, 'Cancel');
  const titleId = `dialog-${Math.random().toString(36).slice(2, 8)}`;
  const dialog = h(
    'dialog',
    { class: 'lab-dialog', 'aria-labelledby': titleId },
    h('h3', { id: titleId }, options.title),
    h('p', {}, options.body),
    h('div', { class: 'lab-dialog-actions' }, cancelButton, confirmButton),
  );
  host.append(dialog);
  return new Promise((resolve) => {
    const finish = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    confirmButton.addEventListener('click', () => finish(true));
    cancelButton.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    dialog.showModal();
    cancelButton.focus();
  });
}

/** A modal that shows content with a Close button. */
export function showDialog(host: HTMLElement, title: string, ...content: (Node | string)[]): void {
  const close = h('button', { type: 'button', class: 'lab-button' }, 'Close');
  const titleId = `dialog-${Math.random().toString(36).slice(2, 8)}`;
  const dialog = h('dialog', { class: 'lab-dialog lab-dialog-wide', 'aria-labelledby': titleId }, h('h3', { id: titleId }, title), ...content, h('div', { class: 'lab-dialog-actions' }, close));
  host.append(dialog);
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
}
