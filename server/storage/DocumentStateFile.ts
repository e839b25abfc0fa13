import fs from 'node:fs/promises'
import { replaceFile } from './durable'
import { CorruptFileError } from './errors'
import { encodeFrame, readFrames } from './frames'

/**
 * The compacted state of one document: DATA_DIR/documents/<id>.state, a binary file of CRC-framed
 * chunks (the update log's frame format). Each chunk is a Yjs v1 update of bounded size, and
 * applying them in order to an empty Y.Doc rebuilds the document, so a big document can be loaded
 * (and sent to a client) a slice at a time instead of in one event-loop-blocking call.
 *
 * Binary rather than lowdb JSON: base64 costs a third more bytes, and a JSON file has to be read and
 * parsed whole before anything can be applied. The catalog, accounts and versions stay in lowdb.
 *
 * Written only whole, through a temp file and a rename (./durable.ts), so a valid file never shows
 * a torn tail: any bad frame is corruption, and the file is never overwritten by an empty document.
 *
 * Data directories from before this format hold <id>.json (lowdb, format 1, base64 `state`); it is
 * read when no .state exists, and the next compaction writes .state and removes it.
 */
export interface StoredState {
  /** Chunks in file order; views into one buffer read from disk. */
  chunks: Uint8Array[]
  /** Bytes of the file the chunks came from (the payloads plus frame headers, or the legacy JSON). */
  bytes: number
  /** Where they came from: the file a corrupt chunk is reported against. */
  file: string
  legacy: boolean
}

export interface StateFilePaths {
  /** <id>.state */
  state: string
  /** <id>.json, the lowdb format before chunked state files. */
  legacy: string
}

/** Reads a document's stored state; null when it has none (a new document, or lost files). */
export async function readStoredState(paths: StateFilePaths): Promise<StoredState | null> {
  const data = await readIfExists(paths.state)
  if (data) {
    const { frames, validBytes, corruptAt } = readFrames(data)
    if (validBytes !== data.length || frames.length === 0) {
      throw new CorruptFileError(paths.state, data.length === 0 ? 'empty file' : `bad frame at byte ${corruptAt ?? validBytes}`)
    }
    return { chunks: frames.slice(), bytes: data.length, file: paths.state, legacy: false }
  }
  const legacy = await readIfExists(paths.legacy)
  if (!legacy) return null
  return { chunks: [parseLegacyState(paths.legacy, legacy)], bytes: legacy.length, file: paths.legacy, legacy: true }
}

/** Replaces the state file with `chunks`, atomically. */
export async function writeStateFile(file: string, chunks: readonly Uint8Array[]): Promise<number> {
  const frames = chunks.map(encodeFrame)
  await replaceFile(file, frames)
  return frames.reduce((sum, frame) => sum + frame.length, 0)
}

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new CorruptFileError(file, String(error))
  }
}

/** The legacy lowdb file: `{ format: 1, state: <base64 update>, compactedAt }`. */
function parseLegacyState(file: string, data: Buffer): Uint8Array {
  let value: { format?: unknown; state?: unknown } | null
  try {
    value = JSON.parse(data.toString('utf8'))
  } catch (error) {
    throw new CorruptFileError(file, error instanceof Error ? error.message : String(error))
  }
  if (value === null || typeof value !== 'object' || value.format !== 1 || typeof value.state !== 'string') {
    throw new CorruptFileError(file, 'unexpected content')
  }
  return new Uint8Array(Buffer.from(value.state, 'base64'))
}
