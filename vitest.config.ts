import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start brokers and worker threads: keep file parallelism modest on 2 cores.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
