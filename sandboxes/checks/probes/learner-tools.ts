/**
 * The learner's own tools (sandboxes/tools), run in-process from the internet vantage point as
 * the learner would type them: the scanner's banner for the database host (what a stranger
 * sees), and any tool's output for a check that replays an attack with it (the ransom bot).
 */
import type { CheckContext } from '../context.ts';
import type { ToolIO } from '../../tools/program/tool-io.ts';
import { Readable } from 'node:stream';
import { networkMapPath } from '../../world/network/network-map.ts';

export type ScanOutcome = { ok: true; output: string; line?: string } | { ok: false; problem: string };

/** Runs a tool's main with the lab's network map, capturing what it prints. */
export async function runToolInProcess(ctx: CheckContext, main: (argv: string[], io: ToolIO) => Promise<number>, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: ToolIO = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([]),
    env: { CLOUDPETS_NETWORK: networkMapPath(ctx.labDir), NO_COLOR: '1' },
    cwd: ctx.labDir,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export async function scanDatabaseBanner(ctx: CheckContext): Promise<ScanOutcome> {
  let scanMain: (argv: string[], io: ToolIO) => Promise<number>;
  try {
    ({ scanMain } = (await import('../../tools/scan/scan.ts')) as { scanMain: typeof scanMain });
  } catch (error) {
    return { ok: false, problem: `the scan tool could not be loaded: ${(error as Error).message}` };
  }
  const run = await runToolInProcess(ctx, scanMain, ['db.cloudpets.test']);
  const output = `${run.stdout}\n${run.stderr}`;
  const lines = output.split('\n').map((l) => l.replace(/^\|_?\s*/, '').trim());
  const line = lines.find((l) => /^authentication:/i.test(l)) ?? lines.find((l) => /mongo/i.test(l)) ?? lines.find((l) => /closed/i.test(l));
  return { ok: true, output, line };
}
