import { defineConfig } from 'vitest/config';

// Tests by environment, one Vitest project each, so `npm test` runs all of them and a
// developer can run one kind: `npx vitest run --project unit` (or dom, process, browser).
//
// - unit: plain functions and data (lessons, site modules, the runtime adapters against fakes).
// - dom: the lab panel's parts, rendered into happy-dom.
// - process: anything that starts servers or processes (database, world, tools, labs, the lab
//   shell, the local runner, security replays, grading, the classroom). The default for a new
//   test folder, since a suite that starts a process needs these timeouts.
// - browser: Chromium driving the built site.
//
// Groups run one after the other (fast ones first), and two cores mean at most two workers:
// more only make the process-spawning suites fight each other. Tests never assert wall-clock
// time (benchmarks print figures instead).
const unitFiles = [
  'test/lessons/**/*.test.ts',
  'test/sandbox/**/*.test.ts',
  'test/command-line/read-command-line.test.ts',
  // Every site test but the one that starts the static server.
  'test/site/!(site-server).test.ts',
  'test/runtimes/webcontainer-runtime.test.ts',
];

export default defineConfig({
  test: {
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: unitFiles,
          sequence: { groupOrder: 0 },
          testTimeout: 10_000,
          pool: 'threads',
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          include: ['test/dom/**/*.test.ts'],
          environment: 'happy-dom',
          sequence: { groupOrder: 0 },
          testTimeout: 10_000,
          pool: 'threads',
        },
      },
      {
        extends: true,
        test: {
          name: 'process',
          include: ['test/**/*.test.ts'],
          exclude: [...unitFiles, 'test/dom/**', 'test/browser/**'],
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          testTimeout: 60_000,
          hookTimeout: 180_000,
          pool: 'forks',
          // Each browser file builds the site and starts Chromium: one at a time.
          maxWorkers: 1,
          // Browser tests poll the page for a state; on two busy cores a render can take seconds,
          // and a poll that gives up after Vitest's default 1 s fails for load, not for a defect.
          expect: { poll: { timeout: 15_000, interval: 100 } },
        },
      },
    ],
  },
});
