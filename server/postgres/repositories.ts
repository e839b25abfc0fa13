import { AccountStore } from '../accounts/AccountStore'
import type { HuigaoConfig } from '../config'
import type { Repositories } from '../repositories'
import { migrate } from './migrate'
import { PgAccountRepository } from './PgAccountRepository'
import { PgCatalog } from './PgCatalog'
import { PgSignInThrottle } from './PgSignInThrottle'
import { PgVersionStore } from './PgVersionStore'
import { createPool } from './pool'

/** The PostgreSQL backend: migrates the database, then opens every repository on one pool. */
export async function openPostgresRepositories(config: HuigaoConfig, databaseUrl: string): Promise<Repositories> {
  await migrate(databaseUrl)
  const pool = createPool(databaseUrl, { max: config.pgPoolMax })
  try {
    const catalog = await PgCatalog.open(pool, databaseUrl)
    return {
      accounts: await AccountStore.over(new PgAccountRepository(pool), config.sessionIdleMs, config.passwordHashing),
      catalog,
      versions: new PgVersionStore(pool),
      throttle: new PgSignInThrottle(pool),
      pool,
      close: async () => {
        await catalog.close()
        await pool.end()
      },
    }
  } catch (error) {
    await pool.end()
    throw error
  }
}
