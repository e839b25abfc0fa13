import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

const KEY_LENGTH = 64

/** scrypt's cost: N = 2^log2N, block size r, parallelism p. */
export interface PasswordHashing {
  log2N: number
  r: number
  p: number
}

/**
 * OWASP's minimum for scrypt (Password Storage Cheat Sheet): N = 2^17, r = 8, p = 1, about 128 MiB
 * and 100–200 ms per hash here. Node 20's crypto has no argon2id. Tests may configure a lower cost
 * (HuigaoConfig.passwordHashing); the server's default is this one.
 */
export const DEFAULT_PASSWORD_HASHING: PasswordHashing = { log2N: 17, r: 8, p: 1 }

/** What hashes without parameters were made with (`scrypt$<salt>$<hash>`, the first releases). */
const LEGACY_HASHING: PasswordHashing = { log2N: 14, r: 8, p: 1 }

/** Largest cost accepted from a stored hash (and for new ones): a tampered file must not make sign-ins allocate gigabytes. */
export const MAX_LOG2N = 20

/**
 * Cheapest cost a server may be configured with for new hashes (PASSWORD_HASH_LOG2N): the test
 * servers' one, far below the default, so that hundreds of sign-ins in a test run stay fast.
 */
export const TEST_PASSWORD_HASHING: PasswordHashing = { ...DEFAULT_PASSWORD_HASHING, log2N: 10 }

function derive(password: string, salt: Buffer, { log2N, r, p }: PasswordHashing): Promise<Buffer> {
  const N = 2 ** log2N
  // scrypt needs 128·N·r bytes; Node refuses anything above maxmem (32 MiB by default).
  const maxmem = 2 * 128 * N * r * p
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem }, (error, key) => (error ? reject(error) : resolve(key))),
  )
}

const paramsText = ({ log2N, r, p }: PasswordHashing) => `ln=${log2N},r=${r},p=${p}`

/** `scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt b64>$<hash b64>`, with a fresh salt for every password. */
export async function hashPassword(password: string, hashing: PasswordHashing = DEFAULT_PASSWORD_HASHING): Promise<string> {
  const salt = randomBytes(16)
  return `scrypt$${paramsText(hashing)}$${salt.toString('base64')}$${(await derive(password, salt, hashing)).toString('base64')}`
}

interface ParsedHash {
  hashing: PasswordHashing
  salt: Buffer
  hash: Buffer
}

function parse(stored: string): ParsedHash | null {
  const parts = stored.split('$')
  if (parts[0] !== 'scrypt') return null
  let hashing = LEGACY_HASHING
  let rest = parts.slice(1)
  if (parts.length === 4) {
    const match = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(parts[1])
    if (!match) return null
    hashing = { log2N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) }
    if (hashing.log2N < 1 || hashing.log2N > MAX_LOG2N || hashing.r < 1 || hashing.p < 1) return null
    rest = parts.slice(2)
  } else if (parts.length !== 3) {
    return null
  }
  const [salt, hash] = rest
  if (!salt || !hash) return null
  return { hashing, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') }
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored)
  if (!parsed) return false
  const actual = await derive(password, parsed.salt, parsed.hashing)
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash)
}

/** Whether a stored hash was made with other parameters than `hashing` (it is replaced at the next sign-in). */
export function needsRehash(stored: string, hashing: PasswordHashing = DEFAULT_PASSWORD_HASHING): boolean {
  const parsed = parse(stored)
  return !parsed || paramsText(parsed.hashing) !== paramsText(hashing)
}

export const MIN_PASSWORD_LENGTH = 8
