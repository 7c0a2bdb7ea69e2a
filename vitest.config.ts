import { defineConfig } from 'vitest/config';

// One Vitest run covers everything: unit tests, real-client protocol tests and browser tests.
// Browser and server tests start real processes, so they get generous timeouts; tests never
// assert on wall-clock time (benchmarks print figures instead).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores: more workers only make the process-spawning suites fight each other.
    maxWorkers: 2,
    reporters: ['default'],
    // Browser tests poll the page for a state; on two busy cores a render can take seconds, and
    // a poll that gives up after Vitest's default 1 s fails for load, not for a defect.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
