import { defineConfig } from 'vitest/config'

// The cluster tests (`*.cluster.test.ts`): three Huigao processes on a throwaway PostgreSQL behind
// nginx (server/cluster/clusterHarness.ts). `npm test` runs them after the unit tests, alone, one
// file at a time: they start many processes and the machine has two cores.
export default defineConfig({
  test: {
    include: ['server/**/*.cluster.test.ts'],
    environment: 'node',
    // toEqual compares typed arrays by their bytes (shared/testing/bytesEquality.ts).
    setupFiles: ['shared/testing/vitestSetup.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
})
