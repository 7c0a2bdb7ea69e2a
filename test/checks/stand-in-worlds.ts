/**
 * Stand-in world processes for the lab-session and runner tests: tiny scripts that speak the
 * world process's protocol (.lab/world.pid and .lab/world.json) without starting any service,
 * so the tests exercise starting, failing and stopping quickly.
 */

/** Reports ready and runs until SIGTERM, like a healthy world. */
export const READY_WORLD = `
import { writeFileSync, mkdirSync } from 'node:fs';
const dir = process.argv[2];
mkdirSync(dir + '/.lab', { recursive: true });
writeFileSync(dir + '/.lab/world.pid', String(process.pid));
writeFileSync(dir + '/.lab/world.json', JSON.stringify({ status: 'ready', pid: process.pid, labDir: dir, startedAt: new Date().toISOString() }));
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1000);
`;

/** Reports failed with the given error, as a world does when a learner's file is broken. */
export function failingWorld(error: string): string {
  return `
import { writeFileSync } from 'node:fs';
const dir = process.argv[2];
writeFileSync(dir + '/.lab/world.json', JSON.stringify({ status: 'failed', pid: process.pid, labDir: dir, startedAt: '', error: ${JSON.stringify(error)} }));
process.exit(1);
`;
}
