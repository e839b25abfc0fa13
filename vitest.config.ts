import { defineConfig } from 'vitest/config'

/**
 * Server tests that run a second time on the PostgreSQL backend (DATABASE_URL), through the same API:
 * sharing and roles, submission, requests, documents, sign-out, throttling. (accounts.test.ts and
 * server/repositories.test.ts run both backends themselves.)
 */
const ALSO_ON_POSTGRES = [
  'server/extensions/permissions.test.ts',
  'server/http/submission.test.ts',
  'server/http/requests.test.ts',
  'server/http/api.test.ts',
  'server/http/auth.test.ts',
  'server/http/figures.test.ts',
  'server/hardening/logout.test.ts',
  'server/hardening/signIn.test.ts',
  // Document content in PostgreSQL too: refused updates leave nothing stored, restarts load the rows.
  'server/hardening/tampering.test.ts',
  'server/extensions/sectionGuard.protocol.test.ts',
]

const common = {
  environment: 'node' as const,
  // One throwaway PostgreSQL per run and project, started only if a test file asks for it (server/postgres/testing.ts).
  globalSetup: ['server/postgres/vitestSetup.ts'],
  testTimeout: 20_000,
  // A test worker runs many files in turn; one CI run saw a worker reach V8's default ~4 GB heap and die.
  // The machine has 24 GiB for two workers: give them room (the cause, a file that keeps memory, is still to find).
  execArgv: ['--max-old-space-size=8192'],
  // Several processes behind nginx: their own run (vitest.cluster.config.ts), after the unit tests.
  exclude: ['**/node_modules/**', '**/*.cluster.test.ts'],
}

export default defineConfig({
  test: {
    // Server tests bind ports and write files; a bounded pool keeps them stable on 2 cores.
    maxWorkers: 2,
    projects: [
      { test: { ...common, name: 'files', include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/src/**/*.test.ts'] } },
      { test: { ...common, name: 'postgres', include: ALSO_ON_POSTGRES, setupFiles: ['server/postgres/backendSetup.ts'] } },
    ],
  },
})
