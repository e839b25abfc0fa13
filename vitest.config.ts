import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/src/**/*.test.ts'],
    // Several processes behind nginx: their own run (vitest.cluster.config.ts), after the unit tests.
    exclude: ['**/node_modules/**', '**/*.cluster.test.ts'],
    environment: 'node',
    // One throwaway PostgreSQL per run, started only if a test file asks for it (server/postgres/testing.ts).
    globalSetup: ['server/postgres/vitestSetup.ts'],
    testTimeout: 20_000,
    // Server tests bind ports and write files; a bounded pool keeps them stable on 2 cores.
    maxWorkers: 2,
  },
})
