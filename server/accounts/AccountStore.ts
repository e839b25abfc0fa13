import { createHash, randomBytes } from 'node:crypto'
import { newId } from '../../shared/editor/lib/ids'
import type { AccountRepository, User } from './AccountRepository'
import { FileAccountRepository } from './FileAccountRepository'
import { DEFAULT_PASSWORD_HASHING, hashPassword, needsRehash, verifyPassword, type PasswordHashing } from './passwords'

export type { User } from './AccountRepository'
export type PublicUser = Pick<User, 'id' | 'username' | 'displayName' | 'isAdmin'>

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url')

/** Why sessions ended: each is told to the person whose sockets close. */
export type SessionEndReason = 'signed-out' | 'password-reset' | 'disabled'

export interface SessionsEnded {
  userId: string
  /** Ids of the ended sessions (see sessionIdOf). */
  sessionIds: string[]
  reason: SessionEndReason
}

export const publicUser = ({ id, username, displayName, isAdmin }: User): PublicUser => ({ id, username, displayName, isAdmin })

/**
 * Accounts and sign-in sessions: the rules (password hashing, what ends a session), over a repository
 * that stores them (DATA_DIR/accounts.json, or PostgreSQL). Sessions survive restarts.
 */
export class AccountStore {
  private readonly endedListeners = new Set<(ended: SessionsEnded) => void>()

  private constructor(
    readonly repository: AccountRepository,
    private readonly sessionIdleMs: number,
    private readonly hashing: PasswordHashing,
    /** Verified against when the username is unknown, so a wrong name costs as long as a wrong password. */
    private readonly dummyHash: Promise<string>,
  ) {}

  static async over(repository: AccountRepository, sessionIdleMs: number, hashing: PasswordHashing = DEFAULT_PASSWORD_HASHING): Promise<AccountStore> {
    // Made in the background: awaited here, the deliberately slow hash (~0.5 s on a small VM) was a
    // quarter of every start, a restart after a crash included, before the server answered anyone.
    const dummyHash = hashPassword(randomBytes(16).toString('base64'), hashing)
    dummyHash.catch(() => undefined) // a failure surfaces where it is awaited (authenticate), not as an unhandled rejection
    return new AccountStore(repository, sessionIdleMs, hashing, dummyHash)
  }

  /** The embedded backend: DATA_DIR/accounts.json. */
  static async open(dataDir: string, sessionIdleMs: number, hashing: PasswordHashing = DEFAULT_PASSWORD_HASHING): Promise<AccountStore> {
    return AccountStore.over(await FileAccountRepository.open(dataDir), sessionIdleMs, hashing)
  }

  /**
   * Called whenever sessions end here (sign-out, password reset, disabled account): whatever was
   * opened with those sessions (sockets) must stop working at once. Only this process's changes are
   * told; other processes learn of them over the cluster's event bus.
   */
  onSessionsEnded(listener: (ended: SessionsEnded) => void): () => void {
    this.endedListeners.add(listener)
    return () => this.endedListeners.delete(listener)
  }

  /** The id of the session behind a cookie token (whether or not it is still valid). */
  sessionIdOf(token: string): string {
    return hashToken(token)
  }

  async isEmpty(): Promise<boolean> {
    return (await this.repository.countUsers()) === 0
  }

  list(): Promise<User[]> {
    return this.repository.listUsers()
  }

  byUsername(username: string): Promise<User | undefined> {
    return this.repository.userByUsername(username)
  }

  byId(id: string): Promise<User | undefined> {
    return this.repository.userById(id)
  }

  /** Throws DuplicateUsernameError when the username is taken. */
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
    await this.repository.insertUser(user)
    return user
  }

  /** Undefined when the account no longer exists. */
  async update(user: User, changes: { displayName?: string; password?: string; disabled?: boolean; isAdmin?: boolean }): Promise<User | undefined> {
    const { password, ...fields } = changes
    const passwordHash = password !== undefined ? await hashPassword(password, this.hashing) : undefined
    // A disabled account or a reset password signs that person out everywhere.
    const endSessions = changes.disabled === true || password !== undefined
    const result = await this.repository.updateUser(user.id, { ...fields, passwordHash }, { endSessions })
    if (!result) return undefined
    if (endSessions) this.sessionsEnded({ userId: user.id, sessionIds: result.endedSessions, reason: changes.disabled ? 'disabled' : 'password-reset' })
    return result.user
  }

  /** The user if the password is right and the account is active. Takes the same time for unknown names. */
  async authenticate(username: string, password: string): Promise<User | null> {
    const user = await this.repository.userByUsername(username)
    const stored = user?.passwordHash ?? (await this.dummyHash)
    const ok = await verifyPassword(password, stored)
    if (!ok || !user || user.disabled) return null
    // Hashes made with an older, cheaper cost are replaced while the password is at hand
    // (unless the password changed meanwhile: an administrator's reset during the hashing).
    if (needsRehash(stored, this.hashing)) {
      const upgraded = await hashPassword(password, this.hashing)
      return (await this.repository.updateUser(user.id, { passwordHash: upgraded }, { ifPasswordHash: stored }))?.user ?? user
    }
    return user
  }

  async startSession(user: User): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    const now = new Date().toISOString()
    await this.repository.pruneSessions(this.sessionIdleMs)
    await this.repository.insertSession({ tokenHash: hashToken(token), userId: user.id, createdAt: now, lastSeenAt: now })
    return token
  }

  async endSession(token: string): Promise<void> {
    const tokenHash = hashToken(token)
    const userId = await this.repository.deleteSession(tokenHash)
    if (userId) this.sessionsEnded({ userId, sessionIds: [tokenHash], reason: 'signed-out' })
  }

  /** The active user behind a session id (sessionIdOf), or null when the session ended or the account is disabled. */
  async sessionUserById(sessionId: string): Promise<User | null> {
    return (await this.repository.sessionUser(sessionId, this.sessionIdleMs)) ?? null
  }

  /** The signed-in, active user behind a session token; slides the inactivity window. */
  async resolveSession(token: string | undefined): Promise<User | null> {
    if (!token) return null
    return (await this.repository.sessionUser(hashToken(token), this.sessionIdleMs)) ?? null
  }

  private sessionsEnded(ended: SessionsEnded): void {
    for (const listener of this.endedListeners) listener(ended)
  }
}
