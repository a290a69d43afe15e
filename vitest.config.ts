import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    // One test worker: on a 2-core CI machine the main process keeps a core for itself, so the
    // worker's RPC calls (onTaskUpdate) are answered within birpc's 60 s even when the sample
    // tests keep the worker busy; two workers starved it on a loaded machine.
    pool: 'forks',
    maxWorkers: 1,
    minWorkers: 1,
  },
});
