import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import * as Y from 'yjs'
import { applyStored, guardFormatting, LOAD_SLICE_MS, yieldToEventLoop } from './applyStored'
import { LOG_BATCH_BYTES, LOG_BATCH_UPDATES, missingStateError, STATE_CHUNK_BYTES, type CompactionJob } from './compaction'
import { CompactionWorker } from './CompactionWorker'
import { readStoredState, writeStateFile, type StateFilePaths, type StoredState } from './DocumentStateFile'
import { CorruptFileError } from './errors'
import { FrameList } from './frames'
import { Journal } from './Journal'
import { UpdateLog } from './UpdateLog'
import { splitUpdate } from './splitUpdate'
import { LeaseLostError, type DocumentStorage, type OpenHooks, type StoredDocument } from '../collab/storage'
import { componentLogger } from '../logger'

const logLine = componentLogger('store')

export interface DocumentStoreOptions {
  /** Group-commit interval of the update logs (at most 250 ms keeps the crash-loss promise). */
  flushIntervalMs: number
  /** Log size past which the log is folded into the state file. */
  compactAfterBytes: number
  /** Largest state file chunk (default STATE_CHUNK_BYTES). */
  maxChunkBytes?: number
  /** Journal size past which its updates are written to the documents' logs (default JOURNAL_CHECKPOINT_BYTES). */
  journalCheckpointBytes?: number
  onError?: (error: unknown, documentId: string) => void
}

/**
 * When the worker compacts a document's files before it loads, instead of the log being replayed
 * here in slices. Replaying costs the main thread ~3 µs per logged update (the W5 trace, 259,778
 * updates: ~0.8 s) and an update cannot be sliced; compacting first makes the opening document wait
 * ~0.35 s longer (the worker applies the same updates, then writes a state file that is read back)
 * and, where the server's threads share one core, offloads nothing. So the worker takes over where
 * the main thread's share would be long: more than ~1 s of updates, an update whose apply alone
 * would block for ~0.1 s, or a legacy state file holding a big document in one piece.
 */
export const PRECOMPACT_LOG_FRAMES = 300_000
export const PRECOMPACT_UPDATE_BYTES = 1024 * 1024
const PRECOMPACT_LEGACY_BYTES = 1024 * 1024
/**
 * How big the journal grows before a checkpoint writes its updates to the documents' own logs (one
 * write per document with updates in it) and starts afresh: what a crash leaves to fold on the next
 * start, and what the journaled updates hold in memory until then.
 */
export const JOURNAL_CHECKPOINT_BYTES = 32 * 1024 * 1024

/** The files of one document. */
interface DocumentFiles extends StateFilePaths {
  log: string
}

/**
 * One open document's files: the chunked state file plus the append-only log of updates since.
 * The files are the source of truth; the live Y.Doc only serves. Compaction (folding the log into the
 * state file) runs from the files in the worker, never from the live document. Its lease is the
 * DATA_DIR lock, held by this process for as long as it runs: epoch 0, never lost.
 */
export class PersistedDocument implements StoredDocument {
  readonly epoch = 0
  /** Compactions of one document run strictly one after another: each cuts the log the next one reads. */
  private compactions: Promise<void> = Promise.resolve()
  private compacting = false
  private discarded = false

  constructor(
    readonly id: string,
    private readonly files: DocumentFiles,
    private readonly log: UpdateLog,
    private readonly store: DocumentStore,
    private readonly options: DocumentStoreOptions,
  ) {}

  /** Queues an update for the next group commit; folds the log into the state file when it grows. */
  append(update: Uint8Array): void {
    this.log.append(update)
    if (this.log.size > this.options.compactAfterBytes && !this.compacting && !this.discarded) {
      this.compacting = true
      this.compact()
        .catch((error) => this.options.onError?.(error, this.id))
        .finally(() => {
          this.compacting = false
        })
    }
  }

  flush(): Promise<void> {
    return this.log.flush()
  }

  /**
   * Folds what the log holds now into the state file: flush, note the log's length L, let the worker
   * rebuild the state file from the files (state + log[0, L)), then drop log[0, L). Appends keep
   * flowing to the log meanwhile (the group commit is not held), so a crash still loses at most one
   * flush interval. A crash between the new state file and the log cut leaves updates in the log that
   * the state already holds: replaying them is harmless, Yjs updates are idempotent.
   */
  compact(): Promise<void> {
    const run = this.compactions.then(async () => {
      const length = await this.log.flushedLength()
      if (length === 0 || this.discarded) return
      const done = await this.store.compactFiles(this.files, length, () => !this.discarded)
      if (done && !this.discarded) await this.log.dropPrefix(length)
    })
    this.compactions = run.catch(() => undefined)
    return run
  }

