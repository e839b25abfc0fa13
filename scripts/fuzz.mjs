// `npm run fuzz`: property tests with FUZZ_RUNS cases each (default 20,000) and the long fuzz suites.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const env = { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '20000', FUZZ: '1' }
const vitest = path.join(root, 'node_modules', '.bin', 'vitest')
const result = spawnSync(vitest, ['run', '--config', 'vitest.fuzz.config.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env })
process.exit(result.status ?? 1)
