/**
 * The running lab panel, loaded with import() when the panel starts: picks the runtime,
 * mounts the lab, restores the learner's saved work, and wires the terminal, the editor,
 * the checks and the recordings to it.
 */
import { choosePageRuntime, createRuntime } from '../runtimes/select-runtime.ts';
import { RuntimeError, type LabSession, type Shell } from '../runtimes/runtime.ts';
import { h } from './element.ts';
import { fetchLabMeta, type LabMetaJson } from './lab-meta.ts';
import { createLabStorage, type LabStorage } from './lab-storage.ts';
import { renderCheckReport, renderPendingChecks } from './checks-view.ts';
import type { CheckReport } from '../../sandboxes/checks/types.ts';
import { createRecordingsView, DOWNLOADS_DIR } from './recordings-view.ts';
import { confirmDialog, showDialog } from './confirm-dialog.ts';
import { createModeView } from './hints-view.ts';
import { attachHandIn } from './hand-in-panel.ts';
import { takeFocusRequest, whenIdle } from './lab-focus.ts';

const decoder = new TextDecoder();
const DOWNLOADS_SYNC_MS = 3000;
const DOWNLOADS_LIMIT_BYTES = 32 * 1024 * 1024;

function tabbed(names: string[]) {
  const tablist = h('div', { class: 'lab-dock-tabs', role: 'tablist', 'aria-label': 'Lab tools' });
  const panels = names.map((name, index) => {
    const id = `lab-dock-${name.toLowerCase()}-${Math.random().toString(36).slice(2, 7)}`;
    const tab = h('button', { type: 'button', role: 'tab', id: `${id}-tab`, 'aria-controls': id, class: 'lab-dock-tab', 'data-dock': name }, name);
    const panel = h('div', { role: 'tabpanel', id, 'aria-labelledby': `${id}-tab`, class: 'lab-dock-panel', hidden: index !== 0 });
    tablist.append(tab);
    return { name, tab, panel };
  });
  const select = (name: string) => {
    for (const entry of panels) {
      const active = entry.name === name;
      entry.tab.setAttribute('aria-selected', String(active));
      entry.tab.tabIndex = active ? 0 : -1;
      entry.panel.hidden = !active;
    }
  };
  for (const entry of panels) entry.tab.addEventListener('click', () => select(entry.name));
  tablist.addEventListener('keydown', (event) => {
    const index = panels.findIndex((entry) => entry.tab.getAttribute('aria-selected') === 'true');
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = panels[(index + step + panels.length) % panels.length]!;
    select(next.name);
    next.tab.focus();
  });
  select(names[0]!);
  return { tablist, panels: Object.fromEntries(panels.map((entry) => [entry.name, entry.panel])) as Record<string, HTMLElement>, select };
}

