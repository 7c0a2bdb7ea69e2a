import { defineDriverSuite } from './support/driver-suite.ts';
import { startLabDatabase } from './support/harness.ts';

defineDriverSuite('lab server', async ({ auth }) => {
  const lab = await startLabDatabase({ auth });
  return { uri: lab.db.uri, stop: () => lab.stop() };
});
