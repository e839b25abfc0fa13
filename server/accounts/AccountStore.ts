import { createHash, randomBytes } from 'node:crypto'
import path from 'node:path'
import type { Low } from 'lowdb'
import { newId } from '../../shared/editor/lib/ids'
import { openLowFile } from '../storage/lowFile'
import { DEFAULT_PASSWORD_HASHING, hashPassword, needsRehash, verifyPassword, type PasswordHashing } from './passwords'

export interface User {
  id: string
  username: string
  displayName: string
  passwordHash: string
  isAdmin: boolean
  disabled: boolean
  createdAt: string
}

export type PublicUser = Pick<User, 'id' | 'username' | 'displayName' | 'isAdmin'>

interface Session {
  /** sha256 of the cookie token: a stolen accounts file does not yield usable cookies. */
  tokenHash: string
  userId: string
  createdAt: string
  lastSeenAt: string
}

interface AccountsData {
  users: User[]
  sessions: Session[]
}

const isAccounts = (data: unknown): data is AccountsData =>
  typeof data === 'object' && data !== null && Array.isArray((data as AccountsData).users) && Array.isArray((data as AccountsData).sessions)

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url')

/** Only persist `lastSeenAt` this often: activity must not rewrite the accounts file on every request. */
const TOUCH_PERSIST_MS = 60_000

/** Why sessions ended: each is told to the person whose sockets close. */
export type SessionEndReason = 'signed-out' | 'password-reset' | 'disabled'

export interface SessionsEnded {
  userId: string
  /** Ids of the ended sessions (see sessionIdOf). */
  sessionIds: string[]
  reason: SessionEndReason
}

export const publicUser = ({ id, username, displayName, isAdmin }: User): PublicUser => ({ id, username, displayName, isAdmin })

/** Accounts and sign-in sessions (DATA_DIR/accounts.json, lowdb). Sessions survive restarts. */
export class AccountStore {
  private lastPersist = 0
  private readonly endedListeners = new Set<(ended: SessionsEnded) => void>()

  private constructor(
    private readonly db: Low<AccountsData>,
    private readonly sessionIdleMs: number,
    private readonly hashing: PasswordHashing,
    /** Verified against when the username is unknown, so a wrong name costs as long as a wrong password. */
    private readonly dummyHash: string,
  ) {}

  static async open(dataDir: string, sessionIdleMs: number, hashing: PasswordHashing = DEFAULT_PASSWORD_HASHING): Promise<AccountStore> {
    const db = await openLowFile(path.join(dataDir, 'accounts.json'), { users: [], sessions: [] }, isAccounts)
    return new AccountStore(db, sessionIdleMs, hashing, await hashPassword(randomBytes(16).toString('base64'), hashing))
  }

  /**
   * Called whenever sessions end (sign-out, password reset, disabled account), before the change is
   * written: whatever was opened with those sessions (sockets) must stop working at once.
   */
  onSessionsEnded(listener: (ended: SessionsEnded) => void): () => void {
    this.endedListeners.add(listener)
    return () => this.endedListeners.delete(listener)
  }

  /** The id of the session behind a cookie token (whether or not it is still valid). */
  sessionIdOf(token: string): string {
    return hashToken(token)
  }

  get isEmpty(): boolean {
    return this.db.data.users.length === 0
  }

  list(): User[] {
    return [...this.db.data.users].sort((a, b) => a.username.localeCompare(b.username))
  }

  byUsername(username: string): User | undefined {
    return this.db.data.users.find((user) => user.username === username)
  }

  byId(id: string): User | undefined {
    return this.db.data.users.find((user) => user.id === id)
  }

  async create(args: { username: string; displayName: string; password: string; isAdmin?: boolean }): Promise<User> {
    const user: User = {
      id: newId('u'),
      username: args.username,
      displayName: args.displayName,
      passwordHash: await hashPassword(args.password, this.hashing),
      isAdmin: args.isAdmin ?? false,
      disabled: false,
      createdAt: new Date().toISOString(),
    }
    this.db.data.users.push(user)
    await this.db.write()
    return user
  }

  async update(user: User, changes: { displayName?: string; password?: string; disabled?: boolean; isAdmin?: boolean }): Promise<User> {
    if (changes.displayName !== undefined) user.displayName = changes.displayName
    if (changes.isAdmin !== undefined) user.isAdmin = changes.isAdmin
    if (changes.password !== undefined) user.passwordHash = await hashPassword(changes.password, this.hashing)
    if (changes.disabled !== undefined) user.disabled = changes.disabled
    // A disabled account or a reset password signs that person out everywhere.
    if (changes.disabled || changes.password !== undefined) {
      const ended = this.db.data.sessions.filter((s) => s.userId === user.id).map((s) => s.tokenHash)
      this.db.data.sessions = this.db.data.sessions.filter((s) => s.userId !== user.id)
      this.sessionsEnded({ userId: user.id, sessionIds: ended, reason: changes.disabled ? 'disabled' : 'password-reset' })
    }
    await this.db.write()
    return user
  }

  /** The user if the password is right and the account is active. Takes the same time for unknown names. */
  async authenticate(username: string, password: string): Promise<User | null> {
    const user = this.byUsername(username)
    const stored = user?.passwordHash ?? this.dummyHash
    const ok = await verifyPassword(password, stored)
    if (!ok || !user || user.disabled) return null
    // Hashes made with an older, cheaper cost are replaced while the password is at hand.
    if (needsRehash(stored, this.hashing)) await this.rehash(user, stored, password)
    return user
  }

  private async rehash(user: User, stored: string, password: string): Promise<void> {
    const upgraded = await hashPassword(password, this.hashing)
    // Unless the password changed meanwhile (an administrator's reset during the hashing).
    if (user.passwordHash !== stored) return
    user.passwordHash = upgraded
    await this.db.write()
  }

  async startSession(user: User): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    const now = new Date().toISOString()
    this.pruneExpired()
    this.db.data.sessions.push({ tokenHash: hashToken(token), userId: user.id, createdAt: now, lastSeenAt: now })
    await this.db.write()
    return token
  }

  async endSession(token: string): Promise<void> {
    const tokenHash = hashToken(token)
    const session = this.db.data.sessions.find((s) => s.tokenHash === tokenHash)
    this.db.data.sessions = this.db.data.sessions.filter((s) => s.tokenHash !== tokenHash)
    if (session) this.sessionsEnded({ userId: session.userId, sessionIds: [tokenHash], reason: 'signed-out' })
    await this.db.write()
  }

  /** The signed-in, active user behind a session token; slides the inactivity window. */
  resolveSession(token: string | undefined): User | null {
    if (!token) return null
    const tokenHash = hashToken(token)
    const session = this.db.data.sessions.find((s) => s.tokenHash === tokenHash)
    if (!session || Date.now() - Date.parse(session.lastSeenAt) > this.sessionIdleMs) return null
    const user = this.byId(session.userId)
    if (!user || user.disabled) return null
    session.lastSeenAt = new Date().toISOString()
    if (Date.now() - this.lastPersist > TOUCH_PERSIST_MS) {
      this.lastPersist = Date.now()
      this.db.write().catch((error: Error) => console.error(`[accounts] cannot save session activity: ${error.message}`))
    }
    return user
  }

  private sessionsEnded(ended: SessionsEnded): void {
    for (const listener of this.endedListeners) listener(ended)
  }

  private pruneExpired(): void {
    const cutoff = Date.now() - this.sessionIdleMs
    this.db.data.sessions = this.db.data.sessions.filter((session) => Date.parse(session.lastSeenAt) >= cutoff)
  }
}
