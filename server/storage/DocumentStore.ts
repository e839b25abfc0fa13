import fs from 'node:fs/promises'
import path from 'node:path'
import * as Y from 'yjs'
import { DocumentStateFile } from './DocumentStateFile'
import { CorruptFileError } from './errors'
import { UpdateLog } from './UpdateLog'

export interface DocumentStoreOptions {
  /** Group-commit interval of the update logs (at most 250 ms keeps the crash-loss promise). */
  flushIntervalMs: number
  /** Log size past which the log is folded into the state file. */
  compactAfterBytes: number
  onError?: (error: unknown, documentId: string) => void
}

/** One document's files: a compacted lowdb state file plus the append-only log of updates since. */
export class PersistedDocument {
  private compacting: Promise<void> | null = null

  constructor(
    readonly id: string,
    private readonly stateFile: DocumentStateFile,
    private readonly log: UpdateLog,
    private readonly options: DocumentStoreOptions,
  ) {}

  /** Queues an update for the next group commit; folds the log into the state file when it grows. */
  append(update: Uint8Array, ydoc: Y.Doc): void {
    this.log.append(update)
    if (this.log.size > this.options.compactAfterBytes && !this.compacting) {
      this.compacting = this.compact(ydoc)
        .catch((error) => this.options.onError?.(error, this.id))
        .finally(() => {
          this.compacting = null
        })
    }
  }

  flush(): Promise<void> {
    return this.log.flush()
  }

  /**
   * Rewrites the state file from the live Y.Doc and empties the log. Encoding happens inside the
   * log's queue, after earlier appends are durable, so the snapshot covers everything it truncates.
   */
  compact(ydoc: Y.Doc): Promise<void> {
    return this.log.compact(() => this.stateFile.save(Y.encodeStateAsUpdate(ydoc)))
  }

  /** Drops queued writes and removes the log: the document is being deleted. */
  async discard(): Promise<void> {
    await this.compacting
    await this.log.remove()
  }

  async close(ydoc: Y.Doc): Promise<void> {
    await this.compacting
    await this.compact(ydoc)
    await this.log.close()
  }
}

/** Where documents live on disk: DATA_DIR/documents/<id>.json (lowdb) and <id>.log. */
export class DocumentStore {
  private readonly dir: string

  constructor(
    dataDir: string,
    private readonly options: DocumentStoreOptions,
  ) {
    this.dir = path.join(dataDir, 'documents')
  }

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true })
  }

  /** Loads a document's content into `ydoc` (state file, then the log replayed on top). */
  async open(id: string, ydoc: Y.Doc): Promise<PersistedDocument> {
    const stateFile = await DocumentStateFile.open(this.stateFile(id))
    const log = new UpdateLog(this.logFile(id), {
      flushIntervalMs: this.options.flushIntervalMs,
      onError: (error) => this.options.onError?.(error, id),
    })
    const { updates, tornBytes } = await log.replay()
    if (tornBytes > 0) {
      console.warn(`[store] ${id}: discarded ${tornBytes} bytes of an update cut short by a crash (kept beside the log)`)
    }
    applyStored(ydoc, this.stateFile(id), [stateFile.state])
    applyStored(ydoc, this.logFile(id), updates)
    return new PersistedDocument(id, stateFile, log, this.options)
  }

  /** Writes a new document's initial content. */
  async create(id: string, initialState: Uint8Array): Promise<void> {
    const stateFile = await DocumentStateFile.open(this.stateFile(id))
    await stateFile.save(initialState)
  }

  async remove(id: string): Promise<void> {
    await fs.rm(this.stateFile(id), { force: true })
    await fs.rm(this.logFile(id), { force: true })
  }

  private stateFile(id: string): string {
    return path.join(this.dir, `${id}.json`)
  }

  private logFile(id: string): string {
    return path.join(this.dir, `${id}.log`)
  }
}

function applyStored(ydoc: Y.Doc, file: string, updates: Uint8Array[]): void {
  try {
    Y.transact(ydoc, () => {
      for (const update of updates) if (update.length > 0) Y.applyUpdate(ydoc, update)
    }, 'store')
  } catch (error) {
    throw new CorruptFileError(file, `not a valid Yjs update (${error instanceof Error ? error.message : error})`)
  }
}
