// Schema migrations with node-pg-migrate. One SQL file per table group in ./migrations, applied in
// the order of their numeric prefix (0001–0099 accounts and the rest of the repositories, 0100–0199
// document storage and leases, 0200– cluster). Every process runs this at start: node-pg-migrate's
// advisory lock makes processes starting together apply them once, in turn.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runner } from 'node-pg-migrate'

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/** Applies every pending migration; returns the names applied. */
export async function migrate(databaseUrl: string, log: (message: string) => void = () => {}): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    log,
  })
  return applied.map((migration) => migration.name)
}
