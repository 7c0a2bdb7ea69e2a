/**
 * `node .lab/lab-shell.mjs`: the lab shell, the terminal's one process in both runtimes
 * (docs/lab-runtime-contract.md). This file only checks the Node version, in syntax any Node
 * parses, so an old Node gets one clear line instead of a stack trace; the shell itself loads
 * after.
 */
const MINIMUM = [22, 12] as const;
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
  process.stdout.write(`This lab needs Node ${MINIMUM.join('.')} or newer, and this is Node ${process.versions.node}: update Node (or, in the browser, reload the page).\n`);
  process.exit(1);
}
await import('./start.ts');

export {};
