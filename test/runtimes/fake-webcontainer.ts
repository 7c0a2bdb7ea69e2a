/**
 * A fake of the @webcontainer/api surface the adapter uses: boot (which can be made to hang,
 * as the real one does offline, and which throws when called again while pending, as the real
 * one does), mount with mountPoint, spawn with streams, and fs. Files live in a Map keyed by
 * workdir-relative path.
 *
 * spawn() holds the adapter to what jsh offers (docs/lab-runtime-contract.md): only
 * `node` runs. grep, sed, printf, sh, bash, a shebang script or any other program fails as
 * jsh does ("command not found", exit 127), and a detached spawn is refused.
 */
import type { WcApi, WcDirent, WcInstance, WcProcess } from '../../src/runtimes/webcontainer/webcontainer-runtime.ts';

type Tree = Record<string, { directory: Tree } | { file: { contents: string | Uint8Array } }>;

export interface SpawnCall {
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  terminal?: { cols: number; rows: number };
  detached?: boolean;
}

/** What jsh has no way to run (the adapter must never need it). */
export class JshRefusal extends Error {}

export interface FakeProcessControl {
  call: SpawnCall;
  emit(data: string): void;
  exit(code: number): void;
  input: string[];
  resizes: { cols: number; rows: number }[];
  killed: boolean;
}

export class FakeWebContainer implements WcInstance {
  readonly workdir = '/home/cloudpets';
  readonly files = new Map<string, Uint8Array>();
  readonly dirs = new Set<string>(['']);
  readonly spawned: FakeProcessControl[] = [];
  mounts: { mountPoint?: string }[] = [];
  /** Commands refused as jsh refuses them ("grep: command not found"), in order. */
  readonly refused: SpawnCall[] = [];
  /** What a `node` spawn does; default: exit 0 silently. */
  onSpawn: (control: FakeProcessControl) => void = (control) => control.exit(0);

  private norm(path: string): string {
    return path.replace(/^\/home\/cloudpets\/?/, '').replace(/^\.\//, '').replace(/\/+$/, '');
  }

  fs = {
    readFile: async (path: string) => {
      const bytes = this.files.get(this.norm(path));
      if (!bytes) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return bytes;
    },
    writeFile: async (path: string, data: string | Uint8Array) => {
      const key = this.norm(path);
      const parent = key.split('/').slice(0, -1).join('/');
      if (!this.dirs.has(parent)) throw new Error(`ENOENT: no folder ${parent}`);
      this.files.set(key, typeof data === 'string' ? new TextEncoder().encode(data) : data);
    },
    readdir: async (path: string, _options: { withFileTypes: true }): Promise<WcDirent[]> => {
      const key = this.norm(path);
      if (!this.dirs.has(key)) throw new Error(`ENOENT: ${path}`);
      const prefix = key ? `${key}/` : '';
      const names = new Map<string, boolean>();
      for (const dir of this.dirs) if (dir.startsWith(prefix) && dir !== key && !dir.slice(prefix.length).includes('/')) names.set(dir.slice(prefix.length), true);
      for (const file of this.files.keys()) if (file.startsWith(prefix) && !file.slice(prefix.length).includes('/')) names.set(file.slice(prefix.length), false);
      return [...names].map(([name, isDir]) => ({ name, isFile: () => !isDir, isDirectory: () => isDir }));
    },
    mkdir: async (path: string) => {
      const parts = this.norm(path).split('/');
      for (let i = 1; i <= parts.length; i++) this.dirs.add(parts.slice(0, i).join('/'));
      return path;
    },
    rm: async (path: string) => {
      const key = this.norm(path);
      for (const file of [...this.files.keys()]) if (file === key || file.startsWith(`${key}/`)) this.files.delete(file);
      for (const dir of [...this.dirs]) if (dir === key || dir.startsWith(`${key}/`)) this.dirs.delete(dir);
    },
  };

  async mount(tree: unknown, options: { mountPoint?: string } = {}): Promise<void> {
    this.mounts.push(options);
    const base = this.norm(options.mountPoint ?? '');
    if (!this.dirs.has(base)) throw new Error(`mount point ${base} does not exist`);
    const walk = (node: Tree, prefix: string) => {
      for (const [name, entry] of Object.entries(node)) {
        const path = prefix ? `${prefix}/${name}` : name;
        if ('directory' in entry) {
          this.dirs.add(path);
          walk(entry.directory, path);
        } else {
          const contents = entry.file.contents;
          if (typeof contents !== 'string' && !(contents instanceof Uint8Array)) throw new Error(`mount: ${path} has contents of the wrong type`);
          this.files.set(path, typeof contents === 'string' ? new TextEncoder().encode(contents) : contents);
        }
      }
    };
    walk(tree as Tree, base);
  }

  async spawn(command: string, args: string[], options: Omit<SpawnCall, 'command' | 'args'> = {}): Promise<WcProcess> {
    if (options.detached) {
      this.refused.push({ command, args, ...options });
      throw new JshRefusal('WebContainer documents no detached processes');
    }
    let push: (data: string) => void = () => undefined;
    let end: () => void = () => undefined;
    const output = new ReadableStream<string>({
      start(controller) {
        push = (data) => controller.enqueue(data);
        end = () => controller.close();
      },
    });
    let resolveExit: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (resolveExit = resolve));
    const control: FakeProcessControl = {
      call: { command, args, cwd: options.cwd, env: options.env, terminal: options.terminal },
      emit: (data) => push(data),
      exit: (code) => {
        end();
        resolveExit(code);
      },
      input: [],
      resizes: [],
      killed: false,
    };
    this.spawned.push(control);
    const input = new WritableStream<string>({ write: (chunk) => void control.input.push(chunk) });
    // Only node runs: jsh has no grep/sed/printf, no sh or bash, and cannot run a shebang
    // script (a path such as .lab/bin/checks gives "spawn ... ENOENT").
    const runnable = command === 'node';
    if (!runnable) {
      this.refused.push(control.call);
      queueMicrotask(() => {
        control.emit(command.includes('/') ? `jsh: spawn ${command} ENOENT\r\n` : `jsh: command not found: ${command}\r\n`);
        control.exit(127);
      });
    } else queueMicrotask(() => this.onSpawn(control));
    return {
      exit,
      input,
      output,
      kill: () => {
        control.killed = true;
        control.exit(143);
      },
      resize: (size) => void control.resizes.push(size),
    };
  }

