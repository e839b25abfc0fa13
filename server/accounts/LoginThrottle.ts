/**
 * Slows down password guessing: after a few failures for one account or from one address, further
 * attempts are refused for a while, doubling with each further failure (capped).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; until: number; last: number }>()

  constructor(
    private readonly freeAttempts = 5,
    private readonly baseLockMs = 30_000,
    private readonly maxLockMs = 15 * 60_000,
  ) {}

  /** Milliseconds until another attempt is allowed for any of the keys (0 = now). */
  retryAfter(keys: string[], now = Date.now()): number {
    return Math.max(0, ...keys.map((key) => (this.failures.get(key)?.until ?? 0) - now))
  }

  fail(keys: string[], now = Date.now()): void {
    for (const key of keys) {
      const entry = this.failures.get(key) ?? { count: 0, until: 0, last: now }
      // Failures long ago do not count against someone today.
      if (now - entry.last > this.maxLockMs) entry.count = 0
      entry.count++
      entry.last = now
      const over = entry.count - this.freeAttempts
      if (over >= 0) entry.until = now + Math.min(this.maxLockMs, this.baseLockMs * 2 ** over)
      this.failures.set(key, entry)
    }
    if (this.failures.size > 10_000) this.prune(now)
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.failures.delete(key)
  }

  private prune(now: number): void {
    for (const [key, entry] of this.failures) if (now - entry.last > this.maxLockMs) this.failures.delete(key)
  }
}