export async function startWorkbench(panel: HTMLElement, labId: string): Promise<void> {
  const status = panel.querySelector<HTMLElement>('[data-lab-status]')!;
  const intro = panel.querySelector<HTMLElement>('[data-lab-intro]')!;
  const body = panel.querySelector<HTMLElement>('[data-lab-body]')!;
  const runtimeBadge = panel.querySelector<HTMLElement>('[data-lab-runtime]');
  const choice = choosePageRuntime();

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
  // Marks for bench/lab.ts: where the time to a prompt goes.
  performance.mark('lab:start');
  try {
    // Connect to the runtime while the terminal code loads: both take a moment.
    const runtimeReady = createRuntime(choice.kind);
    // The learner's seed makes their lab world their own (src/progress); a browser that blocks
    // storage still gets a lab, with a seed for this page only.
    const seed = import('../progress/browser-learner.ts').then((learner) => learner.getLearnerSeed(), () => undefined);
    const mounted = Promise.all([runtimeReady, seed]).then(([runtime, learnerSeed]) => runtime.mount(labId, { seed: learnerSeed }));
    mounted.catch(() => undefined);
    const [loadedMeta, runtime, terminalModule] = await Promise.all([fetchLabMeta(labId), runtimeReady, import('./terminal-view.ts')]);
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
    await runWorkbench({ panel, body, intro, status, meta, session, storage: createLabStorage(), views: { terminal: terminalModule } });
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
  views: { terminal: typeof import('./terminal-view.ts') };
}

async function runWorkbench({ panel, body, intro, status, meta, session, storage, views }: WorkbenchContext): Promise<void> {
  const labId = meta.id;
  const notices = h('div', { class: 'lab-notices', role: 'status' });

  // Terminal area
  const srToggle = h('button', { type: 'button', class: 'lab-link-button', 'aria-pressed': 'false' }, 'Screen reader mode');
  const terminalHost = h('div', { class: 'lab-terminal' });
  const keyHelp = views.terminal.createTerminalKeyHelp();
  const terminalArea = h(
    'section',
    { class: 'lab-terminal-area', 'aria-label': 'Terminal' },
    h('div', { class: 'lab-terminal-bar' }, h('span', { class: 'lab-terminal-title' }, `~/${labId}`), keyHelp, srToggle),
    terminalHost,
  );

  // Dock: checks, files, recordings
  const dock = tabbed(['Checks', 'Files', 'Recordings']);
  const runButton = h('button', { type: 'button', class: 'lab-button lab-button-primary', 'data-lab-run-checks': true }, 'Run checks');
  const resetButton = h('button', { type: 'button', class: 'lab-button', 'data-lab-reset': true }, 'Reset lab');
  const solutionButton = h('button', { type: 'button', class: 'lab-button', 'data-lab-solution': true }, 'Show solution');
  const summary = h('p', { class: 'lab-checks-summary', role: 'status', 'aria-live': 'polite' }, 'Checks have not run yet.');
  const checkList = h('ul', { class: 'lab-checks', 'aria-label': 'Checks' });
  dock.panels.Checks!.append(
    createModeView(meta, await import('../progress/browser-progress.ts')),
    h('div', { class: 'lab-row lab-actions' }, runButton, h('span', { class: 'lab-spacer' }), resetButton, solutionButton),
    summary,
    checkList,
  );
  renderPendingChecks(checkList, meta.checks);
  const handIn = attachHandIn({ panel, actions: dock.panels.Checks!.querySelector<HTMLElement>('.lab-actions')!, checkList, session, lab: meta });
  // The buttons' handlers are attached once the editor and file list are loaded (after the
  // prompt): a press before that is kept and carried out then, not silently lost.
  let markWired: () => void = () => undefined;
  const wired = new Promise<void>((resolve) => (markWired = resolve));
  for (const button of [runButton, resetButton, solutionButton]) {
    let queued = false;
    button.addEventListener('click', () => {
      if (button.dataset.wired || queued) return;
      queued = true;
      void wired.then(() => button.click());
    });
  }
  const editorRoot = h('div', { class: 'lab-editor' });
  const fileSelect = h('select', { class: 'lab-select', 'aria-label': 'Open another lab file (read-only)' }, h('option', { value: '' }, 'Open another file (read-only)…'));
  dock.panels.Files!.append(h('div', { class: 'lab-row lab-files-bar' }, fileSelect), editorRoot);
  const recordingsRoot = h('div', { class: 'lab-recordings' });
  dock.panels.Recordings!.append(recordingsRoot);
  body.replaceChildren(notices, terminalArea, h('div', { class: 'lab-dock' }, dock.tablist, ...Object.values(dock.panels)));
  intro.hidden = true;
  body.hidden = false;

  const notice = (text: string, kind: 'info' | 'warning' = 'info') => {
    const item = h('p', { class: `lab-notice lab-notice-${kind}` }, text);
    const dismiss = h('button', { type: 'button', class: 'lab-link-button', 'aria-label': 'Dismiss' }, '×');
    dismiss.addEventListener('click', () => item.remove());
    item.append(dismiss);
    notices.append(item);
  };

  // Restore saved work before anything reads the files.
  const restored = await storage.load(labId).catch((error: Error) => ({ saved: undefined, warning: `Saved work is unavailable: ${error.message}` }));
  if (restored.warning) notice(restored.warning, 'warning');
  const writeSaved = async () => {
    const saved = restored.saved;
    if (!saved) return;
    for (const [path, text] of Object.entries(saved.files)) await session.writeFile(path, text).catch(() => undefined);
    for (const [path, bytes] of Object.entries(saved.downloads)) await session.writeFile(path, bytes).catch(() => undefined);
    if (Object.keys(saved.files).length + Object.keys(saved.downloads).length > 0) notice('Your saved work for this lab was restored.');
    // Restored before the lab shell opens: the world it starts already uses the restored files.
  };
  await writeSaved();

  // Terminal
  const terminal = views.terminal.createTerminalView(terminalHost, { keyHelp });
  srToggle.addEventListener('click', () => {
    const on = srToggle.getAttribute('aria-pressed') !== 'true';
    srToggle.setAttribute('aria-pressed', String(on));
    terminal.setScreenReaderMode(on);
  });
  let shell: Shell | undefined;
  const openShell = async () => {
    shell = await session.openShell(terminal.size());
    terminal.attach(shell);
    const mine = shell;
    void mine.exit.then(() => {
      if (shell !== mine) return;
      terminal.terminal.write('\r\n\x1b[33m[The shell ended. Press Enter for a new one.]\x1b[0m\r\n');
      const listener = terminal.terminal.onData(() => {
        listener.dispose();
        terminal.terminal.reset();
        void openShell();
      });
    });
  };
  await openShell();
  performance.mark('lab:shell-opened');
  // Focus moves into the terminal only when the learner asked for the lab (src/sandbox/lab-focus.ts).
  const focusRequested = takeFocusRequest(panel);
  panel.dataset.state = 'running';
  status.textContent = '';
  if (focusRequested) terminal.focus();

  // Editor: not needed for the prompt, so its code loads once the page is idle.
  await whenIdle();
  const editor = (await import('./editor-view.ts')).createEditorPanel(editorRoot, async (path, text) => {
    await session.writeFile(path, text);
    await storage.saveFile(labId, path, text).catch((error: Error) => notice(`Saved in the lab, but not in this browser: ${error.message}`, 'warning'));
  });
  const loadEditable = async () => {
    for (const path of meta.editable) {
      const text = await session.readFile(path).then((bytes) => decoder.decode(bytes), () => '');
      editor.open({ path, text, editable: true }, { select: false });
      editor.replace(path, text);
    }
  };
  await loadEditable();
  const refreshFileSelect = async () => {
    // The learner's outputs (what they saved and found), besides the editable files.
    // The lab's starting files (from its meta) and the learner's outputs, besides the editable files.
    const outputs = (await session.listOutputs().catch(() => [])).map((output) => output.path);
    const files = [...new Set([...(meta.files ?? []), ...outputs])]
      .filter((path) => !meta.editable.includes(path) && !/\.wav$/i.test(path))
      .sort();
    fileSelect.replaceChildren(fileSelect.options[0]!, ...files.map((path) => h('option', { value: path }, path)));
  };
  fileSelect.addEventListener('focus', () => void refreshFileSelect());
  fileSelect.addEventListener('change', async () => {
    const path = fileSelect.value;
    fileSelect.value = '';
    if (!path) return;
    const bytes = await session.readFile(path).catch(() => undefined);
    if (!bytes) return notice(`Cannot open ${path}: it is gone.`, 'warning');
    editor.open({ path, text: decoder.decode(bytes.slice(0, 512 * 1024)), editable: false });
  });
  await refreshFileSelect();

  // Recordings and downloads persistence
  const recordings = createRecordingsView(recordingsRoot, () => session);
  await recordings.refresh();
  dock.tablist.querySelector('[data-dock="Recordings"]')!.addEventListener('click', () => void recordings.refresh());
  let downloadsSignature = '';
  let downloadsListing = '';
  const syncDownloads = async () => {
    const entries = (await session.listOutputs()).filter((output) => output.path.startsWith(`${DOWNLOADS_DIR}/`));
    // An unchanged listing means unchanged downloads: skip reading every file again (this runs
    // every few seconds).
    const listing = entries.map((e) => `${e.path}:${e.version}`).join('|');
    if (listing === downloadsListing) return;
    downloadsListing = listing;
    const downloads: Record<string, Uint8Array> = {};
    let total = 0;
    for (const { path } of entries) {
      const bytes = await session.readFile(path).catch(() => undefined);
      if (!bytes || total + bytes.length > DOWNLOADS_LIMIT_BYTES) continue;
      total += bytes.length;
      downloads[path] = bytes;
    }
    const signature = Object.entries(downloads)
      .map(([path, bytes]) => `${path}:${bytes.length}:${bytes.slice(0, 64).join(',')}`)
      .join('|');
    if (signature === downloadsSignature) return;
    downloadsSignature = signature;
    await storage.saveDownloads(labId, downloads);
    await recordings.refresh();
  };
  // Checks typed in the terminal leave their report in the lab folder; show it here too.
  let shownReportAt = '';
  const showReport = async (report: CheckReport): Promise<void> => {
    shownReportAt = report.startedAt ?? shownReportAt;
    renderCheckReport(checkList, report);
    summary.textContent = report.passed
      ? `All ${report.total} checks pass. Lesson done!`
      : `${report.passedCount} of ${report.total} checks pass.`;
    panel.dataset.checks = report.passed ? 'passed' : 'failed';
    void handIn.afterReport(report);
    if (report.passed) {
      const { markLabPassed } = await import('../progress/browser-progress.ts');
      markLabPassed(labId);
    }
  };
  // Every new report (from the button or `checks` typed in the terminal) comes from the runtime.
  session.onReport((report) => {
    if (report.lab === labId && report.startedAt !== shownReportAt) void showReport(report);
  });
  let syncing = false;
  const downloadsTimer = setInterval(() => {
    if (syncing || document.hidden || panel.dataset.state !== 'running') return;
    syncing = true;
    void syncDownloads()
      .catch(() => undefined)
      .finally(() => (syncing = false));
  }, DOWNLOADS_SYNC_MS);
  addEventListener('pagehide', () => clearInterval(downloadsTimer));

  // Checks
  runButton.addEventListener('click', async () => {
    // aria-disabled, not disabled: a disabled button loses focus to the page body.
    if (runButton.getAttribute('aria-disabled') === 'true') return;
    runButton.setAttribute('aria-disabled', 'true');
    panel.dataset.checks = 'running';
    summary.textContent = 'Running checks… (the lab services restart with your files)';
    try {
      for (const path of meta.editable) {
        if (editor.isDirty(path)) notice(`${path} has unsaved changes: the checks use the saved version.`, 'warning');
      }
      await showReport(await session.runChecks());
    } catch (error) {
      panel.dataset.checks = 'error';
      summary.textContent = `The checks could not run: ${(error as Error).message}`;
    } finally {
      runButton.removeAttribute('aria-disabled');
      void syncDownloads().catch(() => undefined);
    }
  });

  resetButton.addEventListener('click', async () => {
    const ok = await confirmDialog(panel, {
      title: 'Reset this lab?',
      body: 'Your edited files, your downloads and the lab data go back to how they were at the start. This cannot be undone.',
      confirm: 'Reset lab',
      danger: true,
    });
    if (!ok) return;
    panel.dataset.state = 'resetting';
    summary.textContent = 'Resetting the lab…';
    try {
      shell = undefined;
      await storage.clear(labId);
      restored.saved = undefined;
      downloadsSignature = '';
      await session.reset();
      terminal.terminal.reset();
      await openShell();
      editor.closeReadOnly();
      await loadEditable();
      await recordings.refresh();
      renderPendingChecks(checkList, meta.checks);
      summary.textContent = 'The lab is back to its starting files.';
      panel.dataset.checks = '';
      panel.dataset.state = 'running';
    } catch (error) {
      summary.textContent = `Reset failed: ${(error as Error).message}`;
      panel.dataset.state = 'running';
    }
  });

  solutionButton.addEventListener('click', async () => {
    const ok = await confirmDialog(panel, {
      title: 'Show the solution?',
      body: 'You will see the reference answer. The lesson is then marked as done with help.',
      confirm: 'Show solution',
    });
    if (!ok) return;
    const parts: Node[] = [];
    if (meta.solutionScript) {
      const script = await session.readFile(meta.solutionScript).then((bytes) => decoder.decode(bytes), () => '');
      parts.push(h('p', {}, 'The commands to type in the terminal:'), h('pre', { class: 'lab-solution' }, script));
    }
    for (const path of meta.solutionFiles) {
      const text = await session.readFile(path).then((bytes) => decoder.decode(bytes), () => '');
      const target = path.replace(/^\.lab\/solution\//, '');
      const apply = h('button', { type: 'button', class: 'lab-button' }, `Put into ${target} (then Save)`);
      apply.addEventListener('click', () => {
        editor.edit(target, text);
        dock.select('Files');
        apply.textContent = 'Now in the editor: press Save';
      });
      parts.push(h('h4', {}, target), h('pre', { class: 'lab-solution' }, text));
      if (meta.editable.includes(target)) parts.push(apply);
    }
    if (parts.length === 0) parts.push(h('p', {}, 'This lab has no written solution; the hints and the lesson explain each step.'));
    showDialog(panel, `Solution: ${meta.title}`, ...parts);
    const { markLabPassed } = await import('../progress/browser-progress.ts');
    markLabPassed(labId, { withHelp: true });
  });
  for (const button of [runButton, resetButton, solutionButton]) button.dataset.wired = 'true';
  markWired();
}
