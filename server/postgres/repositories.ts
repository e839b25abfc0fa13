import { AccountStore } from '../accounts/AccountStore'
import type { HuigaoConfig } from '../config'
import type { Repositories } from '../repositories'
import { migrate } from './migrate'
import { PgAccountRepository } from './PgAccountRepository'
import { PgCatalog } from './PgCatalog'
import { PgListener } from './PgListener'
import { PgNotificationRepository } from './PgNotificationRepository'
import { PgSignInThrottle } from './PgSignInThrottle'
import { PgSubmissionRequests } from './PgSubmissionRequests'
import { PgVersionStore } from './PgVersionStore'
import { createPool } from './pool'

/** DATABASE_URL names a database this process cannot reach or migrate. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError'
}

/** host:port/database of a URL: never its password, which would end up in logs. */
function describe(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl)
    return `${url.hostname}:${url.port || 5432}${url.pathname}`
  } catch {
    return '(an unreadable URL)'
  }
}

/** The PostgreSQL backend: migrates the database, then opens every repository on one pool. */
export async function openPostgresRepositories(config: HuigaoConfig, databaseUrl: string): Promise<Repositories> {
  await migrate(databaseUrl).catch((error: Error) => {
    throw new DatabaseUnavailableError(`cannot use the PostgreSQL database ${describe(databaseUrl)} (DATABASE_URL): ${error.message}`, { cause: error })
  })
  const pool = createPool(databaseUrl, { max: config.pgPoolMax })
  const listener = new PgListener(databaseUrl)
  try {
    const catalog = await PgCatalog.open(pool, listener)
    const notifications = await PgNotificationRepository.open(pool, listener)
    return {
      accounts: await AccountStore.over(new PgAccountRepository(pool), config.sessionIdleMs, config.passwordHashing),
      catalog,
      versions: new PgVersionStore(pool),
      throttle: new PgSignInThrottle(pool),
      requests: new PgSubmissionRequests(pool),
      notifications,
      pool,
      close: async () => {
        await catalog.close()
        await notifications.close()
        await listener.close()
        await pool.end()
      },
    }
  } catch (error) {
    await listener.close()
    await pool.end()
    throw error
  }
}
