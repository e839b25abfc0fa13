// The one connection pool of a process on the PostgreSQL backend (DATABASE_URL).
import pg from 'pg'
import { componentLogger } from '../logger'

const log = componentLogger('postgres')

/**
 * int8 (bigint: millisecond times, sequence numbers, byte counts) as a JavaScript number: every value
 * Huigao stores stays far below 2^53. Per pool, not pg's global parser table.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

export interface PoolOptions {
  /** Most connections this process opens (PG_POOL_MAX, default 10). */
  max?: number
  /** Called when an idle connection fails (the server restarted, a network drop); the pool replaces it. */
  onError?: (error: Error) => void
}

export function createPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    types,
    application_name: `huigao:${process.pid}`,
  })
  // Without a listener an idle client's error would crash the process.
  pool.on('error', (error) => (options.onError ?? ((e: Error) => log.error(`idle connection: ${e.message}`)))(error))
  return pool
}

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}
