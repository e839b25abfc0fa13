import type pg from 'pg'
import { DEFAULT_THROTTLE, failed, givenBack, type BeginResult, type SignInThrottle, type ThrottleEntry, type ThrottlePolicy } from '../accounts/LoginThrottle'
import { inTransaction } from './pool'

interface Row {
  key: string
  failures: number
  locked_until: number
  last_failure: number
}

/** Every this many attempts, entries too old to count are deleted. */
const PRUNE_EVERY = 500

/**
 * Sign-in throttling shared by every process (table sign_in_attempts): a guesser spreading attempts
 * over several processes meets one count. Same rules as LoginThrottle (the shared functions `failed`
 * and `givenBack`); the keys' rows are locked while an attempt is counted, so parallel attempts on
 * any processes are counted one after the other.
 */
export class PgSignInThrottle implements SignInThrottle {
  private attempts = 0

  constructor(
    private readonly pool: pg.Pool,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {}

  async begin(keys: string[], now = Date.now()): Promise<BeginResult> {
    if (++this.attempts % PRUNE_EVERY === 0) await this.prune(now)
    const refused = await inTransaction(this.pool, async (client) => {
      const entries = await this.lock(client, keys)
      const wait = Math.max(0, ...keys.map((key) => (entries.get(key)?.until ?? 0) - now))
      if (wait > 0) return wait
      for (const key of keys) await this.write(client, key, failed(entries.get(key), now, this.policy))
      return 0
    })
    if (refused > 0) return { retryAfterMs: refused }
    let settled = false
    return {
      succeeded: async () => {
        if (settled) return
        settled = true
        await this.giveBack(keys)
      },
    }
  }

  async succeed(keys: string[]): Promise<void> {
    await this.pool.query('DELETE FROM sign_in_attempts WHERE key = ANY($1)', [keys])
  }

  /** The account starts afresh; the other keys (the address) lose this one count. */
  private giveBack(keys: string[]): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      const [account, ...others] = keys
      const entries = await this.lock(client, others)
      await client.query('DELETE FROM sign_in_attempts WHERE key = $1', [account])
      for (const key of others) {
        const entry = entries.get(key)
        if (!entry) continue
        const after = givenBack(entry)
        if (after) await this.write(client, key, after)
        else await client.query('DELETE FROM sign_in_attempts WHERE key = $1', [key])
      }
    })
  }

  /** Locks the keys' rows (creating missing ones), in a fixed order so that two attempts cannot deadlock. */
  private async lock(client: pg.PoolClient, keys: string[]): Promise<Map<string, ThrottleEntry>> {
    const sorted = [...new Set(keys)].sort()
    await client.query(
      'INSERT INTO sign_in_attempts (key, failures, locked_until, last_failure) SELECT k, 0, 0, 0 FROM unnest($1::text[]) AS k ORDER BY k ON CONFLICT (key) DO NOTHING',
      [sorted],
    )
    const { rows } = await client.query<Row>('SELECT key, failures, locked_until, last_failure FROM sign_in_attempts WHERE key = ANY($1) ORDER BY key FOR UPDATE', [sorted])
    // Rows just created (no failure yet) count as absent.
    return new Map(rows.filter((row) => row.failures > 0).map((row) => [row.key, { count: row.failures, until: row.locked_until, last: row.last_failure }]))
  }

  private async write(client: pg.PoolClient, key: string, entry: ThrottleEntry): Promise<void> {
    await client.query('UPDATE sign_in_attempts SET failures = $2, locked_until = $3, last_failure = $4 WHERE key = $1', [key, entry.count, entry.until, entry.last])
  }

  private async prune(now: number): Promise<void> {
    await this.pool.query('DELETE FROM sign_in_attempts WHERE last_failure < $1 AND locked_until < $2', [now - this.policy.maxLockMs, now])
  }
}
