import fs from 'node:fs/promises'
import path from 'node:path'

/**
 * Replaces `file` atomically: the new content goes to `<file>.tmp`, is fsynced, then renamed over
 * `file`, and the directory is fsynced so the rename itself survives a power cut. A crash at any
 * point leaves either the old file or the new one, never a mix.
 */
export async function replaceFile(file: string, parts: readonly Uint8Array[]): Promise<void> {
  const tmp = `${file}.tmp`
  const handle = await fs.open(tmp, 'w')
  try {
    await handle.writev(parts as Uint8Array[])
    await handle.datasync()
  } finally {
    await handle.close()
  }
  await fs.rename(tmp, file)
  await fsyncDirectory(path.dirname(file))
}

/** Makes renames and removals in `dir` durable. Best effort: some file systems refuse to fsync a directory. */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | null = null
  try {
    handle = await fs.open(dir, 'r')
    await handle.sync()
  } catch {
    // Not supported here (e.g. some network or Windows file systems): the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined)
  }
}
