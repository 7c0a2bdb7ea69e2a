/**
 * The same driver suite against a real mongod (mongodb-memory-server). Offline, no mongod can
 * be downloaded: the suite is then skipped with the one-line reason, never passed silently.
 */
import { describe, it } from 'vitest';
import { startRealMongod } from '../support/real-mongod.ts';
import { defineDriverSuite } from './support/driver-suite.ts';

const probe = await startRealMongod();
if ('skipReason' in probe) {
  console.warn(`skipped: ${probe.skipReason}`);
  describe('real mongod: driver suite', () => {
    it.skip(`skipped: ${probe.skipReason}`, () => {});
  });
} else {
  await probe.stop();
  defineDriverSuite('real mongod', async ({ auth }) => {
    const started = await startRealMongod(auth ? ['--auth'] : []);
    if ('skipReason' in started) throw new Error(started.skipReason);
    return started;
  });
}
