import { DEFAULT_PASSWORD_HASHING } from './accounts/passwords'
import { createHuigaoServer } from './app'
import { configFromEnv } from './config'
import { logger } from './logger'
import { DataDirLockedError } from './storage/dataDirLock'
import { MissingCatalogError } from './storage/Catalog'
import { CorruptFileError } from './storage/errors'

/** A drain that takes longer than this (a hung database) ends the process anyway; the leases then expire. */
const DRAIN_TIMEOUT_MS = 30_000

const config = configFromEnv()
if (config.passwordHashing && config.passwordHashing.log2N < DEFAULT_PASSWORD_HASHING.log2N) {
  logger.warn({ log2N: config.passwordHashing.log2N }, 'PASSWORD_HASH_LOG2N is below the default: passwords are hashed weakly (for test servers only)')
}
const server = await createHuigaoServer(config).catch((error: Error) => {
  // Refusals that explain themselves (a locked or damaged data directory) need no stack trace.
  const explained = error instanceof DataDirLockedError || error instanceof CorruptFileError || error instanceof MissingCatalogError
  logger.fatal(explained ? { reason: error.message } : { err: error }, '会稿 Huigao cannot start')
  logger.flush()
  process.exit(1)
})
const port = await server.listen()
// The first line a supervisor (or the cluster tests) can read the bound port from, also for PORT=0.
logger.info({ port, url: `http://localhost:${port}`, dataDir: config.dataDir }, '会稿 Huigao listening')

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'draining: refusing new connections, telling clients to reconnect, saving documents')
  setTimeout(() => {
    logger.error({ timeoutMs: DRAIN_TIMEOUT_MS }, 'drain did not finish in time; stopping anyway')
    process.exit(1)
  }, DRAIN_TIMEOUT_MS).unref()
  try {
    await server.close()
    logger.info('stopped')
    process.exit(0)
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed')
    process.exit(1)
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
