import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_PASSWORD_HASHING } from './accounts/passwords'
import { configFromEnv } from './config'

describe('PASSWORD_HASH_LOG2N', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('leaves the strong default when unset or empty', () => {
    vi.stubEnv('PASSWORD_HASH_LOG2N', '')
    expect(configFromEnv().passwordHashing).toBeUndefined()
  })

  it('sets log2 N of new hashes, keeping r and p', () => {
    vi.stubEnv('PASSWORD_HASH_LOG2N', '10')
    expect(configFromEnv().passwordHashing).toEqual({ ...DEFAULT_PASSWORD_HASHING, log2N: 10 })
    vi.stubEnv('PASSWORD_HASH_LOG2N', '20')
    expect(configFromEnv().passwordHashing?.log2N).toBe(20)
  })

  it('refuses to start with a value out of range or not a whole number, saying which', () => {
    for (const bad of ['9', '21', '12.5', 'abc', '-17']) {
      vi.stubEnv('PASSWORD_HASH_LOG2N', bad)
      expect(() => configFromEnv()).toThrow(`PASSWORD_HASH_LOG2N must be an integer from 10 to 20, got "${bad}"`)
    }
  })
})
