// Vitest global setup: one throwaway PostgreSQL per test run, started lazily by the first test file
// that asks for it (server/postgres/testing.ts), so runs without PostgreSQL tests pay nothing; each
// file gets its own database. Stopped here when the run ends.
import { existsSync, readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { stopTestPostgres, type TestClusterFiles } from './testPostgres'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Directory where the run's PostgreSQL cluster is described (see testing.ts). */
    huigaoPostgresRunDir: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huigao-vitest-pg-'))
  project.provide('huigaoPostgresRunDir', runDir)
  return async () => {
    const filesPath = path.join(runDir, 'cluster-files.json')
    if (existsSync(filesPath)) await stopTestPostgres(JSON.parse(readFileSync(filesPath, 'utf8')) as TestClusterFiles)
    await fs.rm(runDir, { recursive: true, force: true })
  }
}
