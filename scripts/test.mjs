// `npm test`: type check, unit tests, then end-to-end tests in Debian's Chromium.
// Ends with one summary line, "N passed, N failed", over both suites.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const tmp = path.join(root, '.tmp')
mkdirSync(tmp, { recursive: true })

/** Each phase's time, printed at the end: the run must stay under 15 minutes on a 2-core machine. */
const timings = []

function run(label, command, args) {
  console.log(`\n=== ${label} ===`)
  const started = Date.now()
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } })
  timings.push(`${label}: ${Math.round((Date.now() - started) / 1000)} s`)
  return result.status === 0
}

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null
}

const node = process.execPath
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
let ok = run('Type check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])

// LibreOffice, poppler-utils and the Fandol fonts for the PDF tests; when this fails, those tests fail too.
ok = run('PDF tools and fonts', node, [path.join(root, 'scripts/ensure-office-fonts.mjs')]) && ok

// PostgreSQL's binaries for the tests of the PostgreSQL backend (installed when missing); when this
// fails, those tests are skipped and say why.
run('PostgreSQL for the PostgreSQL backend tests', node, [path.join(root, 'scripts/ensure-postgres.mjs')])

const vitestJson = path.join(tmp, 'vitest.json')
rmSync(vitestJson, { force: true })
ok = run('Unit tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]) && ok

// Three Huigao processes on a throwaway PostgreSQL behind nginx (installed when missing). When they
// cannot be started the tests are skipped and the reason is printed (HUIGAO_REQUIRE_CLUSTER=1 fails instead).
const nginxReady = run('nginx for the cluster tests', node, [path.join(root, 'scripts/ensure-nginx.mjs')])
if (!nginxReady) console.log('nginx is not available: the cluster tests will be skipped (see above).')
const clusterJson = path.join(tmp, 'vitest-cluster.json')
rmSync(clusterJson, { force: true })
ok = run('Cluster tests (3 processes, PostgreSQL, nginx)', bin('vitest'), ['run', '-c', 'vitest.cluster.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${clusterJson}`]) && ok

const playwrightJson = path.join(tmp, 'playwright.json')
rmSync(playwrightJson, { force: true })
ok = run('Browser setup', node, [path.join(root, 'scripts/ensure-chromium.mjs')]) && ok
ok = run('End-to-end tests (Playwright, Chromium)', bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts']) && ok

const unit = readJson(vitestJson)
const cluster = readJson(clusterJson)
const e2e = readJson(playwrightJson)
// The cluster tests count with the unit tests (both are vitest runs).
const unitPassed = (unit?.numPassedTests ?? 0) + (cluster?.numPassedTests ?? 0)
const unitFailed = (unit ? unit.numFailedTests : 1) + (cluster ? cluster.numFailedTests : 1)
if (cluster && cluster.numPendingTests + cluster.numTodoTests > 0) console.log(`\ncluster: ${cluster.numPassedTests} passed, ${cluster.numPendingTests + cluster.numTodoTests} skipped (the reason is printed above)`)
/** The vitest tests (unit and cluster) whose status passes `which`, each as "file › name" and what `detail` adds. */
const listTests = (which, detail = () => '') =>
  [unit, cluster].flatMap((report) =>
    (report?.testResults ?? []).flatMap((file) =>
      file.assertionResults.filter((test) => which(test.status)).map((test) => `  - ${path.relative(root, file.name)} › ${test.fullName}${detail(test)}`),
    ),
  )
// Every skipped test by name, so that a run on another machine that counts fewer says which and where.
const skipped = listTests((status) => status !== 'passed' && status !== 'failed')
if (skipped.length > 0) console.log(`\nskipped (${skipped.length}):\n${skipped.join('\n')}`)
// Every failed test by name with the start of its message: CI keeps only the end of the log.
const failureStart = (test) => `\n      ${String(test.failureMessages?.[0] ?? '').split('\n').slice(0, 3).join('\n      ').slice(0, 600)}`
const failed = listTests((status) => status === 'failed', failureStart)
if (failed.length > 0) console.log(`\nfailed (${failed.length}):\n${failed.join('\n')}`)
const e2ePassed = e2e?.stats?.expected ?? 0
const e2eFailed = e2e ? (e2e.stats.unexpected ?? 0) + (e2e.stats.flaky ?? 0) : 1
console.log(`\ntime per phase: ${timings.join('; ')}`)
console.log(`\nunit: ${unitPassed} passed, ${unitFailed} failed; e2e: ${e2ePassed} passed, ${e2eFailed} failed`)
console.log(`total: ${unitPassed + e2ePassed} passed, ${unitFailed + e2eFailed} failed`)
process.exit(ok && unitFailed + e2eFailed === 0 ? 0 : 1)
