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

/**
 * Set in `installation` while a data directory is imported (importDataDir.ts), removed when it has
 * finished: no process starts on a database holding only part of an installation.
 */
export const IMPORT_INCOMPLETE_KEY = 'import-incomplete'

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
  const importing = await pool.query('SELECT value FROM installation WHERE key = $1', [IMPORT_INCOMPLETE_KEY]).catch(async (error: Error) => {
    await pool.end()
    throw new DatabaseUnavailableError(`cannot read the PostgreSQL database ${describe(databaseUrl)} (DATABASE_URL): ${error.message}`, { cause: error })
  })
  if (importing.rowCount) {
    await pool.end()
    throw new DatabaseUnavailableError(
      `the PostgreSQL database ${describe(databaseUrl)} holds an unfinished import of a data directory (started ${importing.rows[0].value}): ` +
        'drop and create the database again, then run `npm run import-data` again',
    )
  }
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
