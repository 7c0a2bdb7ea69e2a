/**
 * The learner's commands, for the lab bundle (src/build/lab-bundle) and the runtimes that put
 * them on PATH: `name` is the command, `entry` the module esbuild bundles into one JS file,
 * `main` the same tool as a function for running it in-process.
 */
import { crackMain } from './crack/crack.ts';
import { curlMain } from './curl/curl.ts';
import { mongoexportMain } from './mongoexport/mongoexport.ts';
import { mongoshMain } from './mongosh/mongosh.ts';
import { ransomBotMain } from './ransom-bot/ransom-bot.ts';
import { scanMain } from './scan/scan.ts';
import type { ToolMain } from './shared/tool-io.ts';

export interface LabTool {
  name: string;
  /** Path from the repository root, runnable with `npx tsx <entry>`. */
  entry: string;
  summary: string;
  main: ToolMain;
}

export const LAB_TOOLS: readonly LabTool[] = [
  { name: 'scan', entry: 'sandboxes/tools/scan/cli.ts', summary: 'probe the lab network for open ports and banners (nmap/Shodan style)', main: scanMain },
  { name: 'mongosh', entry: 'sandboxes/tools/mongosh/cli.ts', summary: 'the MongoDB shell (mongosh-compatible subset)', main: mongoshMain },
  { name: 'curl', entry: 'sandboxes/tools/curl/cli.ts', summary: 'transfer a URL (curl subset: GET, -o, -O, -I, -H, -s, -f, -L)', main: curlMain },
  { name: 'mongoexport', entry: 'sandboxes/tools/mongoexport/cli.ts', summary: 'export a collection to JSON lines', main: mongoexportMain },
  { name: 'crack', entry: 'sandboxes/tools/crack/cli.ts', summary: 'bcrypt wordlist cracker (hashcat style)', main: crackMain },
  { name: 'ransom-bot', entry: 'sandboxes/tools/ransom-bot/cli.ts', summary: 'what the January 2017 ransom groups did to open MongoDB servers', main: ransomBotMain },
];

export type { ToolIO, ToolMain } from './shared/tool-io.ts';
