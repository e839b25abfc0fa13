import type pg from 'pg'
import { DuplicateUsernameError, TOUCH_PERSIST_MS, type AccountRepository, type StoredSession, type User, type UserChanges } from '../accounts/AccountRepository'
import { inTransaction } from './pool'
import { componentLogger } from '../logger'

const log = componentLogger('accounts')

interface UserRow {
  id: string
  username: string
  display_name: string
  password_hash: string
  is_admin: boolean
  disabled: boolean
  created_at: Date
}

const USER_COLUMNS = 'id, username, display_name, password_hash, is_admin, disabled, created_at'

const userOf = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  passwordHash: row.password_hash,
  isAdmin: row.is_admin,
  disabled: row.disabled,
  createdAt: row.created_at.toISOString(),
})

const COLUMN_OF: Record<keyof UserChanges, string> = { displayName: 'display_name', passwordHash: 'password_hash', isAdmin: 'is_admin', disabled: 'disabled' }

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505'

/**
 * Accounts and sessions in PostgreSQL (tables users, sessions), shared by every process. Nothing is
 * cached: a sign-out, a reset password or a disabled account is seen by every process on its next
 * request, because every request reads its session here (one primary-key lookup joined to users).
 */
export class PgAccountRepository implements AccountRepository {
  constructor(private readonly pool: pg.Pool) {}

  async countUsers(): Promise<number> {
    return (await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n
  }

  async listUsers(): Promise<User[]> {
    // Sorted here, as the embedded backend sorts: the database's collation may order differently.
    const { rows } = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users`)
    return rows.map(userOf).sort((x, y) => x.username.localeCompare(y.username))
  }

  async userById(id: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id])
    return rows[0] && userOf(rows[0])
  }

  async userByUsername(username: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username = $1`, [username])
    return rows[0] && userOf(rows[0])
  }

  async insertUser(user: User): Promise<void> {
    try {
      await this.pool.query(`INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        user.id,
        user.username,
        user.displayName,
        user.passwordHash,
        user.isAdmin,
        user.disabled,
        user.createdAt,
      ])
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateUsernameError(user.username)
      throw error
    }
  }

  updateUser(id: string, changes: UserChanges, options: { endSessions?: boolean; ifPasswordHash?: string } = {}) {
    return inTransaction(this.pool, async (client) => {
      const sets: string[] = []
      const values: unknown[] = [id]
      for (const [key, value] of Object.entries(changes) as [keyof UserChanges, unknown][]) {
        if (value === undefined) continue
        values.push(value)
        sets.push(`${COLUMN_OF[key]} = $${values.length}`)
      }
      let where = 'id = $1'
      if (options.ifPasswordHash !== undefined) {
        values.push(options.ifPasswordHash)
        where += ` AND password_hash = $${values.length}`
      }
      // With nothing to set, the row is still locked (FOR UPDATE semantics) so the sessions below end atomically.
      const { rows } = await client.query<UserRow>(`UPDATE users SET ${sets.length > 0 ? sets.join(', ') : 'id = id'} WHERE ${where} RETURNING ${USER_COLUMNS}`, values)
      if (rows.length === 0) return undefined
      const endedSessions = options.endSessions
        ? (await client.query<{ token_hash: string }>('DELETE FROM sessions WHERE user_id = $1 RETURNING token_hash', [id])).rows.map((r) => r.token_hash)
        : []
      return { user: userOf(rows[0]), endedSessions }
    })
  }

  async insertSession(session: StoredSession): Promise<void> {
    await this.pool.query('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)', [
      session.tokenHash,
      session.userId,
      session.createdAt,
      session.lastSeenAt,
    ])
  }

  async deleteSession(tokenHash: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ user_id: string }>('DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id', [tokenHash])
    return rows[0]?.user_id
  }

  async sessionUser(tokenHash: string, idleMs: number): Promise<User | undefined> {
    const { rows } = await this.pool.query<UserRow & { stale: boolean }>(
      `SELECT ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')},
              s.last_seen_at < now() - make_interval(secs => $3::double precision / 1000) AS stale
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.last_seen_at >= now() - make_interval(secs => $2::double precision / 1000) AND NOT u.disabled`,
      // Stored often enough that activity keeps even a short session alive (tests use seconds).
      [tokenHash, idleMs, Math.min(TOUCH_PERSIST_MS, idleMs / 4)],
    )
    const row = rows[0]
    if (!row) return undefined
    // Stored at most once a minute (less for short idle limits); a failure only makes the session end up to a minute early.
    if (row.stale) {
      this.pool
        .query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [tokenHash])
        .catch((error: Error) => log.error(`cannot save session activity: ${error.message}`))
    }
    return userOf(row)
  }

  async pruneSessions(idleMs: number): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE last_seen_at < now() - make_interval(secs => $1::double precision / 1000)', [idleMs])
  }
}