  /** Drops queued writes and removes the log: the document is being deleted. */
  async discard(): Promise<void> {
    this.discarded = true
    await this.compactions
    await this.log.remove()
  }

  /** Stops writing without touching the files (the StoredDocument contract; the DATA_DIR lock is never lost). */
  async abandon(): Promise<void> {
    this.discarded = true
    await this.compactions
    const dropped = await this.log.abandon()
    if (dropped > 0) this.options.onError?.(new LeaseLostError(this.id, this.epoch, dropped), this.id)
  }

  /**
   * Makes everything durable and compacts, on unload or shutdown. A failed compaction does not keep
   * the document loaded: its updates are durable in the log, which the next load replays.
   */
  async close(): Promise<void> {
    try {
      await this.compact()
    } catch (error) {
      this.options.onError?.(error, this.id)
    }
    try {
      await this.log.close()
    } catch (error) {
      this.store.keepUnclosed(this.id, this.log)
      throw error
    }
  }
}

/**
 * The embedded backend of DocumentStorage. Documents live on disk: DATA_DIR/documents/<id>.state
 * (chunked state, DocumentStateFile.ts) and <id>.log (UpdateLog.ts); <id>.json is the state file of
 * older data directories. The process holding the DATA_DIR lock owns every document.
 */
export class DocumentStore implements DocumentStorage {
  private readonly dir: string
  private readonly worker = new CompactionWorker()
  /** The group commit of every document's log (DATA_DIR/journal); public for tests and tools. */
  readonly journal: Journal

  constructor(
    dataDir: string,
    private readonly options: DocumentStoreOptions,
  ) {
    this.dir = path.join(dataDir, 'documents')
    this.journal = new Journal(path.join(dataDir, 'journal'), {
      flushIntervalMs: options.flushIntervalMs,
      checkpointBytes: options.journalCheckpointBytes ?? JOURNAL_CHECKPOINT_BYTES,
      onError: (error) => this.options.onError?.(error, 'journal'),
    })
  }

