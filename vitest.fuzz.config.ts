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
    // Shrinking a failure of the two-editor suites mounts thousands of editors in happy-dom, whose heap
    // outgrew Node's default limit (the run died out of memory instead of printing the counterexample).
    // Two workers at 10 GB fit the 24 GB machine.
    execArgv: ['--max-old-space-size=10240'],
  },
})
