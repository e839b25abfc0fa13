import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_PASSWORD_HASHING, MAX_LOG2N, TEST_PASSWORD_HASHING, type PasswordHashing } from './accounts/passwords'

export interface HuigaoConfig {
  port: number
  /** Interface to listen on; undefined listens on all of them. */
  host?: string
  dataDir: string
  /**
   * DATABASE_URL: accounts, sessions, the catalog, versions and sign-in throttling (and, with the
   * document storage, the documents) live in this PostgreSQL database, shared by every process.
   * Unset: the embedded files in dataDir, exactly as before.
   */
  databaseUrl?: string
  /** PG_POOL_MAX: most PostgreSQL connections per process (default 10). */
  pgPoolMax?: number
  /**
   * LEASE_MS (PostgreSQL): how long this process owns a loaded document without renewing (every third
   * of it). A dead process's documents move to another after this long. Default 5000.
   */
  leaseMs?: number
  /** HUIGAO_INSTANCE: this process in lease rows and logs; default host:pid:random. */
  instanceId?: string
  /** The built client (Vite output); served as static files when present. */
  clientDir: string
  /** How long a document nobody has open stays in memory. */
  unloadDelayMs: number
  /** Group-commit interval of the update logs: the most a crash can lose. */
  flushIntervalMs: number
  compactAfterBytes: number
  maxMessageBytes: number
  heartbeatMs: number
  /** Create the sample report when the data directory is new. */
  seedSample: boolean
  /** Password of the first administrator; random (and written to DATA_DIR) when unset. */
  adminPassword?: string
  /** Sessions end after this long without activity. */
  sessionIdleMs: number
  /** An automatic version is saved after this long without edits (default 60 s). */
  autoVersionIdleMs?: number
  /** At most one automatic version per document per this interval (default 5 min). */
  autoVersionMinIntervalMs?: number
  /**
   * Express `trust proxy` (TRUST_PROXY): which peers may tell the client's address and scheme
   * (X-Forwarded-For, X-Forwarded-Proto). Unset: none.
   */
  trustProxy?: string
  /**
   * scrypt cost of new password hashes (PASSWORD_HASH_LOG2N sets log2 N); undefined is the strong
   * default (DEFAULT_PASSWORD_HASHING). Tests lower it: a hash at the default costs ~0.5 s of CPU here.
   */
  passwordHashing?: PasswordHashing
  /** PostgreSQL: wait before listening for events again after losing the connection (default 250 ms; tests lengthen it). */
  eventsReconnectMs?: number
  /** PostgreSQL: a document is handed to the process that asks for it only after being served here this long (default 10 s; tests shorten it). */
  handOverAfterMs?: number
  /** RECOVER_CATALOG=1: when catalog.json is missing, list the stored documents again instead of refusing to start. */
  recoverCatalog?: boolean
}

export const DEFAULT_AUTO_VERSION_IDLE_MS = 60_000
export const DEFAULT_LEASE_MS = 5_000
export const DEFAULT_AUTO_VERSION_MIN_INTERVAL_MS = 300_000

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`)
  return value
}

/**
 * PASSWORD_HASH_LOG2N: scrypt's log2 N for new hashes. Below the default only for test servers (the
 * server warns at start); hashes made cheaper are made again at the default on the next sign-in of a
 * server without it.
 */
function passwordHashingFromEnv(): PasswordHashing | undefined {
  const raw = process.env.PASSWORD_HASH_LOG2N
  if (raw === undefined || raw === '') return undefined
  const log2N = Number(raw)
  const lowest = TEST_PASSWORD_HASHING.log2N
  if (!Number.isInteger(log2N) || log2N < lowest || log2N > MAX_LOG2N) {
    throw new Error(`PASSWORD_HASH_LOG2N must be an integer from ${lowest} to ${MAX_LOG2N}, got "${raw}"`)
  }
  return { ...DEFAULT_PASSWORD_HASHING, log2N }
}

export function configFromEnv(): HuigaoConfig {
  return {
    port: intFromEnv('PORT', 3000),
    host: process.env.HOST || undefined,
    dataDir: path.resolve(process.env.DATA_DIR || path.join(projectRoot, 'data')),
    databaseUrl: process.env.DATABASE_URL || undefined,
    pgPoolMax: intFromEnv('PG_POOL_MAX', 10),
    leaseMs: intFromEnv('LEASE_MS', DEFAULT_LEASE_MS),
    handOverAfterMs: intFromEnv('HAND_OVER_AFTER_MS', 10_000),
    instanceId: process.env.HUIGAO_INSTANCE || undefined,
    clientDir: path.join(projectRoot, 'client', 'dist'),
    unloadDelayMs: intFromEnv('UNLOAD_DELAY_MS', 30_000),
    flushIntervalMs: Math.min(intFromEnv('FLUSH_INTERVAL_MS', 100), 250),
    compactAfterBytes: intFromEnv('COMPACT_AFTER_BYTES', 4 * 1024 * 1024),
    maxMessageBytes: intFromEnv('MAX_MESSAGE_BYTES', 32 * 1024 * 1024),
    heartbeatMs: 30_000,
    seedSample: process.env.SEED_SAMPLE !== '0',
    adminPassword: process.env.ADMIN_PASSWORD || undefined,
    sessionIdleMs: intFromEnv('SESSION_IDLE_HOURS', 12) * 3_600_000,
    autoVersionIdleMs: intFromEnv('AUTO_VERSION_IDLE_MS', DEFAULT_AUTO_VERSION_IDLE_MS),
    autoVersionMinIntervalMs: intFromEnv('AUTO_VERSION_MIN_INTERVAL_MS', DEFAULT_AUTO_VERSION_MIN_INTERVAL_MS),
    trustProxy: process.env.TRUST_PROXY || undefined,
    recoverCatalog: process.env.RECOVER_CATALOG === '1',
    passwordHashing: passwordHashingFromEnv(),
  }
}