  /** Creates the directories and folds a journal a previous run left into the documents' logs. */
  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true })
    await this.journal.recover(this.dir)
  }

  /**
   * Loads a document's content into `ydoc` a slice at a time (state chunks, then the log in batches;
   * see applyInSlices), so that other documents keep being served while a big one loads. A log too
   * big to replay here is compacted by the worker first (PRECOMPACT_*). Loaded content has the
   * transaction origin STORE_ORIGIN.
   */
  async open(id: string, ydoc: Y.Doc, hooks: OpenHooks = {}, options: { requireContent?: boolean } = {}): Promise<PersistedDocument> {
    const files = this.files(id)
    const unclosed = this.unclosed.get(id)
    if (unclosed) {
      // Its last close failed: journaled updates of the document are not in its log yet, and reading
      // the log without them would serve the document without its latest changes. Written first; if
      // that fails again, so does the open (the document is unavailable, never shown stale).
      await unclosed.retryClose()
      this.unclosed.delete(id)
    }
    const log = new UpdateLog(files.log, {
      flushIntervalMs: this.options.flushIntervalMs,
      onError: (error) => this.options.onError?.(error, id),
      journal: { journal: this.journal, documentId: id },
    })
    // The state first: when it is missing, nothing (not even a torn log tail) is touched.
    let stored = await readStoredState(files)
    if (!stored && existsSync(files.log)) throw missingStateError(files)
    // A document the catalog lists always has a state file (written before its entry): none means lost content.
    if (!stored && options.requireContent) throw new CorruptFileError(files.state, 'missing (and no update log either): the document\'s content is gone')
    let { frames } = await this.replayLog(id, log)
    const logBytes = log.size
    if (frames.length > PRECOMPACT_LOG_FRAMES || frames.largest() > PRECOMPACT_UPDATE_BYTES || (stored?.legacy && stored.bytes > PRECOMPACT_LEGACY_BYTES)) {
      try {
        await this.compactFiles(files, logBytes)
        await log.dropPrefix(logBytes)
        frames = FrameList.EMPTY
        stored = await readStoredState(files)
      } catch (error) {
        if (error instanceof CorruptFileError) throw error
        // The worker is an optimisation: without it the log is replayed here, still in slices.
        logLine.warn(`${id}: compacting before loading failed, replaying the log instead: ${(error as Error).message}`)
      }
    }
    // A turn of the event loop between checking the files (CRC over all of them) and what the
    // caller does with them (an early answer copies the whole state): two short stalls, not one long one.
    await yieldToEventLoop()
    hooks.onStored?.({ chunks: stored?.chunks ?? [], bytes: stored?.bytes ?? 0, legacy: stored?.legacy ?? false, complete: frames.length === 0 })
    await applyInSlices(ydoc, stored, files.log, frames, hooks.onStateApplied)
    return new PersistedDocument(id, files, log, this, this.options)
  }

  /** Writes a new document's initial content. */
  async create(id: string, initialState: Uint8Array): Promise<void> {
    await writeStateFile(this.files(id).state, splitUpdate(initialState, this.maxChunkBytes))
  }

  async remove(id: string): Promise<void> {
    await this.unclosed.get(id)?.remove()
    this.unclosed.delete(id)
    const files = this.files(id)
    for (const file of [files.state, `${files.state}.tmp`, files.legacy, files.log, `${files.log}.tmp`]) await fs.rm(file, { force: true })
  }

  /** Runs a compaction in the worker; resolves false if `stillWanted` said no when its turn came. */
  async compactFiles(files: DocumentFiles, logBytes: number, stillWanted?: () => boolean): Promise<boolean> {
    const job: CompactionJob = { ...files, logBytes, maxChunkBytes: this.maxChunkBytes }
    return (await this.worker.run(job, stillWanted)) !== null
  }

  /** Logs whose close failed, by document: they hold journaled updates their file lacks (see open). */
  private readonly unclosed = new Map<string, UpdateLog>()

  /** A document's log could not be closed: kept, so that opening the document again writes it first. */
  keepUnclosed(id: string, log: UpdateLog): void {
    this.unclosed.set(id, log)
  }

  /** Writes the journal into the documents' logs (none is left behind) and stops the compaction worker once its queued jobs are done. */
  async close(): Promise<void> {
    try {
      await this.journal.close()
    } finally {
      await this.worker.close()
    }
  }

  private get maxChunkBytes(): number {
    return this.options.maxChunkBytes ?? STATE_CHUNK_BYTES
  }

  private async replayLog(id: string, log: UpdateLog) {
    const replayed = await log.replayFrames()
    if (replayed.tornBytes > 0) {
      logLine.warn(`${id}: discarded ${replayed.tornBytes} bytes of an update cut short by a crash (kept beside the log)`)
    }
    return replayed
  }

  private files(id: string): DocumentFiles {
    return {
      state: path.join(this.dir, `${id}.state`),
      legacy: path.join(this.dir, `${id}.json`),
      log: path.join(this.dir, `${id}.log`),
    }
  }
}

/**
 * Applies the state chunks, then the log in batches, in slices of about LOAD_SLICE_MS each, yielding to
 * the event loop in between. Slices are measured in time rather than bytes: the same chunk takes
 * several times longer in a freshly started process (before the JIT has compiled Yjs) than later.
 * Chunks come in causal order (splitUpdate), so each integrates at once instead of waiting as
 * pending structs.
 */
export async function applyInSlices(
  ydoc: Y.Doc,
  stored: StoredState | null,
  logFile: string,
  updates: FrameList,
  onStateApplied?: (stateVector: Map<number, number>) => void,
): Promise<void> {
  const unguard = guardFormatting(ydoc)
  try {
    // The first slice starts from a yield too: straight after a file read, it would run in the same
    // loop turn as whatever else was read, not between two turns.
    let sliceEnds = 0
    const apply = async (file: string, updates: readonly Uint8Array[]) => {
      if (performance.now() >= sliceEnds) {
        await yieldToEventLoop()
        sliceEnds = performance.now() + LOAD_SLICE_MS
      }
      applyStored(ydoc, file, updates)
    }
    for (const chunk of stored?.chunks ?? []) await apply(stored!.file, [chunk])
    onStateApplied?.(Y.decodeStateVector(Y.encodeStateVector(ydoc)))
    for (let start = 0; start < updates.length; ) {
      const end = updates.batchEnd(start, LOG_BATCH_UPDATES, LOG_BATCH_BYTES)
      await apply(logFile, updates.slice(start, end))
      start = end
    }
    // Updates whose predecessors are missing (a damaged journal record: Journal.recover) wait in the
    // document, unshown, and stay in what compaction writes; the first client that holds the missing
    // ones sends them when it syncs. Said, so that an administrator can tell why text is missing.
    if (ydoc.store.pendingStructs || ydoc.store.pendingDs) {
      logLine.warn(`${logFile}: updates wait for earlier ones that are missing (a damaged journal record?); a client holding them restores them when it syncs`)
    }
  } finally {
    unguard()
  }
}
