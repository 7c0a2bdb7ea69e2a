/**
 * Recordings the learner took: the WAV files in the lab's downloads/ folder, played in the page.
 * The bytes come through the runtime and play from a Blob URL (the files only exist inside
 * the lab, never on the site).
 */
import type { LabSession } from '../runtimes/runtime.ts';
import { h } from './element.ts';
import { DOWNLOADS_DIR } from '../../sandboxes/checks/learner-files/learner-file-names.ts';

/** Lab-relative paths of the WAV files under downloads/ among the learner's outputs. */
export function recordingPaths(outputs: readonly { path: string }[]): string[] {
  return outputs
    .map((output) => output.path)
    .filter((path) => path.startsWith(`${DOWNLOADS_DIR}/`) && /\.wav$/i.test(path))
    .sort();
}

export function createRecordingsView(root: HTMLElement, session: () => Pick<LabSession, 'listOutputs' | 'readFile'>) {
  const list = h('ul', { class: 'lab-recordings-list' });
  const empty = h('p', { class: 'lab-muted' }, 'No recordings yet. Files ending in .wav that you save into downloads/ show up here.');
  const refreshButton = h('button', { type: 'button', class: 'lab-button' }, 'Refresh');
  const player = h('audio', { controls: true, class: 'lab-audio', 'aria-label': 'Recording player' });
  const nowPlaying = h('p', { class: 'lab-muted', role: 'status' });
  root.append(h('div', { class: 'lab-row' }, h('h3', { class: 'lab-subheading' }, 'Recordings in downloads/'), refreshButton), empty, list, nowPlaying, player);
  let url: string | undefined;

  async function play(path: string): Promise<void> {
    try {
      const bytes = await session().readFile(path);
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'audio/wav' }));
      player.src = url;
      player.dataset.path = path;
      nowPlaying.textContent = `Playing ${path}`;
      await player.play().catch(() => undefined);
    } catch (error) {
      nowPlaying.textContent = `Cannot play ${path}: ${(error as Error).message}`;
    }
  }

  /** Lists the recordings again, from outputs just listed or by asking the lab. */
  async function refresh(outputs?: readonly { path: string }[]): Promise<void> {
    const paths = recordingPaths(outputs ?? (await session().listOutputs().catch(() => [])));
    empty.hidden = paths.length > 0;
    list.replaceChildren(
      ...paths.map((path) => {
        const button = h('button', { type: 'button', class: 'lab-link-button', 'data-recording': path }, `▶ Play ${path.slice(DOWNLOADS_DIR.length + 1)}`);
        button.addEventListener('click', () => void play(path));
        return h('li', {}, button);
      }),
    );
  }

  refreshButton.addEventListener('click', () => void refresh());
  return { refresh, play };
}
