/**
 * The lab's connection, started by the panel element the moment the lab starts, before the
 * workbench's code has arrived: picks the runtime, mounts the lab with the learner's seed and
 * fetches the lab's meta. Opening the lab socket only once the workbench had loaded put that
 * chunk's download (with its parts) in front of the connection; measured with bench/lab on a
 * busy machine, that was 300-800 ms. The workbench (lab-workbench.ts) takes it from here.
 */
import { choosePageRuntime, createRuntime, type RuntimeChoice } from '../runtimes/select-runtime.ts';
import type { LabSession, Runtime } from '../runtimes/runtime.ts';
import { fetchLabMeta, type LabMetaJson } from './lab-meta.ts';

export interface LabConnection {
  labId: string;
  choice: RuntimeChoice;
  runtime: Promise<Runtime>;
  /** The mounted lab; rejects with the runtime's error (shown by the workbench). */
  mounted: Promise<LabSession>;
  meta: Promise<LabMetaJson>;
}

export function connectLab(labId: string): LabConnection {
  // Marks for bench/lab.ts: where the time to a prompt goes.
  performance.mark('lab:start');
  const choice = choosePageRuntime();
  const runtime = createRuntime(choice.kind);
  // The learner's seed makes their lab world their own (src/progress); a browser that blocks
  // storage still gets a lab, with a seed for this page only.
  const seed = import('../progress/browser-learner.ts').then((learner) => learner.getLearnerSeed(), () => undefined);
  const mounted = Promise.all([runtime, seed]).then(([ready, learnerSeed]) => ready.mount(labId, { seed: learnerSeed }));
  const meta = fetchLabMeta(labId);
  // Whoever awaits these reports their errors; until then they must not count as unhandled.
  for (const pending of [runtime, mounted, meta]) pending.catch(() => undefined);
  return { labId, choice, runtime, mounted, meta };
}
