import { migrate } from '../../server/postgres/migrate'
import { startTestPostgres, type TestPostgres } from '../../server/postgres/testPostgres'
import { huigao } from './huigao'
import type { ServerSpec } from './spec'

/** One throwaway PostgreSQL for the whole bench run (stopped when the runner exits); a database per server start. */
let postgres: Promise<TestPostgres> | undefined

/**
 * Huigao on the PostgreSQL backend (DATABASE_URL): the same server and clients, with accounts, the
 * catalog and document content in a throwaway PostgreSQL on this machine (unpinned: the database's
 * CPU is not on the server core, so compare its CPU figures with that in mind).
 */
export const huigaoPg: ServerSpec = {
  ...huigao,
  id: 'huigao-pg',
  label: 'Huigao (PostgreSQL)',
  async prepare() {
    await huigao.prepare!()
    postgres ??= startTestPostgres()
    const url = await (await postgres).createDatabase()
    await migrate(url)
    // A stable name, as a deployment gives each process: restarted (W6), it takes its own leases back at
    // once instead of waiting LEASE_MS for the killed incarnation's to expire.
    return { DATABASE_URL: url, HUIGAO_INSTANCE: 'bench-huigao-pg' }
  },
}
