import { describe, expect, it } from 'vitest'
import { LoginThrottle } from './LoginThrottle'
import { hashPassword, verifyPassword, type PasswordHashing } from './passwords'

// The format and checks do not depend on the cost; server/hardening/durability.test.ts proves the default.
const FAST: PasswordHashing = { log2N: 10, r: 8, p: 1 }

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('正确的口令-correct horse', FAST)
    expect(stored).toMatch(/^scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(stored).not.toContain('correct horse')
    expect(await verifyPassword('正确的口令-correct horse', stored)).toBe(true)
    expect(await verifyPassword('正确的口令-correct hors', stored)).toBe(false)
    expect(await verifyPassword('', stored)).toBe(false)
    expect(await verifyPassword('正确的口令-Correct horse', stored)).toBe(false)
  })

  it('salts every hash: the same password hashes differently, and each verifies', async () => {
    const [a, b] = await Promise.all([hashPassword('same-password', FAST), hashPassword('same-password', FAST)])
    expect(a).not.toBe(b)
    expect(a.split('$')[2]).not.toBe(b.split('$')[2])
    expect(await verifyPassword('same-password', a)).toBe(true)
    expect(await verifyPassword('same-password', b)).toBe(true)
  })

  it('treats a malformed stored hash as a wrong password, without throwing', async () => {
    const good = await hashPassword('pw-123456', FAST)
    const [, params, salt, hash] = good.split('$')
    for (const stored of [
      '',
      'pw-123456',
      'scrypt$',
      `scrypt$${salt}`,
      `scrypt$${salt}$`,
      `scrypt$$${hash}`,
      `bcrypt$${params}$${salt}$${hash}`,
      `scrypt$${params}$${salt}$${hash.slice(0, 20)}`,
      `scrypt$${params}$${salt}$!!!not-base64!!!`,
      `scrypt$${params}$${salt}`,
      `scrypt$ln=17,r=8$${salt}$${hash}`,
      // A tampered cost must not make a sign-in allocate gigabytes.
      `scrypt$ln=30,r=8,p=1$${salt}$${hash}`,
      `scrypt$ln=0,r=8,p=1$${salt}$${hash}`,
    ]) {
      expect(await verifyPassword('pw-123456', stored), stored).toBe(false)
    }
  })

  it('hashes the NFKC form, so full-width and half-width input match', async () => {
    const stored = await hashPassword('ＡＢＣ１２３４５', FAST)
    expect(await verifyPassword('ABC12345', stored)).toBe(true)
  })
})

describe('LoginThrottle', () => {
  const keys = ['user:a', 'ip:1']

  it('allows a few failures, then locks for a while, doubling with each further failure up to the cap', () => {
    const throttle = new LoginThrottle(5, 30_000, 120_000)
    const t0 = 1_000_000
    for (let i = 0; i < 4; i++) {
      throttle.fail(keys, t0)
      expect(throttle.retryAfter(keys, t0)).toBe(0)
    }
    throttle.fail(keys, t0)
    expect(throttle.retryAfter(keys, t0)).toBe(30_000)
    expect(throttle.retryAfter(keys, t0 + 29_999)).toBe(1)
    expect(throttle.retryAfter(keys, t0 + 30_000)).toBe(0)
    throttle.fail(keys, t0 + 30_000)
    expect(throttle.retryAfter(keys, t0 + 30_000)).toBe(60_000)
    throttle.fail(keys, t0 + 90_000)
    expect(throttle.retryAfter(keys, t0 + 90_000)).toBe(120_000)
    throttle.fail(keys, t0 + 210_000)
    expect(throttle.retryAfter(keys, t0 + 210_000)).toBe(120_000)
  })

  it('locks if any one key is locked, and a success clears only the keys it names', () => {
    const throttle = new LoginThrottle(2, 10_000, 60_000)
    throttle.fail(['user:a', 'ip:1'], 0)
    throttle.fail(['user:b', 'ip:1'], 0)
    expect(throttle.retryAfter(['user:c', 'ip:1'], 0)).toBe(10_000)
    expect(throttle.retryAfter(['user:c', 'ip:2'], 0)).toBe(0)
    throttle.succeed(['user:c'])
    expect(throttle.retryAfter(['user:c', 'ip:1'], 0)).toBe(10_000)
    throttle.succeed(['ip:1'])
    expect(throttle.retryAfter(['user:c', 'ip:1'], 0)).toBe(0)
  })

  it('a correct sign-in after a lock leaves the address open, and the next wrong password locks it again at once', () => {
    const throttle = new LoginThrottle(5, 30_000, 120_000)
    for (let i = 0; i < 5; i++) throttle.fail(['user:x', 'ip:office'], 0)
    expect(throttle.retryAfter(['user:a', 'ip:office'], 0)).toBe(30_000)
    // The lock is over; 张明 signs in correctly, then 李华 does from the same address.
    for (const [user, at] of [['user:zhang', 30_000], ['user:li', 30_001]] as const) {
      const attempt = throttle.begin([user, 'ip:office'], at)
      expect(attempt).not.toHaveProperty('retryAfterMs')
      ;(attempt as { succeeded(): void }).succeeded()
      expect(throttle.retryAfter([user, 'ip:office'], at)).toBe(0)
    }
    throttle.fail(['user:x', 'ip:office'], 40_000)
    expect(throttle.retryAfter(['user:li', 'ip:office'], 40_000)).toBe(60_000)
  })

  it('forgets failures older than the longest lock', () => {
    const throttle = new LoginThrottle(2, 10_000, 60_000)
    throttle.fail(keys, 0)
    throttle.fail(keys, 60_001 + 10_000)
    expect(throttle.retryAfter(keys, 70_001)).toBe(0)
  })
})
