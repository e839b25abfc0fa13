import path from 'node:path'
import type { Low } from 'lowdb'
import { openLowFile } from '../storage/lowFile'
import { DuplicateUsernameError, TOUCH_PERSIST_MS, type AccountRepository, type StoredSession, type User, type UserChanges } from './AccountRepository'
import { componentLogger } from '../logger'

const log = componentLogger('accounts')

interface AccountsData {
  users: User[]
  sessions: StoredSession[]
}

const isAccounts = (data: unknown): data is AccountsData =>
  typeof data === 'object' && data !== null && Array.isArray((data as AccountsData).users) && Array.isArray((data as AccountsData).sessions)

/** The embedded backend: accounts and sessions in DATA_DIR/accounts.json (lowdb), held in memory. */
export class FileAccountRepository implements AccountRepository {
  private lastPersist = 0

  private constructor(private readonly db: Low<AccountsData>) {}

  static async open(dataDir: string): Promise<FileAccountRepository> {
    return new FileAccountRepository(await openLowFile(path.join(dataDir, 'accounts.json'), { users: [], sessions: [] }, isAccounts))
  }

  async countUsers(): Promise<number> {
    return this.db.data.users.length
  }

  async listUsers(): Promise<User[]> {
    return [...this.db.data.users].sort((a, b) => a.username.localeCompare(b.username))
  }

  /** Every stored session (importing the data directory into PostgreSQL: people stay signed in). */
  sessions(): readonly StoredSession[] {
    return this.db.data.sessions
  }

  async userById(id: string): Promise<User | undefined> {
    return this.db.data.users.find((user) => user.id === id)
  }

  async userByUsername(username: string): Promise<User | undefined> {
    return this.db.data.users.find((user) => user.username === username)
  }

  async insertUser(user: User): Promise<void> {
    if (this.db.data.users.some((other) => other.username === user.username)) throw new DuplicateUsernameError(user.username)
    this.db.data.users.push(user)
    await this.db.write()
  }

  async updateUser(id: string, changes: UserChanges, options: { endSessions?: boolean; ifPasswordHash?: string } = {}) {
    const user = this.db.data.users.find((candidate) => candidate.id === id)
    if (!user || (options.ifPasswordHash !== undefined && user.passwordHash !== options.ifPasswordHash)) return undefined
    for (const [key, value] of Object.entries(changes)) if (value !== undefined) Object.assign(user, { [key]: value })
    let endedSessions: string[] = []
    if (options.endSessions) {
      endedSessions = this.db.data.sessions.filter((s) => s.userId === id).map((s) => s.tokenHash)
      this.db.data.sessions = this.db.data.sessions.filter((s) => s.userId !== id)
    }
    await this.db.write()
    return { user, endedSessions }
  }

  async insertSession(session: StoredSession): Promise<void> {
    this.db.data.sessions.push(session)
    await this.db.write()
  }

  async deleteSession(tokenHash: string): Promise<string | undefined> {
    const session = this.db.data.sessions.find((s) => s.tokenHash === tokenHash)
    if (!session) return undefined
    this.db.data.sessions = this.db.data.sessions.filter((s) => s.tokenHash !== tokenHash)
    await this.db.write()
    return session.userId
  }

  async sessionUser(tokenHash: string, idleMs: number): Promise<User | undefined> {
    const session = this.db.data.sessions.find((s) => s.tokenHash === tokenHash)
    if (!session || Date.now() - Date.parse(session.lastSeenAt) > idleMs) return undefined
    const user = this.db.data.users.find((candidate) => candidate.id === session.userId)
    if (!user || user.disabled) return undefined
    session.lastSeenAt = new Date().toISOString()
    if (Date.now() - this.lastPersist > TOUCH_PERSIST_MS) {
      this.lastPersist = Date.now()
      this.db.write().catch((error: Error) => log.error(`cannot save session activity: ${error.message}`))
    }
    return user
  }

  async pruneSessions(idleMs: number): Promise<void> {
    const cutoff = Date.now() - idleMs
    // Written with the next change (as before: pruning alone never wrote the file).
    this.db.data.sessions = this.db.data.sessions.filter((session) => Date.parse(session.lastSeenAt) >= cutoff)
  }
}