  teardown(): void {}
}

export interface FakeApiOptions {
  hang?: boolean;
  fail?: Error;
  /** Boot resolves only when release() is called (a slow network). */
  slow?: boolean;
}

export function fakeApi(instance: FakeWebContainer, options: FakeApiOptions = {}): WcApi & { boots: number; release(): void } {
  let pending = false;
  let release: () => void = () => undefined;
  const api = {
    boots: 0,
    release: () => release(),
    async boot() {
      api.boots++;
      // As @webcontainer/api does: one instance per page, and never a second boot while one is pending.
      if (pending) throw new Error('Only a single WebContainer instance can be booted');
      if (options.fail) throw options.fail;
      if (options.hang) {
        pending = true;
        return new Promise<WcInstance>(() => undefined); // as offline: never settles
      }
      if (options.slow) {
        pending = true;
        return new Promise<WcInstance>((resolve) => (release = () => { pending = false; resolve(instance); }));
      }
      return instance;
    },
  };
  return api;
}

/**
 * A stand-in lab shell inside the fake: `node .lab/lab-shell.mjs` prints a banner and a prompt,
 * then the ready signal; `node .lab/lab-control.mjs <op>` answers as the contract says.
 */
export function speakLabContract(fake: FakeWebContainer, answers: Partial<Record<string, { exit: number; stdout: string } | 'hang'>> = {}): { followers: FakeProcessControl[]; shells: FakeProcessControl[] } {
  const followers: FakeProcessControl[] = [];
  const shells: FakeProcessControl[] = [];
  fake.onSpawn = (control) => {
    const [script, op] = control.call.args;
    if (script === '.lab/lab-shell.mjs') {
      shells.push(control);
      control.emit('CloudPets lab: open-door\r\nlearner@internet:~$ ');
      control.emit('\x1b]654;cloudpets-');
      control.emit('ready\x07');
      return;
    }
    if (script === '.lab/lab-control.mjs' && op === 'follow-reports') {
      followers.push(control);
      return;
    }
    if (script === '.lab/lab-control.mjs' && op) {
      const answer = answers[op];
      if (answer === 'hang') return;
      if (answer) {
        control.emit(answer.stdout);
        control.exit(answer.exit);
        return;
      }
    }
    control.exit(0);
  };
  return { followers, shells };
}
