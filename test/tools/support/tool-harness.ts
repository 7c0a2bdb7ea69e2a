/**
 * Runs a tool's main function in-process with captured output, inside a temp lab folder
 * whose .lab/network.json the test writes, the way the world would.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ToolIO, ToolMain } from '../../../sandboxes/tools/program/tool-io.ts';

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface MapPorts {
  [host: string]: { address: string; ports: Record<string, { host: string; port: number }> };
}

export interface TempLab {
  dir: string;
  mapPath: string;
  writeMap(hosts: MapPorts): void;
  io(stdin?: string): ToolIO & { out: () => ToolRun };
  run(main: ToolMain, argv: string[], stdin?: string): Promise<ToolRun>;
  cleanup(): void;
}

export function tempLab(): TempLab {
  const dir = mkdtempSync(join(tmpdir(), 'cloudpets-tools-'));
  mkdirSync(join(dir, '.lab'));
  const mapPath = join(dir, '.lab', 'network.json');
  writeFileSync(mapPath, JSON.stringify({ hosts: {}, appLocal: {} }));
  const lab: TempLab = {
    dir,
    mapPath,
    writeMap(hosts) {
      writeFileSync(mapPath, JSON.stringify({ hosts, appLocal: {} }, null, 2));
    },
    io(stdin = '') {
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const sink = (into: Buffer[]) => ({ write: (text: string | Uint8Array) => void into.push(Buffer.from(text)), isTTY: false });
      return {
        stdout: sink(out),
        stderr: sink(err),
        stdin: Readable.from([stdin]),
        env: { CLOUDPETS_NETWORK: mapPath },
        cwd: dir,
        out: () => ({ code: -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes: Buffer.concat(out) }),
      };
    },
    async run(main, argv, stdin) {
      const io = lab.io(stdin);
      const code = await main(argv, io);
      return { ...io.out(), code };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return lab;
}
