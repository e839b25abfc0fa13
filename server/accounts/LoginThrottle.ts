/** A sign-in attempt that holds its place in the throttle until the password check is done. */
export interface SignInAttempt {
  /** The password was right: the attempt no longer counts against the address, and the account starts afresh. */
  succeeded(): Promise<void> | void
}

export type BeginResult = { retryAfterMs: number } | SignInAttempt

/**
 * Sign-in throttling, wherever its counts are kept: LoginThrottle (this process's memory, the embedded
 * backend) or PgSignInThrottle (shared by every process, DATABASE_URL).
 */
export interface SignInThrottle {
  /**
   * Starts an attempt: refused (with the wait in milliseconds) while any key is locked; otherwise
   * counted as a failure for every key right away.
   */
  begin(keys: string[], now?: number): Promise<BeginResult> | BeginResult
  /** Forgets the keys' failures (an administrator's reset, tests). */
  succeed(keys: string[]): Promise<void> | void
}

export interface ThrottleEntry {
  count: number
  until: number
  last: number
}

export interface ThrottlePolicy {
  freeAttempts: number
  baseLockMs: number
  maxLockMs: number
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { freeAttempts: 5, baseLockMs: 30_000, maxLockMs: 15 * 60_000 }

/** Locked for baseLockMs after the free attempts, doubling with each further failure (capped). */
function lockedUntil(count: number, last: number, policy: ThrottlePolicy): number {
  const over = count - policy.freeAttempts
  return over >= 0 ? last + Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** over) : 0
}

/** The entry after one more failure at `now`. */
export function failed(entry: ThrottleEntry | undefined, now: number, policy: ThrottlePolicy): ThrottleEntry {
  // Failures long ago do not count against someone today.
  const count = (entry && now - entry.last <= policy.maxLockMs ? entry.count : 0) + 1
  return { count, last: now, until: lockedUntil(count, now, policy) }
}

/**
 * The entry after a successful attempt gives its failure back; undefined when nothing is left. The key is
 * no longer locked: the attempt had to wait out any lock to begin, and counted as a failure it had set a
 * fresh one from its own start — after five mistyped passwords from an office's one address, each correct
 * sign-in there locked everyone behind it for another 30 s. The earlier failures still count, so the
 * next wrong password locks the key again at once.
 */
export function givenBack(entry: ThrottleEntry): ThrottleEntry | undefined {
  const count = Math.max(0, entry.count - 1)
  return count === 0 ? undefined : { count, last: entry.last, until: 0 }
}

/**
 * Slows down password guessing: after a few failures for one account or from one address, further
 * attempts are refused for a while, doubling with each further failure (capped).
 *
 * Every attempt is counted as a failure the moment it starts, before the (asynchronous, ~100 ms)
 * password check, and given back only if the password was right. Checking the wait first and
 * recording the failure after the check let any number of parallel guesses through: all of them
 * passed the check before the first failure was recorded.
 *
 * In this process's memory: the embedded backend (one process).
 */
export class LoginThrottle implements SignInThrottle {
  private readonly failures = new Map<string, ThrottleEntry>()
  private readonly policy: ThrottlePolicy

  constructor(freeAttempts = DEFAULT_THROTTLE.freeAttempts, baseLockMs = DEFAULT_THROTTLE.baseLockMs, maxLockMs = DEFAULT_THROTTLE.maxLockMs) {
    this.policy = { freeAttempts, baseLockMs, maxLockMs }
  }

  /** Milliseconds until another attempt is allowed for any of the keys (0 = now). */
  retryAfter(keys: string[], now = Date.now()): number {
    return Math.max(0, ...keys.map((key) => (this.failures.get(key)?.until ?? 0) - now))
  }

  begin(keys: string[], now = Date.now()): BeginResult {
    const wait = this.retryAfter(keys, now)
    if (wait > 0) return { retryAfterMs: wait }
    this.fail(keys, now)
    let settled = false
    return {
      succeeded: () => {
        if (settled) return
        settled = true
        this.giveBack(keys)
      },
    }
  }

  fail(keys: string[], now = Date.now()): void {
    for (const key of keys) this.failures.set(key, failed(this.failures.get(key), now, this.policy))
    if (this.failures.size > 10_000) this.prune(now)
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.failures.delete(key)
  }

  /** A successful attempt: the first key (the account) starts afresh, the others lose this one count. */
  private giveBack(keys: string[]): void {
    const [account, ...others] = keys
    this.failures.delete(account)
    for (const key of others) {
      const entry = this.failures.get(key)
      if (!entry) continue
      const after = givenBack(entry)
      if (after) this.failures.set(key, after)
      else this.failures.delete(key)
    }
  }

  private prune(now: number): void {
    for (const [key, entry] of this.failures) if (now - entry.last > this.policy.maxLockMs) this.failures.delete(key)
  }
}
