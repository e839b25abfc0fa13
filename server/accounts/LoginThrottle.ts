/** A sign-in attempt that holds its place in the throttle until the password check is done. */
export interface SignInAttempt {
  /** The password was right: the attempt no longer counts against the address, and the account starts afresh. */
  succeeded(): void
}

interface Entry {
  count: number
  until: number
  last: number
}

/**
 * Slows down password guessing: after a few failures for one account or from one address, further
 * attempts are refused for a while, doubling with each further failure (capped).
 *
 * Every attempt is counted as a failure the moment it starts, before the (asynchronous, ~100 ms)
 * password check, and given back only if the password was right. Checking the wait first and
 * recording the failure after the check let any number of parallel guesses through: all of them
 * passed the check before the first failure was recorded.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Entry>()

  constructor(
    private readonly freeAttempts = 5,
    private readonly baseLockMs = 30_000,
    private readonly maxLockMs = 15 * 60_000,
  ) {}

  /** Milliseconds until another attempt is allowed for any of the keys (0 = now). */
  retryAfter(keys: string[], now = Date.now()): number {
    return Math.max(0, ...keys.map((key) => (this.failures.get(key)?.until ?? 0) - now))
  }

  /**
   * Starts an attempt: refused (with the wait in milliseconds) while any key is locked; otherwise
   * counted as a failure for every key right away.
   */
  begin(keys: string[], now = Date.now()): { retryAfterMs: number } | SignInAttempt {
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
    for (const key of keys) {
      const entry = this.failures.get(key) ?? { count: 0, until: 0, last: now }
      // Failures long ago do not count against someone today.
      if (now - entry.last > this.maxLockMs) entry.count = 0
      entry.count++
      entry.last = now
      this.lock(entry, now)
      this.failures.set(key, entry)
    }
    if (this.failures.size > 10_000) this.prune(now)
  }

  /** Forgets the keys' failures (an administrator's reset, tests). */
  succeed(keys: string[]): void {
    for (const key of keys) this.failures.delete(key)
  }

  private lock(entry: Entry, now: number): void {
    const over = entry.count - this.freeAttempts
    entry.until = over >= 0 ? now + Math.min(this.maxLockMs, this.baseLockMs * 2 ** over) : 0
  }

  /** A successful attempt: the first key (the account) starts afresh, the others lose this one count. */
  private giveBack(keys: string[]): void {
    const [account, ...others] = keys
    this.failures.delete(account)
    for (const key of others) {
      const entry = this.failures.get(key)
      if (!entry) continue
      entry.count = Math.max(0, entry.count - 1)
      if (entry.count === 0) this.failures.delete(key)
      else this.lock(entry, entry.last)
    }
  }

  private prune(now: number): void {
    for (const [key, entry] of this.failures) if (now - entry.last > this.maxLockMs) this.failures.delete(key)
  }
}
