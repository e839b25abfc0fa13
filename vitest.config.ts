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
  // toEqual compares typed arrays by their bytes: Vitest's own walk of two equal 1.4 MB Yjs updates held
  // 535 MB (initialSync.test.ts), enough with bigger ones to reach V8's 4 GB heap and kill a worker.
  setupFiles: ['shared/testing/vitestSetup.ts'],
  // The files share their worker processes and modules (not isolated): each fresh worker evaluated the
  // editor, Yjs and the server again, 112 s of a 382 s run on 2 cores; without that the run took 284–290 s (two runs).
  // Tests restore what they change (env, timers, PATH); a file's heap is printed with its result, so
  // one whose memory grows is named in CI's output: the largest worker peaked at 572–630 MB, well under
  // V8's ~4 GB.
  isolate: false,
  logHeapUsage: true,
  // Several processes behind nginx: their own run (vitest.cluster.config.ts), after the unit tests.
  exclude: ['**/node_modules/**', '**/*.cluster.test.ts'],
}

export default defineConfig({
  test: {
    // Server tests bind ports and write files; a bounded pool keeps them stable on 2 cores.
    maxWorkers: 2,
    projects: [
      { test: { ...common, name: 'files', include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/src/**/*.test.ts'] } },
      { test: { ...common, name: 'postgres', include: ALSO_ON_POSTGRES, setupFiles: [...common.setupFiles, 'server/postgres/backendSetup.ts'] } },
    ],
  },
})
