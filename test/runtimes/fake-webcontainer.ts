/**
 * A fake of the @webcontainer/api surface the adapter uses: boot (which can be made to hang,
 * as the real one does offline), mount with mountPoint, spawn with streams, and fs.
 * Files live in a Map keyed by workdir-relative path.
 */
import type { WcApi, WcDirent, WcInstance, WcProcess } from '../../src/runtimes/webcontainer/webcontainer-runtime.ts';

type Tree = Record<string, { directory: Tree } | { file: { contents: string | Uint8Array } }>;

export interface SpawnCall {
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  terminal?: { cols: number; rows: number };
}

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
  /** What spawn() does; default: exit 0 silently, except jsh which stays open. */
  onSpawn: (control: FakeProcessControl) => void = (control) => {
    if (control.call.command !== 'jsh') control.exit(0);
  };

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

  async spawn(command: string, args: string[], options: SpawnCall = { command, args }): Promise<WcProcess> {
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
    queueMicrotask(() => this.onSpawn(control));
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

export function fakeApi(instance: FakeWebContainer, options: { hang?: boolean; fail?: Error } = {}): WcApi & { boots: number } {
  const api = {
    boots: 0,
    async boot() {
      api.boots++;
      if (options.fail) throw options.fail;
      if (options.hang) return new Promise<WcInstance>(() => undefined); // as offline: never settles
      return instance;
    },
  };
  return api;
}
