import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests measure latency and rates with real brokers and worker threads on a
    // 2-core machine: files run one at a time so one test's load never skews another's figures.
    fileParallelism: false,
  },
});
