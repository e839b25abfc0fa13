import fs from 'node:fs/promises'
import * as Y from 'yjs'
import { applyStored, guardFormatting } from './applyStored'
import { readStoredState, writeStateFile, type StateFilePaths } from './DocumentStateFile'
import { CorruptFileError } from './errors'
import { readFrames } from './frames'
import { splitDocument } from './splitUpdate'

/**
 * Largest chunk of a state file, the smallest unit a load can apply between two yields. Applying
 * 64 kB takes ~4 ms in a warm process but up to ~35 ms in a freshly started one (256 kB: ~20 and
 * ~115 ms), and a fresh start is exactly when documents are loaded; 32 kB keeps those first slices
 * under ~20 ms.
 */
export const STATE_CHUNK_BYTES = 32 * 1024
/**
 * Log updates applied per transaction (under a millisecond of typing updates). Cheaper than one
 * transaction per update, and cheaper than big batches too: Yjs merges a transaction's structs only
 * when it ends, and until then every deletion that splits an item splices a longer array (the W5
 * trace replays in ~0.78 s with batches of 50–500, ~0.83 s with 1,000, ~1.1 s with 4,000).
 */
export const LOG_BATCH_UPDATES = 250
/** …and at most this many bytes of them, so that a batch of big updates stays a short slice too. */
export const LOG_BATCH_BYTES = 64 * 1024

export interface CompactionJob extends StateFilePaths {
  log: string
  /** Bytes of the log to fold in: a frame boundary, everything before it durable. */
  logBytes: number
  maxChunkBytes: number
}

export interface CompactionResult {
  stateBytes: number
  chunks: number
  /** A fold job's new state chunks. */
  folded?: Uint8Array[]
}

/** Folds content held in memory (foldUpdates), for a backend without files (PostgreSQL). */
export interface FoldJob {
  fold: { state: { file: string; chunks: Uint8Array[] }; log: { file: string; updates: Uint8Array[] } }
  maxChunkBytes: number
}

/**
 * Folds the first `logBytes` of a document's log into its state file, from the files alone: state
 * chunks (or the legacy JSON) and the log prefix are applied to a fresh Y.Doc, which is split into
 * chunks and written as the new state file (atomically). The log itself is left alone: the caller
 * drops the prefix afterwards. Runs in the compaction worker, so the main thread never encodes a
 * whole document.
 */
export async function compactFiles(job: CompactionJob): Promise<CompactionResult> {
  const stored = await readStoredState(job)
  // The log holds changes on top of a state: without it, folding the log alone would make a
  // document of only its latest edits permanent.
  if (!stored && job.logBytes > 0) throw missingStateError(job)
  const updates = await readLogPrefix(job.log, job.logBytes)
  const chunks = foldUpdates({ file: stored?.file ?? job.state, chunks: stored?.chunks ?? [] }, { file: job.log, updates }, job.maxChunkBytes)
  const stateBytes = await writeStateFile(job.state, chunks)
  // Only now: until the new state file is in place, the legacy file is the document.
  if (stored?.legacy) await fs.rm(job.legacy, { force: true })
  return { stateBytes, chunks: chunks.length }
}

/**
 * Applies a compacted state and the updates on top of it to a fresh Y.Doc and splits the result into
 * chunks of at most `maxChunkBytes` (splitUpdate's causal layout): the new compacted state. `file`
 * names where each part came from, for the CorruptFileError of an invalid update.
 */
export function foldUpdates(
  state: { file: string; chunks: readonly Uint8Array[] },
  log: { file: string; updates: readonly Uint8Array[] },
  maxChunkBytes: number,
): Uint8Array[] {
  const ydoc = new Y.Doc()
  const unguard = guardFormatting(ydoc)
  try {
    // No event loop to keep free here: the state goes in one transaction, the cheapest way.
    if (state.chunks.length > 0) applyStored(ydoc, state.file, state.chunks)
    for (let i = 0; i < log.updates.length; i += LOG_BATCH_UPDATES) applyStored(ydoc, log.file, log.updates.slice(i, i + LOG_BATCH_UPDATES))
    unguard()
    return splitDocument(ydoc, maxChunkBytes)
  } finally {
    ydoc.destroy()
  }
}

/** A document's state file is gone while its log exists: its content cannot be rebuilt from the log alone. */
export function missingStateError(files: StateFilePaths & { log: string }): CorruptFileError {
  return new CorruptFileError(
    files.state,
    `missing, while the update log ${files.log} exists: the log holds only the changes since the last compaction, ` +
      `so the document is refused rather than served without its earlier content (restore the state file from a backup)`,
  )
}

async function readLogPrefix(file: string, length: number): Promise<Uint8Array[]> {
  if (length === 0) return []
  const data = Buffer.allocUnsafe(length)
  const handle = await fs.open(file, 'r')
  try {
    const { bytesRead } = await handle.read(data, 0, length, 0)
    if (bytesRead !== length) throw new CorruptFileError(file, `expected ${length} bytes, found ${bytesRead}`)
  } finally {
    await handle.close()
  }
  const { frames, validBytes } = readFrames(data)
  if (validBytes !== length) throw new CorruptFileError(file, `bad frame at byte ${validBytes}`)
  return frames.slice()
}
