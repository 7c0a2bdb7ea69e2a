/**
 * <course-hand-in> on the course page: joins the class a join link names (asking, once and
 * optionally, for a name or e-mail), shows the class and this learner's own results, and
 * offers one archive with the latest work of every lab. The archive code (fflate) loads only
 * when asked for.
 */
import { joinClass, leaveClass, membershipFromLocation, myResults, readMembership, type ClassMembership } from './hand-in-classroom.ts';
import { createLearnerStore } from '../progress/learner-identity.ts';
import { h } from './element.ts';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

class CourseHandInElement extends HTMLElement {
  private readonly learners = createLearnerStore({ storage: storage() });

  connectedCallback(): void {
    this.querySelector<HTMLButtonElement>('[data-hand-in-all]')?.addEventListener('click', () => void this.downloadAll());
    const invited = membershipFromLocation(location.search);
    if (invited) this.offerJoin(invited);
    else void this.showClass();
  }

  private get status(): HTMLElement {
    return this.querySelector<HTMLElement>('[data-hand-in-status]')!;
  }

  private get classBox(): HTMLElement {
    return this.querySelector<HTMLElement>('[data-hand-in-class]')!;
  }

  private offerJoin(target: ClassMembership): void {
    const learner = this.learners.getLearner();
    const name = h('input', { type: 'text', class: 'hand-in-name', maxlength: '120', autocomplete: 'email', value: learner.name ?? '', 'data-hand-in-name': true, 'aria-label': 'Your name or e-mail (optional)' });
    const join = h('button', { type: 'button', class: 'button primary', 'data-hand-in-join': true }, 'Join the class');
    this.classBox.replaceChildren(
      h('p', {}, h('strong', {}, 'You were invited to a class. '), `Joining sends your lab results to the classroom at ${target.origin} (class ${target.code}) when a lab's checks pass; only your instructor and you see them.`),
      h('label', {}, 'Your name or e-mail (optional) ', name),
      join,
    );
    this.classBox.hidden = false;
    join.addEventListener('click', async () => {
      join.disabled = true;
      try {
        const identity = name.value.trim() ? this.learners.setName(name.value) : this.learners.getLearner();
        await joinClass(target, { id: identity.id, ...(identity.name ? { name: identity.name } : {}) });
        history.replaceState(null, '', location.pathname + location.hash);
        await this.showClass();
      } catch (error) {
        this.status.textContent = `Could not join the class: ${(error as Error).message}`;
        join.disabled = false;
      }
    });
  }

  private async showClass(): Promise<void> {
    const membership = readMembership();
    if (!membership?.token) {
      this.classBox.hidden = true;
      return;
    }
    const leave = h('button', { type: 'button', class: 'button', 'data-hand-in-leave': true }, 'Leave the class');
    const list = h('ul', { 'data-hand-in-results': true });
    this.classBox.replaceChildren(h('p', { 'data-hand-in-joined': true }, `You are in the class "${membership.className ?? membership.code}". Labs you pass are handed in automatically.`), list, leave);
    this.classBox.hidden = false;
    leave.addEventListener('click', () => {
      leaveClass();
      this.classBox.hidden = true;
    });
    try {
      const results = await myResults();
      list.replaceChildren(
        ...results.slice(0, 20).map((item) =>
          h('li', {}, `${item.lab}: `, item.result ? `${item.result.status} (${item.result.passedCount} of ${item.result.total} checks)` : 'waiting to be graded', item.result?.failures.length ? ` - ${item.result.failures.map((f) => `${f.title}: ${f.reason}`).join('; ')}` : ''),
        ),
      );
    } catch (error) {
      list.replaceChildren(h('li', {}, `Your results cannot be shown right now: ${(error as Error).message}`));
    }
  }

  private async downloadAll(): Promise<void> {
    try {
      const { buildAllLabsArchive, offerDownload } = await import('./hand-in.ts');
      const all = await buildAllLabsArchive();
      if (all.labs.length === 0) {
        this.status.textContent = "Nothing to download yet: a lab's work is kept in this browser once its checks have run.";
        return;
      }
      const who = this.learners.getLearner().name?.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      offerDownload(all.bytes, `cloudpets-all-labs${who ? `-${who}` : ''}.zip`);
      this.status.textContent = `Downloaded your latest work for ${all.labs.length} lab(s): ${all.labs.join(', ')}.`;
    } catch (error) {
      this.status.textContent = `Could not pack your work: ${(error as Error).message}`;
    }
  }
}

if (!customElements.get('course-hand-in')) customElements.define('course-hand-in', CourseHandInElement);
