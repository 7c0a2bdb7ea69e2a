/**
 * The lab host: what a lab folder needs besides the shell itself: its world (a child process,
 * lab-session/lab-world.ts), the lab's one-time setup, the checks (run in this process, report
 * saved to .lab/reports/last.json and announced to followers) and, for a terminal session, the
 * control server the runtimes use. The lab shell, `npm run checks` and the tests share it.
 */
import type { LabWorld, StartResult } from '../lab-session/lab-world.ts';
import { labWorld } from '../lab-session/session.ts';
import { startControlServer, type ControlServer } from '../lab-session/control-server.ts';
import { readLabInfo } from '../lab-folder/lab-info.ts';
import type { RunOptions } from '../checks/run-checks.ts';
import type { CheckReport, LabDefinition } from '../checks/types.ts';

// The checks (and through them every lab's definition and the mongodb driver) load when first
// needed, not before the first prompt: the prompt comes sooner.
const checksModule = () => import('../checks/run-checks.ts');
const registryModule = () => import('../labs/registry.ts');

export class LabHost {
  readonly labDir: string;
  readonly labId: string;
  readonly title: string;
  readonly world: LabWorld;
  #control: ControlServer | undefined;
  readonly #reportListeners = new Set<(report: CheckReport) => void>();

  constructor(labDir: string) {
    this.labDir = labDir;
    const info = readLabInfo(labDir);
    this.labId = info.id;
    this.title = info.title ?? info.id;
    this.world = labWorld(labDir);
  }

  /** Starts the world if it does not run, then the lab's one-time setup (the raid, the theft). */
  async startWorld(): Promise<StartResult> {
    const started = await this.world.start();
    return started.ok ? this.#setup(started) : started;
  }

  async restartWorld(): Promise<StartResult> {
    const started = await this.world.restart();
    return started.ok ? this.#setup(started) : started;
  }

  async #setup(started: Extract<StartResult, { ok: true }>): Promise<StartResult> {
    const lab = await this.#definition();
    const setup = lab ? await (await checksModule()).ensureLabSetup(lab, this.labDir) : { ok: true as const };
    return setup.ok ? started : { ok: false, error: `the lab services started, but the lab setup failed: ${setup.error}`, info: started.info };
  }

  /** The definition of the lab `.lab/lab.json` names, from the lab registry (undefined: not in this course). */
  async #definition(): Promise<LabDefinition | undefined> {
    return (await registryModule()).findLab(this.labId);
  }

  /**
   * Loads the checks' code (every lab's definition, the mongodb driver) in the background, so
   * a first "Run checks" soon after the prompt does not wait 1-3 s for it (measured on a busy
   * 2-core machine). The lab shell calls it once its first prompt is out.
   */
  preloadChecks(): void {
    void Promise.all([registryModule(), checksModule()]).catch(() => undefined);
  }

  /** Restarts the world with the learner's files and runs every check (checks/run-checks.ts). */
  async runChecks(options: Omit<RunOptions, 'restart'> = {}): Promise<CheckReport> {
    const lab = await this.#definition();
    if (!lab) throw new Error(`this lab folder's .lab/lab.json names the lab "${this.labId}", which this course does not have: start the lab again from its lesson`);
    const report = await (await checksModule()).runChecks(lab, this.labDir, options);
    for (const listener of this.#reportListeners) listener(report);
    return report;
  }

  onReport(listener: (report: CheckReport) => void): () => void {
    this.#reportListeners.add(listener);
    return () => this.#reportListeners.delete(listener);
  }

  /** The control server of docs/lab-runtime-contract.md, with its `.lab/control.json`. */
  async serveControl(): Promise<ControlServer> {
    this.#control ??= await startControlServer(this.labDir, {
      status: () => ({ world: this.world.info ?? { status: 'stopped' as const } }),
      restartWorld: async () => {
        const result = await this.restartWorld();
        return result.ok ? { ok: true as const, world: result.info } : { ok: false as const, error: result.error };
      },
      runChecks: () => this.runChecks(),
      onReport: (listener) => this.onReport(listener),
    });
    return this.#control;
  }

  async close(): Promise<void> {
    await this.#control?.close();
    this.#control = undefined;
    await this.world.close();
  }
}
