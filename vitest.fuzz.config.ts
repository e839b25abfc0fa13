import { defineConfig } from 'vitest/config'

// `npm run fuzz`: the property tests with many more cases (FUZZ_RUNS) plus the long `*.fuzz.ts`
// suites (random and mutated protocol frames), which `npm test` does not run.
export default defineConfig({
  test: {
    include: ['shared/**/*.property.test.ts', 'server/**/*.property.test.ts', '**/*.fuzz.ts'],
    exclude: ['node_modules/**'],
    environment: 'node',
    // toEqual compares typed arrays by their bytes (shared/testing/bytesEquality.ts).
    setupFiles: ['shared/testing/vitestSetup.ts'],
    testTimeout: 30 * 60_000,
    maxWorkers: 2,
  },
})
