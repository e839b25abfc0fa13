// Accounts, sessions, the catalog (with members), versions and sign-in throttling: in DATA_DIR's files
// (the embedded backend, DATABASE_URL unset) or in PostgreSQL, shared by every process.
import type pg from 'pg'
import { AccountStore } from './accounts/AccountStore'
import { LoginThrottle, type SignInThrottle } from './accounts/LoginThrottle'
import type { HuigaoConfig } from './config'
import { VersionStore, type VersionRepository } from './documents/VersionStore'
import { Catalog } from './storage/Catalog'

export interface Repositories {
  accounts: AccountStore
  catalog: Catalog
  versions: VersionRepository
  throttle: SignInThrottle
  /** The process's PostgreSQL pool (DATABASE_URL), for the other PostgreSQL parts; undefined when embedded. */
  pool?: pg.Pool
  close(): Promise<void>
}

export async function openRepositories(config: HuigaoConfig): Promise<Repositories> {
  if (config.databaseUrl) {
    const { openPostgresRepositories } = await import('./postgres/repositories')
    return openPostgresRepositories(config, config.databaseUrl)
  }
  const catalog = await Catalog.open(config.dataDir, { recover: config.recoverCatalog })
  return {
    accounts: await AccountStore.open(config.dataDir, config.sessionIdleMs, config.passwordHashing),
    catalog,
    versions: new VersionStore(config.dataDir),
    throttle: new LoginThrottle(),
    close: () => catalog.close(),
  }
}
