/**
 * Stand-in world processes for the lab-session and runner tests: tiny scripts that speak the
 * world process's protocol (a report line on stdout, sandboxes/lab-session/world-report.ts;
 * "stop" or the end of stdin to stop) without starting any service, so the tests exercise
 * starting, failing and stopping quickly.
 */

const REPORT = `const report = (info) => process.stdout.write('@cloudpets-world ' + JSON.stringify({ pid: process.pid, labDir: dir, startedAt: new Date().toISOString(), ...info }) + '\\n');`;

/** Reports ready and runs until told to stop (or its parent goes away), like a healthy world. */
export const READY_WORLD = `
const dir = process.argv[2];
${REPORT}
report({ status: 'starting' });
report({ status: 'ready' });
process.stdin.on('data', (text) => { if (String(text).includes('stop')) { report({ status: 'stopped' }); process.exit(0); } });
process.stdin.on('end', () => process.exit(0));
`;

/** Reports failed with the given error, as a world does when a learner's file is broken. */
export function failingWorld(error: string): string {
  return `
const dir = process.argv[2];
${REPORT}
report({ status: 'failed', error: ${JSON.stringify(error)} });
process.exit(1);
`;
}

/**
 * A healthy world that also understands --standby (sandboxes/lab-session/world-process.ts): a
 * standby one writes its pid to standby-pids in the lab folder, then says nothing until "start".
 */
export const STANDBY_AWARE_WORLD = `
import { appendFileSync } from 'node:fs';
const dir = process.argv[2];
const standby = process.argv[3] === '--standby';
${REPORT}
let started = !standby;
const begin = () => { report({ status: 'starting' }); report({ status: 'ready' }); };
if (standby) appendFileSync(dir + '/standby-pids', process.pid + '\\n');
else begin();
process.stdin.on('data', (text) => {
  const said = String(text);
  if (said.includes('stop')) { if (started) report({ status: 'stopped' }); process.exit(0); }
  else if (said.includes('start') && !started) { started = true; begin(); }
});
process.stdin.on('end', () => process.exit(0));
`;
