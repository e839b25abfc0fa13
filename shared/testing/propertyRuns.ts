/**
 * How many cases a property test runs. `npm test` runs the default; `npm run fuzz` sets
 * FUZZ_RUNS to run every property test (and the `*.fuzz.ts` suites) much longer.
 * `FUZZ_SEED` replays a reported failure.
 */
export function propertyRuns(defaultRuns: number): { numRuns: number; seed?: number } {
  const fromEnv = Number(process.env.FUZZ_RUNS)
  const numRuns = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : defaultRuns
  const seed = Number(process.env.FUZZ_SEED)
  return Number.isFinite(seed) && process.env.FUZZ_SEED ? { numRuns, seed } : { numRuns }
}
