/**
 * The running lab panel, loaded with import() when the panel starts: takes the lab's
 * connection (lab-connection.ts picks the runtime and mounts the lab while this code loads),
 * restores the learner's saved work, and wires the panel's parts to the lab
 * session (the runtime's lab operations, src/runtimes/runtime.ts). Each part is a module of
 * its own, made with the slice of the session it needs, so it can be tested against a fake:
 * the terminal (terminal-part.ts), checks (checks-part.ts), files (files-part.ts), the
 * learner's outputs and recordings (outputs-part.ts), the solution (solution-part.ts), the
 * guided/challenge mode (hints-view.ts) and the hand-in (hand-in-panel.ts). What stays here
 * is what spans parts: the dock that holds them, restoring saved work, and reset.
 */
import { RuntimeError, type LabSession } from '../runtimes/runtime.ts';
import { h } from './element.ts';
import type { LabMetaJson } from './lab-meta.ts';
import type { LabConnection } from './lab-connection.ts';
import { createLabStorage, type LabStorage, type SavedLab } from './lab-storage.ts';
import { confirmDialog } from './confirm-dialog.ts';
import { createDockTabs } from './dock-tabs.ts';
import { createNotices, type Notify } from './lab-notices.ts';
import { holdPressesUntil } from './held-presses.ts';
import { createChecksPart } from './checks-part.ts';
import { createFilesPart } from './files-part.ts';
import { createOutputsPart } from './outputs-part.ts';
import { createSolutionPart } from './solution-part.ts';
import { createTerminalPart } from './terminal-part.ts';
import { createModeView } from './hints-view.ts';
import { attachHandIn } from './hand-in-panel.ts';
import { takeFocusRequest, whenIdle } from './lab-focus.ts';

export async function startWorkbench(panel: HTMLElement, connection: LabConnection): Promise<void> {
  const status = panel.querySelector<HTMLElement>('[data-lab-status]')!;
  const intro = panel.querySelector<HTMLElement>('[data-lab-intro]')!;
  const body = panel.querySelector<HTMLElement>('[data-lab-body]')!;
  const runtimeBadge = panel.querySelector<HTMLElement>('[data-lab-runtime]');
  const { labId, choice, mounted } = connection;

  const fail = (error: unknown) => {
    panel.dataset.state = 'failed';
    intro.hidden = false;
    const message = error instanceof Error ? error.message : String(error);
    status.replaceChildren(h('strong', {}, message));
    if (error instanceof RuntimeError && error.help) status.append(h('span', { class: 'lab-help' }, error.help));
    panel.querySelector<HTMLButtonElement>('[data-lab-start]')?.setAttribute('hidden', '');
  };

  let meta: LabMetaJson;
  let session: LabSession;
  try {
    // The lab is already connecting (lab-connection.ts) while this code and the terminal's load.
    // The learner's saved work and the progress store are read while the lab mounts, not
    // after: the shell waits for the saved files (restoreSavedWork), and opening IndexedDB
    // took 100-300 ms of the time to a prompt when it came after the mount (bench/lab).
    const storage = createLabStorage();
    const savedWork = storage.load(labId).catch((error: Error) => ({ saved: undefined, warning: `Saved work is unavailable: ${error.message}` }));
    const progress = import('../progress/browser-progress.ts');
    progress.catch(() => undefined);
    const [loadedMeta, runtime, terminalModule] = await Promise.all([connection.meta, connection.runtime, import('./terminal-view.ts')]);
    meta = loadedMeta;
    performance.mark('lab:modules-loaded');
    const title = panel.querySelector<HTMLElement>('.lab-bar-title');
    if (title) title.replaceChildren(h('span', { class: 'lab-bar-kicker' }, 'Lab'), ` ${meta.title}`);
    if (runtimeBadge) {
      runtimeBadge.textContent = runtime.label;
      runtimeBadge.title = `Runtime: ${runtime.label} (${choice.reason}). Add ?runtime=local or ?runtime=webcontainer to the address to choose.`;
      runtimeBadge.dataset.runtime = runtime.kind;
    }
    status.textContent =
      choice.kind === 'webcontainer'
        ? 'Starting the lab in your browser… The first start downloads the runtime from stackblitz.com and can take a few seconds.'
        : 'Starting the lab on your machine…';
    session = await mounted;
    performance.mark('lab:mounted');
    addEventListener('pagehide', () => void runtime.teardown());
    await runWorkbench({ panel, body, intro, status, meta, session, storage, savedWork, progress: await progress, views: { terminal: terminalModule } });
  } catch (error) {
    fail(error);
  }
}

interface WorkbenchContext {
  panel: HTMLElement;
  body: HTMLElement;
  intro: HTMLElement;
  status: HTMLElement;
  meta: LabMetaJson;
  session: LabSession;
  storage: LabStorage;
  /** The learner's saved work for this lab, being read from storage (LabStorage.load). */
  savedWork: Promise<{ saved?: SavedLab; warning?: string }>;
  progress: typeof import('../progress/browser-progress.ts');
  views: { terminal: typeof import('./terminal-view.ts') };
}

