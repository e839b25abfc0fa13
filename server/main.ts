import { createHuigaoServer } from './app'
import { configFromEnv } from './config'
import { DataDirLockedError } from './storage/dataDirLock'
import { MissingCatalogError } from './storage/Catalog'
import { CorruptFileError } from './storage/errors'

const config = configFromEnv()
const server = await createHuigaoServer(config).catch((error: Error) => {
  // Refusals that explain themselves (a locked or damaged data directory) need no stack trace.
  if (error instanceof DataDirLockedError || error instanceof CorruptFileError || error instanceof MissingCatalogError) console.error(`会稿 Huigao cannot start: ${error.message}`)
  else console.error('会稿 Huigao cannot start:', error)
  process.exit(1)
})
const port = await server.listen()
console.log(`会稿 Huigao listening on http://localhost:${port} (data: ${config.dataDir})`)

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  console.log(`${signal}: saving documents and stopping…`)
  try {
    await server.close()
    process.exit(0)
  } catch (error) {
    console.error('Shutdown failed:', error)
    process.exit(1)
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
