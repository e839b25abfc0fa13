// PostgreSQL for unit tests: a database of its own for each test file, copied from a migrated
// template on the run's one throwaway cluster. When PostgreSQL cannot be started the tests that need
// it are skipped and the reason is printed; HUIGAO_REQUIRE_POSTGRES=1 (CI) turns that into a failure.
//
//   const pg = await postgresForTests()
//   describe.skipIf(!pg.url)('… on PostgreSQL', () => { … pg.url … })
import { existsSync, readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { inject } from 'vitest'
import { migrate } from './migrate'
import { adminQuery, createDatabase, startTestPostgres } from './testPostgres'

export interface PostgresForTests {
  /** The file's own database, migrated; undefined when PostgreSQL is not available. */
  url?: string
  /** Another fresh database like `url` (a server's first start needs an empty installation). */
  newDatabase?: () => Promise<string>
  /** Why PostgreSQL is not available. */
  skipReason?: string
}

interface ClusterState {
  adminUrl?: string
  /** A migrated database to copy; absent on an external server (each file's database is migrated itself). */
  template?: string
  error?: string
}

const TEMPLATE = 'huigao_template'
/** initdb and a first start on a loaded 2-core machine; installing postgresql happens before (global setup's ensure). */
const START_WAIT_MS = 180_000

/**
 * The database for this test file. HUIGAO_TEST_DATABASE_URL (a superuser URL of a running server)
 * replaces the throwaway cluster.
 */
export async function postgresForTests(options: { migrated?: boolean } = {}): Promise<PostgresForTests> {
  const state = await clusterState()
  if (!state.adminUrl) return unavailable(state.error!)
  const { adminUrl, template } = state
  const newDatabase = async () => {
    if (options.migrated === false || template) return createDatabase(adminUrl, undefined, options.migrated === false ? 'template0' : template)
    const url = await createDatabase(adminUrl, undefined, 'template0')
    await migrate(url)
    return url
  }
  try {
    return { url: await newDatabase(), newDatabase }
  } catch (error) {
    return unavailable(`cannot create this file's database: ${(error as Error).message}`)
  }
}

function unavailable(reason: string): PostgresForTests {
  const skipReason = `PostgreSQL tests skipped: ${reason}`
  if (process.env.HUIGAO_REQUIRE_POSTGRES === '1') throw new Error(`${skipReason} (HUIGAO_REQUIRE_POSTGRES=1)`)
  console.warn(skipReason)
  return { skipReason }
}

async function clusterState(): Promise<ClusterState> {
  const external = process.env.HUIGAO_TEST_DATABASE_URL
  if (external) return { adminUrl: external }
  const runDir = inject('huigaoPostgresRunDir')
  if (!runDir) return { error: 'no vitest global setup (server/postgres/vitestSetup.ts) provided a run directory' }
  const statePath = path.join(runDir, 'state.json')
  // The first file to get here starts the cluster; the others wait for what it writes.
  const starter = await fs.mkdir(path.join(runDir, 'starting')).then(
    () => true,
    () => false,
  )
  if (starter) {
    let state: ClusterState
    try {
      const cluster = await startTestPostgres({
        stopOnExit: false,
        onFiles: (files) => fs.writeFile(path.join(runDir, 'cluster-files.json'), JSON.stringify(files)),
      })
      state = await prepareTemplate(cluster.adminUrl)
    } catch (error) {
      state = { error: (error as Error).message }
    }
    await fs.writeFile(`${statePath}.tmp`, JSON.stringify(state))
    await fs.rename(`${statePath}.tmp`, statePath)
    return state
  }
  return waitForState(statePath)
}

/** The template every file's database is copied from: the migrated schema, nothing else. */
async function prepareTemplate(adminUrl: string): Promise<ClusterState> {
  try {
    const url = await createDatabase(adminUrl, `${TEMPLATE}_${process.pid}`, 'template0')
    await migrate(url)
    // Renamed once migrated, so a copy is never taken from a half-migrated template (nobody may be connected to rename).
    await adminQuery(adminUrl, `ALTER DATABASE ${TEMPLATE}_${process.pid} RENAME TO ${TEMPLATE}`)
    return { adminUrl, template: TEMPLATE }
  } catch (error) {
    return { error: `cannot prepare the test database: ${(error as Error).message}` }
  }
}

async function waitForState(statePath: string): Promise<ClusterState> {
  const deadline = Date.now() + START_WAIT_MS
  while (!existsSync(statePath)) {
    if (Date.now() > deadline) return { error: `the run's PostgreSQL did not start within ${START_WAIT_MS / 1000} s` }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return JSON.parse(readFileSync(statePath, 'utf8')) as ClusterState
}

/** Where a test server keeps accounts, the catalog and the rest: each test runs against both. */
export interface TestBackend {
  name: 'files' | 'postgres'
  /** A fresh database per new data directory (PostgreSQL); undefined for the embedded files. */
  database?: () => Promise<string>
  /** Set when this backend cannot run here (its tests are skipped, and say why). */
  skipReason?: string
}

/** The embedded files and PostgreSQL (skipped, with the reason printed, when it cannot be started). */
export async function testBackends(): Promise<TestBackend[]> {
  const pg = await postgresForTests()
  return [{ name: 'files' }, { name: 'postgres', database: pg.newDatabase, skipReason: pg.skipReason }]
}
