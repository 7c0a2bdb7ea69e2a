/**
 * `npm start` gets one Ctrl+C several times over (the process group, then npm and tsx relay
 * it): the first starts a clean shutdown and the repeats must not cut it short.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const module = fileURLToPath(new URL('../../src/server/shutdown-on-signals.ts', import.meta.url));

/** Started children, killed after each test so a failed one never leaves a process behind. */
const started: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
/** tsx takes seconds to start on a busy machine: wait for its output, not for Vitest's 1 s default. */
const slow = { timeout: 30_000, interval: 50 };

function runServer(closeMs: number, timeoutMs = 15_000): { child: ReturnType<typeof spawn>; output: () => string; exited: Promise<number | null> } {
  const script = `
    import { shutdownOnSignals } from ${JSON.stringify(module)};
    shutdownOnSignals(async () => {
      console.log('closing');
      await new Promise((resolve) => setTimeout(resolve, ${closeMs}));
      console.log('closed cleanly');
    }, { timeoutMs: ${timeoutMs} });
    console.log('ready');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

describe('shutdown on signals', () => {
  it('finishes the first shutdown although the signal arrives three times', async () => {
    const server = runServer(600);
    await expect.poll(server.output, slow).toContain('ready');
    server.child.kill('SIGTERM');
    await expect.poll(server.output, slow).toContain('closing');
    server.child.kill('SIGTERM');
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('closed cleanly');
  });

  it('ends a shutdown that hangs after the time limit, with exit code 1', async () => {
    const server = runServer(60_000, 300);
    await expect.poll(server.output, slow).toContain('ready');
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(1);
    expect(server.output()).not.toContain('closed cleanly');
  });
});
