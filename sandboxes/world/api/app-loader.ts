/**
 * Loads the learner-editable app code (<lab>/api/app.js). It is CommonJS on purpose: plain
 * `module.exports = {...}` runs the same on every Node the labs meet (WebContainer's too)
 * without a package.json, and compiling it with vm.compileFunction lets the world reload it
 * and turn a mistake into "api/app.js line 12: SyntaxError: …" instead of a crash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import type * as Vm from 'node:vm';

export interface RecordingForLink {
  id: string;
  /** The parent the recording belongs to (hex ObjectId). */
  userId: string;
  key: string;
  url: string;
  from: string;
  createdAt: Date;
}

export interface AppHelpers {
  /** A presigned GET link for a bucket key, valid for `seconds` (1..604800). */
  presign(key: string, seconds: number): Promise<string>;
  /** The logged-in parent asking for the link. */
  user: { id: string; email: string };
}

/** Where a login attempt comes from: the client's (simulated) internet address. */
export interface LoginRequest {
  ip: string;
}

export interface AppModule {
  mongodbUri: string;
  checkPassword(password: string): string | null | undefined | Promise<string | null | undefined>;
  /** Optional: before a login's password is checked; { retryAfter } answers 429 without checking. */
  beforeLogin?(email: string, request: LoginRequest): { retryAfter: number } | null | undefined | Promise<{ retryAfter: number } | null | undefined>;
  /** Optional: after each login (and change-password) attempt, whether the password was right. */
  afterLogin?(email: string, ok: boolean, request: LoginRequest): void | Promise<void>;
  /** Optional: after a correct password, true means 403 {mustChangePassword: true} and no session. */
  mustChangePassword?(password: string): boolean | Promise<boolean>;
  /** Optional: served as text/plain at /.well-known/security.txt (RFC 9116). */
  securityTxt?: string | (() => string | Promise<string>);
  /** The link to hand out, or null to refuse (the API answers 404). */
  recordingLink(recording: RecordingForLink, helpers: AppHelpers): string | null | undefined | Promise<string | null | undefined>;
}

export class AppCodeError extends Error {
  override name = 'AppCodeError';
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** "api/app.js line 3: TypeError: …" plus the offending line, from an error thrown by the app. */
export function describeAppError(error: unknown, file: string, labDir: string): AppCodeError {
  const shown = relative(labDir, file) || file;
  const err = error instanceof Error ? error : new Error(String(error));
  const stack = err.stack ?? '';
  let line: number | undefined;
  let excerpt = '';
  if (stack.startsWith(`${file}:`)) {
    // SyntaxError from the compiler: "<file>:<line>\n<source line>\n<caret>\n\nSyntaxError: …"
    const [head, source, caret] = stack.split('\n');
    line = Number(head!.slice(file.length + 1));
    excerpt = `\n  ${source}\n  ${caret}`;
  } else {
    const at = stack.split('\n').find((l) => l.includes(`${file}:`));
    const match = at && new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`).exec(at);
    if (match) line = Number(match[1]);
  }
  const where = line ? `${shown} line ${line}` : shown;
  return new AppCodeError(`${where}: ${err.name}: ${err.message}${excerpt}`, file, line);
}

/** Compile and run app.js; check it exports what the server needs. */
export function loadApp(file: string, labDir: string, env: Record<string, string | undefined>): AppModule {
  if (!existsSync(file)) {
    throw new AppCodeError(`${relative(labDir, file)} is missing: restore it from the lab's starting files (or reset the lab)`, file);
  }
  const source = readFileSync(file, 'utf8');
  const module = { exports: {} as Record<string, unknown> };
  // The app sees its own environment, not the world's (the world runs several apps in tests).
  const appProcess = Object.create(process, { env: { value: env, enumerable: true } });
  try {
    const params = ['module', 'exports', 'require', 'process', '__filename'];
    // vm.compileFunction gives "file:line" for syntax errors; inside WebContainer (whose
    // node:vm is unreliable: webcontainer-core #1191, #1484) and in runtimes without it, Function
    // with a sourceURL keeps the file in stack traces. node:vm is loaded only when used.
    const vm = (process.versions as Record<string, string | undefined>).webcontainer ? undefined : (process.getBuiltinModule('node:vm') as typeof Vm | undefined);
    const run: (...args: unknown[]) => void =
      typeof vm?.compileFunction === 'function'
        ? (vm.compileFunction(source, params, { filename: file }) as (...args: unknown[]) => void)
        : // eslint-disable-next-line @typescript-eslint/no-implied-eval
          (new Function(...params, `${source}\n//# sourceURL=${file}`) as (...args: unknown[]) => void);
    run(module, module.exports, createRequire(file), appProcess, file);
  } catch (error) {
    throw describeAppError(error, file, labDir);
  }
  const app = module.exports;
  const shown = relative(labDir, file);
  const problems: string[] = [];
  if (typeof app.mongodbUri !== 'string' || !/^mongodb:\/\//.test(app.mongodbUri)) problems.push('"mongodbUri" must be a mongodb:// connection string');
  if (typeof app.checkPassword !== 'function') problems.push('"checkPassword(password)" must be a function');
  if (typeof app.recordingLink !== 'function') problems.push('"recordingLink(recording, { presign, user })" must be a function');
  for (const hook of ['beforeLogin', 'afterLogin', 'mustChangePassword'] as const) {
    if (app[hook] !== undefined && typeof app[hook] !== 'function') problems.push(`"${hook}" must be a function when present`);
  }
  if (app.securityTxt !== undefined && typeof app.securityTxt !== 'string' && typeof app.securityTxt !== 'function') {
    problems.push('"securityTxt" must be the text of security.txt (a string) when present');
  }
  if (problems.length) throw new AppCodeError(`${shown}: module.exports is missing or wrong: ${problems.join('; ')}`, file);
  return app as unknown as AppModule;
}

/** KEY=VALUE lines (# comments), like a .env file. */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const env: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new AppCodeError(`${file} line ${i + 1}: expected NAME=value (found ${JSON.stringify(raw)})`, file, i + 1);
    env[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
  });
  return env;
}
