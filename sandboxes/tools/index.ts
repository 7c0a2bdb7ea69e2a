/**
 * The learner's commands, for the lab bundle (src/build/lab-bundle) and the runtimes that put
 * them on PATH. `entry` is the module esbuild bundles into one JS file per tool (runnable
 * as is with `npx tsx <entry>`); `load()` gives the same tool as a function
 * `(argv, io) => exit code` for running it in-process. Loading is lazy so that reading the
 * list does not pull in the MongoDB driver.
 */
import type { ToolMain } from './program/tool-io.ts';

export interface LabTool {
  /**
   * The command name on the lab's PATH. A plain string, not a union of today's names, so that
   * adding a tool is this one entry (CONTRIBUTING.md); test/tools/tool-index.test.ts holds the
   * names to the folder convention and keeps them unique.
   */
  name: string;
  /** Path from the repository root. */
  entry: string;
  summary: string;
  /** Reads the terminal itself (an interactive shell, a password prompt): the lab shell's line editor steps aside while it runs. */
  readsTerminal?: true;
  load(): Promise<ToolMain>;
}

export const LAB_TOOLS: readonly LabTool[] = [
  {
    name: 'scan',
    entry: 'sandboxes/tools/scan/cli.ts',
    summary: 'probe the lab network for open ports and banners (nmap/Shodan style)',
    load: async () => (await import('./scan/scan.ts')).scanMain,
  },
  {
    name: 'mongosh',
    entry: 'sandboxes/tools/mongosh/cli.ts',
    summary: 'the MongoDB shell (mongosh-compatible subset)',
    readsTerminal: true,
    load: async () => (await import('./mongosh/mongosh.ts')).mongoshMain,
  },
  {
    name: 'curl',
    entry: 'sandboxes/tools/curl/cli.ts',
    summary: 'transfer a URL (curl subset: GET/POST, -o, -O, -I, -i, -H, -s, -f, -L)',
    load: async () => (await import('./curl/curl.ts')).curlMain,
  },
  {
    name: 'mongoexport',
    entry: 'sandboxes/tools/mongoexport/cli.ts',
    summary: 'export a collection to JSON lines (Extended JSON)',
    load: async () => (await import('./mongoexport/mongoexport.ts')).mongoexportMain,
  },
  {
    name: 'crack',
    entry: 'sandboxes/tools/crack/cli.ts',
    summary: 'bcrypt wordlist cracker (hashcat style)',
    load: async () => (await import('./crack/crack.ts')).crackMain,
  },
  {
    name: 'ransom-bot',
    entry: 'sandboxes/tools/ransom-bot/cli.ts',
    summary: 'what the January 2017 ransom groups did to open MongoDB servers',
    load: async () => (await import('./ransom-bot/ransom-bot.ts')).ransomBotMain,
  },
  {
    name: 'dbhost',
    entry: 'sandboxes/tools/dbhost/cli.ts',
    summary: 'a shell on the database host (like ssh db.cloudpets.test): dbhost mongosh',
    readsTerminal: true,
    load: async () => (await import('./dbhost/dbhost.ts')).dbhostMain,
  },
];

export type { TextSink, ToolIO, ToolMain } from './program/tool-io.ts';
export { processIO, runAsProgram } from './program/tool-io.ts';
