// Setup file of vitest's "postgres" project: the server tests listed there run a second time with
// accounts, sessions, the catalog, versions and throttling in PostgreSQL (a fresh database for each
// data directory a test starts a server on). Skipped, saying why, when PostgreSQL cannot be started.
import { beforeEach } from 'vitest'
import { useDatabaseForTestServers } from '../testing/harness'
import { postgresForTests } from './testing'

const pg = await postgresForTests()
if (pg.newDatabase) useDatabaseForTestServers(pg.newDatabase)
beforeEach((context) => {
  if (pg.skipReason) context.skip(pg.skipReason)
})
