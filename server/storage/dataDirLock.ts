import fs from 'node:fs/promises'
import path from 'node:path'
import { componentLogger } from '../logger'

const log = componentLogger('storage')

/** Another live process holds the data directory. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'
}

export interface DataDirLock {
  readonly file: string
  release(): Promise<void>
}

const LOCK_FILE = 'huigao.lock'

/** Whether a process with this id exists (EPERM: it does, under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes DATA_DIR/huigao.lock for this process: created exclusively (O_EXCL) with our pid, held open
 * until release(). Two servers on one directory would each append to the same logs and replace the
 * same state and JSON files from their own memory, losing the other's writes; the second one
 * refuses to start instead. A lock left by a process that no longer exists (kill -9, power cut) is
 * taken over. A lock held by this very process (a second server in it) counts as held.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = path.join(dataDir, LOCK_FILE)
  for (let attempt = 0; ; attempt++) {
    let handle: fs.FileHandle
    try {
      handle = await fs.open(file, 'wx', 0o644)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error
      const holder = Number.parseInt(await fs.readFile(file, 'utf8').catch(() => ''), 10)
      if (!Number.isInteger(holder) || holder <= 0) {
        throw new DataDirLockedError(
          `${file} exists but names no process (another server may be starting). If no server uses ${dataDir}, delete ${file} and start again.`,
        )
      }
      if (isAlive(holder)) {
        throw new DataDirLockedError(
          `${dataDir} is in use by the server with process id ${holder} (lock file ${file}). Stop that server first; ` +
            `two servers on one data directory would overwrite each other's changes.`,
        )
      }
      log.warn(`${file} was left by process ${holder}, which no longer runs: taking it over.`)
      await fs.rm(file, { force: true })
      continue
    }
    await handle.writeFile(`${process.pid}\n`)
    await handle.datasync()
    let released = false
    return {
      file,
      release: async () => {
        if (released) return
        released = true
        await handle.close()
        await fs.rm(file, { force: true })
      },
    }
  }
}
