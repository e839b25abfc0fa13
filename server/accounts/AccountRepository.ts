// Where accounts and sign-in sessions are kept. AccountStore holds the rules (password hashing, what
// ends a session); a repository only stores: FileAccountRepository (DATA_DIR/accounts.json, the
// embedded backend) and PgAccountRepository (server/postgres, DATABASE_URL).

export interface User {
  id: string
  username: string
  displayName: string
  passwordHash: string
  isAdmin: boolean
  disabled: boolean
  createdAt: string
}

export interface StoredSession {
  /** sha256 of the cookie token: a stolen copy of the store does not yield usable cookies. */
  tokenHash: string
  userId: string
  createdAt: string
  lastSeenAt: string
}

export type UserChanges = Partial<Pick<User, 'displayName' | 'passwordHash' | 'isAdmin' | 'disabled'>>

/** Two accounts cannot share a username (also between processes creating them at once). */
export class DuplicateUsernameError extends Error {
  override name = 'DuplicateUsernameError'
  constructor(readonly username: string) {
    super(`User ${username} already exists`)
  }
}

export interface AccountRepository {
  countUsers(): Promise<number>
  /** Every account, by username. */
  listUsers(): Promise<User[]>
  userById(id: string): Promise<User | undefined>
  userByUsername(username: string): Promise<User | undefined>
  /** Throws DuplicateUsernameError when the username is taken. */
  insertUser(user: User): Promise<void>
  /**
   * Changes an account; with `endSessions` its sessions are deleted in the same step and their token
   * hashes returned. With `ifPasswordHash`, nothing changes unless the stored hash is still that one
   * (a rehash must not undo a password reset made meanwhile). Undefined when nothing was changed.
   */
  updateUser(id: string, changes: UserChanges, options?: { endSessions?: boolean; ifPasswordHash?: string }): Promise<{ user: User; endedSessions: string[] } | undefined>
  insertSession(session: StoredSession): Promise<void>
  /** Deletes a session; returns its user's id, or undefined if there was none. */
  deleteSession(tokenHash: string): Promise<string | undefined>
  /**
   * The active (not disabled) account behind a session seen within `idleMs`, marking the session as
   * seen now. Runs on every API call and WebSocket upgrade: one indexed lookup, and a write only now
   * and then (the last-seen time is stored at most once a minute).
   */
  sessionUser(tokenHash: string, idleMs: number): Promise<User | undefined>
  /** Deletes sessions not seen within `idleMs`. */
  pruneSessions(idleMs: number): Promise<void>
}

/** How often a session's last-seen time is stored: activity must not write on every request. */
export const TOUCH_PERSIST_MS = 60_000