/** Writes the learner's saved work back into the lab, before the lab shell starts its world with the files. */
async function restoreSavedWork(session: LabSession, savedWork: WorkbenchContext['savedWork'], notice: Notify): Promise<void> {
  const restored = await savedWork;
  if (restored.warning) notice(restored.warning, 'warning');
  const saved = restored.saved;
  if (!saved) return;
  for (const [path, text] of Object.entries(saved.files)) await session.writeFile(path, text).catch(() => undefined);
  for (const [path, bytes] of Object.entries(saved.downloads)) await session.writeFile(path, bytes).catch(() => undefined);
  if (Object.keys(saved.files).length + Object.keys(saved.downloads).length > 0) notice('Your saved work for this lab was restored.');
}

async function runWorkbench({ panel, body, intro, status, meta, session, storage, savedWork, progress, views }: WorkbenchContext): Promise<void> {
  const labId = meta.id;
  const { element: notices, notice } = createNotices();

  const terminal = createTerminalPart(views.terminal, { labId, session });

  // The dock's parts, each in its own module; this function only connects them to the session
  // and to each other.
  const dock = createDockTabs(['Checks', 'Files', 'Recordings'] as const);
  const outputs = createOutputsPart(dock.panels.Recordings, { labId, session, storage });
  const files = createFilesPart(dock.panels.Files, { lab: meta, session, storage, outputPaths: () => outputs.paths(), notice });
  let handIn: ReturnType<typeof attachHandIn> | undefined;
  const checks = createChecksPart({
    panel,
    lab: meta,
    session,
    progress,
    notice,
    unsavedPaths: () => files.unsavedPaths(),
    afterReport: (report) => handIn?.afterReport(report),
    afterRun: () => outputs.syncDownloads().catch(() => undefined),
  });
  const solution = createSolutionPart({
    host: panel,
    lab: meta,
    session,
    progress,
    applyToEditor: (path, text) => {
      files.edit(path, text);
      dock.select('Files');
    },
  });
  const resetButton = h('button', { type: 'button', class: 'lab-button', 'data-lab-reset': true }, 'Reset lab');
  const actions = h('div', { class: 'lab-row lab-actions' }, checks.runButton, h('span', { class: 'lab-spacer' }), resetButton, solution.button);
  dock.panels.Checks.append(createModeView(meta, progress), actions, checks.summary, checks.list);
  handIn = attachHandIn({ panel, actions, checkList: checks.list, session, lab: meta });
  // The editor and the file list load after the prompt: a press on these buttons before that
  // is kept and carried out then, not silently lost.
  let markReady: () => void = () => undefined;
  holdPressesUntil(actions, '[data-lab-run-checks], [data-lab-reset], [data-lab-solution]', new Promise<void>((resolve) => (markReady = resolve)));
  body.replaceChildren(notices, terminal.area, h('div', { class: 'lab-dock' }, dock.tablist, ...Object.values<HTMLElement>(dock.panels)));
  intro.hidden = true;
  body.hidden = false;

  // Restore saved work before anything reads the files.
  await restoreSavedWork(session, savedWork, notice);

  await terminal.start();
  performance.mark('lab:shell-opened');
  // Focus moves into the terminal only when the learner asked for the lab (src/sandbox/lab-focus.ts).
  const focusRequested = takeFocusRequest(panel);
  panel.dataset.state = 'running';
  status.textContent = '';
  if (focusRequested) terminal.focus();

  // Editor: not needed for the prompt, so its code loads once the page is idle.
  await whenIdle();
  await files.start((await import('./editor-view.ts')).createEditorPanel);
  await outputs.start({ running: () => panel.dataset.state === 'running' });
  dock.tab('Recordings').addEventListener('click', () => void outputs.refresh());
  addEventListener('pagehide', () => outputs.stop());

  // Reset touches every part, so it lives here: the browser's copy, the lab, the shell, the
  // editor, the recordings and the checks all go back to the start.
  resetButton.addEventListener('click', async () => {
    const ok = await confirmDialog(panel, {
      title: 'Reset this lab?',
      body: 'Your edited files, your downloads and the lab data go back to how they were at the start. This cannot be undone.',
      confirm: 'Reset lab',
      danger: true,
    });
    if (!ok) return;
    panel.dataset.state = 'resetting';
    checks.say('Resetting the lab…');
    try {
      terminal.letShellGo();
      await storage.clear(labId);
      outputs.forgetStored();
      await session.reset();
      await terminal.restart();
      await files.reload();
      await outputs.refresh();
      checks.clear('The lab is back to its starting files.');
      panel.dataset.state = 'running';
    } catch (error) {
      checks.say(`Reset failed: ${(error as Error).message}`);
      panel.dataset.state = 'running';
    }
  });
  markReady();
}
