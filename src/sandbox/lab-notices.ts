/**
 * Notices above the terminal: what the panel did on the learner's behalf (work restored) or
 * could not do (saved in the lab but not in this browser). Each can be dismissed; they stay
 * otherwise, since a warning that fades away can be missed.
 */
import { h } from './element.ts';

export type NoticeKind = 'info' | 'warning';
export type Notify = (text: string, kind?: NoticeKind) => void;

export function createNotices(): { element: HTMLElement; notice: Notify } {
  const element = h('div', { class: 'lab-notices', role: 'status' });
  const notice: Notify = (text, kind = 'info') => {
    const item = h('p', { class: `lab-notice lab-notice-${kind}` }, text);
    const dismiss = h('button', { type: 'button', class: 'lab-link-button', 'aria-label': 'Dismiss' }, '×');
    dismiss.addEventListener('click', () => item.remove());
    item.append(dismiss);
    element.append(item);
  };
  return { element, notice };
}
