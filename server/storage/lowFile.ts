import fs from 'node:fs/promises'
import { Low, type Adapter } from 'lowdb'
import { replaceFile } from './durable'
import { CorruptFileError } from './errors'

/**
 * lowdb's JSON adapter with the project's durable writes (./durable.ts): temp file, fsync, rename,
 * fsync of the directory. lowdb's own writer renames a temp file without any fsync, so a power cut
 * could leave catalog.json or accounts.json empty or old after the server had answered. Writes are
 * serialised (they share one temp file); a write asked for while another one waits replaces it
 * (the newest data includes the older), and both callers resolve when it is on disk.
 */
export class DurableJSONFile<T> implements Adapter<T> {
  private current: Promise<void> = Promise.resolve()
  private queued: { text: string; done: Promise<void> } | null = null

  constructor(readonly file: string) {}

  async read(): Promise<T | null> {
    let text: string
    try {
      text = await fs.readFile(this.file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    return JSON.parse(text) as T
  }

  write(data: T): Promise<void> {
    const text = JSON.stringify(data, null, 2)
    if (this.queued) {
      this.queued.text = text
      return this.queued.done
    }
    const queued = { text, done: Promise.resolve() }
    queued.done = this.current
      .catch(() => undefined)
      .then(() => {
        if (this.queued === queued) this.queued = null
        return replaceFile(this.file, [Buffer.from(queued.text, 'utf8')])
      })
    this.queued = queued
    this.current = queued.done
    return queued.done
  }
}

/**
 * Opens a lowdb JSON file. A missing file starts from `defaults`; a file that exists but does not
 * parse (or fails `isValid`) is a CorruptFileError, never silently replaced.
 */
export async function openLowFile<T extends object>(
  file: string,
  defaults: T,
  isValid: (data: unknown) => data is T,
): Promise<Low<T>> {
  const db = new Low<T>(new DurableJSONFile<T>(file), defaults)
  try {
    await db.read()
  } catch (error) {
    throw new CorruptFileError(file, error instanceof Error ? error.message : String(error))
  }
  if (!isValid(db.data)) throw new CorruptFileError(file, 'unexpected content')
  return db
}
