// The PostgreSQL backend of DocumentStorage (DATABASE_URL): document_states (compacted state),
// document_updates (one row per update, one multi-row INSERT per group commit) and document_leases
// (one owner per loaded document, fencing by epoch). Migration 0100_document_storage.sql.
import type pg from 'pg'
import type * as Y from 'yjs'
import { LeaseLostError, type DocumentStorage, type OpenHooks, type StoredDocument } from '../collab/storage'
import { STATE_CHUNK_BYTES } from '../storage/compaction'
import { CompactionWorker } from '../storage/CompactionWorker'
import type { StoredState } from '../storage/DocumentStateFile'
import { applyInSlices, PRECOMPACT_LOG_FRAMES, PRECOMPACT_UPDATE_BYTES } from '../storage/DocumentStore'
import { CorruptFileError } from '../storage/errors'
import { FrameList } from '../storage/frames'
import { splitUpdate } from '../storage/splitUpdate'
import { yieldToEventLoop } from '../storage/applyStored'
import { inTransaction } from './pool'
import { LEASE_CHECK, releaseLease, renewLeases, takeLease } from './documentLeases'

export interface PgDocumentStoreOptions {
  /** Group-commit interval: updates wait at most this long before their INSERT (as the file log's fsync). */
  flushIntervalMs: number
  /** Bytes of stored updates past which they are folded into the compacted state. */
  compactAfterBytes: number
  maxChunkBytes?: number
  /** This process in lease rows (host, pid and a random part: two servers in one process differ). */
  owner: string
  /** How long a lease runs without renewal; renewed every third of it. A dead owner's documents move after this. */
  leaseMs: number
  onError?: (error: unknown, documentId: string) => void
}

/** Where content comes from, for the CorruptFileError of a row that is not a valid update. */
const stateSource = (id: string) => `postgres:document_states/${id}`
const updatesSource = (id: string) => `postgres:document_updates/${id}`

interface StoredRows {
  state: StoredState | null
  throughSeq: number
  updates: Uint8Array[]
  /** Sequence number of the last update, or throughSeq when there is none. */
  lastSeq: number
  updateBytes: number
}

export class PgDocumentStore implements DocumentStorage {
  private readonly worker = new CompactionWorker()
  /** Documents open here, by id: their leases are renewed together. */
  private readonly held = new Map<string, PgStoredDocument>()
  private renewTimer: NodeJS.Timeout | null = null
  private renewing = false

  constructor(
    private readonly pool: pg.Pool,
    readonly options: PgDocumentStoreOptions,
  ) {}

  async init(): Promise<void> {
    this.renewTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.options.leaseMs / 3)))
    this.renewTimer.unref()
  }

  async open(id: string, ydoc: Y.Doc, hooks: OpenHooks = {}, options: { requireContent?: boolean } = {}): Promise<StoredDocument> {
    const epoch = await takeLease(this.pool, id, this.options.owner, this.options.leaseMs)
    try {
      let rows = await this.readRows(id)
      if (!rows.state && rows.updates.length > 0) throw new CorruptFileError(stateSource(id), 'missing, while updates are stored: the document is refused rather than served without its earlier content')
      if (!rows.state && options.requireContent) throw new CorruptFileError(stateSource(id), "missing: the document's content is gone")
      const document = new PgStoredDocument(id, epoch, rows, this.pool, this, hooks)
      // As the file store: a history too long (or an update too big) to apply in slices here is folded by the worker first.
      const largest = rows.updates.reduce((max, update) => Math.max(max, update.length), 0)
      if (rows.updates.length > PRECOMPACT_LOG_FRAMES || largest > PRECOMPACT_UPDATE_BYTES) {
        await document.compactStored()
        rows = await this.readRows(id)
      }
      await yieldToEventLoop()
      hooks.onStored?.({ chunks: rows.state?.chunks ?? [], bytes: rows.state?.bytes ?? 0, legacy: false, complete: rows.updates.length === 0 })
      await applyInSlices(ydoc, rows.state, updatesSource(id), FrameList.of(rows.updates), hooks.onStateApplied)
      this.held.set(id, document)
      return document
    } catch (error) {
      await releaseLease(this.pool, id, epoch).catch(() => undefined)
      throw error
    }
  }

  async create(id: string, initialState: Uint8Array): Promise<void> {
    const chunks = splitUpdate(initialState, this.maxChunkBytes)
    await this.pool.query('INSERT INTO document_states (document_id, through_seq, chunks, bytes) VALUES ($1, 0, $2, $3)', [
      id,
      chunks,
      chunks.reduce((sum, chunk) => sum + chunk.length, 0),
    ])
  }

  async remove(id: string): Promise<void> {
    // The lease row first: that waits for an owner's write in flight (it holds the row FOR SHARE) and
    // refuses every later one, so no update row can be written after the rows are deleted.
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM document_leases WHERE document_id = $1', [id])
      await client.query('DELETE FROM document_updates WHERE document_id = $1', [id])
      await client.query('DELETE FROM document_states WHERE document_id = $1', [id])
    })
  }

  async close(): Promise<void> {
    if (this.renewTimer) clearInterval(this.renewTimer)
    this.renewTimer = null
    await this.worker.close()
  }

  get maxChunkBytes(): number {
    return this.options.maxChunkBytes ?? STATE_CHUNK_BYTES
  }

  /** Folds content in the compaction worker thread: the main thread never applies a whole history for it. */
  async fold(id: string, state: StoredState | null, updates: Uint8Array[]): Promise<Uint8Array[]> {
    const job = { fold: { state: { file: stateSource(id), chunks: state?.chunks ?? [] }, log: { file: updatesSource(id), updates } }, maxChunkBytes: this.maxChunkBytes }
    const result = await this.worker.run(job)
    return result!.folded!
  }

  async readRows(id: string, throughSeq = Number.MAX_SAFE_INTEGER): Promise<StoredRows> {
    const state = await this.pool.query<{ through_seq: number; chunks: Buffer[]; bytes: number }>(
      'SELECT through_seq, chunks, bytes FROM document_states WHERE document_id = $1',
      [id],
    )
    const updates = await this.pool.query<{ seq: number; data: Buffer }>('SELECT seq, data FROM document_updates WHERE document_id = $1 AND seq <= $2 ORDER BY seq', [
      id,
      throughSeq,
    ])
    const row = state.rows[0]
    const since = row ? Number(row.through_seq) : 0
    return {
      state: row ? { chunks: row.chunks, bytes: row.bytes, file: stateSource(id), legacy: false } : null,
      throughSeq: since,
      updates: updates.rows.map((update) => update.data),
      lastSeq: updates.rows.length > 0 ? Number(updates.rows[updates.rows.length - 1].seq) : since,
      updateBytes: updates.rows.reduce((sum, update) => sum + update.data.length, 0),
    }
  }

  /** The document is closed, discarded or let go: its lease is no longer renewed. */
  forget(document: PgStoredDocument): void {
    if (this.held.get(document.id) === document) this.held.delete(document.id)
  }

  /** Renews every lease held here; a document whose lease was taken over is let go. */
  private async renew(): Promise<void> {
    // A slow database must not pile renewals up: the next tick tries again.
    if (this.renewing) return
    this.renewing = true
    const held = new Map([...this.held].map(([id, document]) => [id, document.epoch]))
    let renewed: Set<string>
    try {
      renewed = await renewLeases(this.pool, held, this.options.leaseMs)
    } catch (error) {
      // The database is unreachable: writes fail too, and are fenced if another process takes over meanwhile.
      for (const id of held.keys()) this.options.onError?.(new Error(`cannot renew the lease: ${(error as Error).message}`), id)
      return
    } finally {
      this.renewing = false
    }
    for (const [id, epoch] of held) {
      const document = this.held.get(id)
      if (!renewed.has(id) && document?.epoch === epoch) document.lose()
    }
  }
}

/** One open document on PostgreSQL, written under its lease's epoch. */
class PgStoredDocument implements StoredDocument {
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private timer: NodeJS.Timeout | null = null
  /** Flushes and compactions, one after another: a compaction folds exactly what was flushed before it. */
  private queue: Promise<unknown> = Promise.resolve()
  private nextSeq: number
  private throughSeq: number
  /** Bytes of the stored updates not yet folded into the compacted state. */
  private storedBytes: number
  private compacting = false
  /** Closed, discarded, abandoned or fenced off: nothing is written any more. */
  private stopped = false
  private lost: LeaseLostError | null = null

  constructor(
    readonly id: string,
    readonly epoch: number,
    rows: StoredRows,
    private readonly pool: pg.Pool,
    private readonly store: PgDocumentStore,
    private readonly hooks: OpenHooks,
  ) {
    this.nextSeq = rows.lastSeq + 1
    this.throughSeq = rows.throughSeq
    this.storedBytes = rows.updateBytes
  }

  append(update: Uint8Array): void {
    if (this.stopped) return
    this.pending.push(update)
    this.pendingBytes += update.length
    this.timer ??= setTimeout(() => {
      this.timer = null
      this.flush().catch((error) => this.report(error))
    }, this.store.options.flushIntervalMs)
    if (this.storedBytes + this.pendingBytes > this.store.options.compactAfterBytes && !this.compacting) {
      this.compacting = true
      this.compact()
        .catch((error) => this.report(error))
        .finally(() => {
          this.compacting = false
        })
    }
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    return this.enqueue(() => this.writePending())
  }

  compact(): Promise<void> {
    return this.enqueue(async () => {
      await this.writePending()
      if (!this.stopped) await this.compactStored()
    })
  }

  /**
   * Folds the stored updates up to the last one written into the compacted state: read, folded in the
   * worker, then in one transaction under the lease (its row locked, its epoch checked) the state is
   * replaced and the folded rows deleted. A takeover meanwhile refuses the transaction: nothing changes.
   */
  async compactStored(): Promise<void> {
    const through = this.nextSeq - 1
    if (through <= this.throughSeq) return
    const rows = await this.store.readRows(this.id, through)
    const chunks = await this.store.fold(this.id, rows.state, rows.updates)
    const owned = await inTransaction(this.pool, async (client) => {
      if ((await client.query(LEASE_CHECK, [this.id, this.epoch])).rows.length === 0) return false
      await client.query('UPDATE document_states SET through_seq = $2, chunks = $3, bytes = $4, compacted_at = now() WHERE document_id = $1', [
        this.id,
        through,
        chunks,
        chunks.reduce((sum, chunk) => sum + chunk.length, 0),
      ])
      await client.query('DELETE FROM document_updates WHERE document_id = $1 AND seq <= $2', [this.id, through])
      return true
    })
    if (!owned) throw this.lose()
    this.throughSeq = through
    this.storedBytes = Math.max(0, this.storedBytes - rows.updateBytes)
  }

  /** Flushes, compacts and gives the lease back. A failed compaction does not keep the document loaded. */
  async close(): Promise<void> {
    try {
      await this.compact()
    } catch (error) {
      if (error instanceof LeaseLostError) throw error
      this.report(error)
    }
    await this.flush()
    this.stop()
    this.store.forget(this)
    await releaseLease(this.pool, this.id, this.epoch).catch((error) => this.report(error))
  }

  async discard(): Promise<void> {
    this.stop()
    this.drop()
    await this.queue
    this.store.forget(this)
  }

  async abandon(): Promise<void> {
    const refused = this.drop()
    this.stop()
    await this.queue
    this.store.forget(this)
    if (refused > 0) this.report(new LeaseLostError(this.id, this.epoch, refused))
  }

  /**
   * The lease is gone (a write was fenced off, or a renewal found another epoch): stop writing, drop
   * what was queued and tell the owner of the live document, once. Returns the error to report.
   */
  lose(refusedInFlight = 0): LeaseLostError {
    if (this.lost) return this.lost
    const error = new LeaseLostError(this.id, this.epoch, refusedInFlight + this.drop())
    this.lost = error
    this.stop()
    this.store.forget(this)
    this.hooks.onLeaseLost?.(error)
    return error
  }

  /**
   * One INSERT of every queued update, each with its sequence number, refused as a whole unless the
   * lease row still carries this epoch (locked FOR SHARE in the same statement). ON CONFLICT: a retry
   * after an answer lost on the network finds its own rows already there (only the owner numbers rows).
   */
  private async writePending(): Promise<void> {
    if (this.pending.length === 0 || this.stopped) return
    const updates = this.pending
    const bytes = this.pendingBytes
    this.pending = []
    this.pendingBytes = 0
    let result: pg.QueryResult<{ owned: number; written: number }>
    try {
      result = await this.pool.query(
        `WITH lease AS (${LEASE_CHECK}),
         written AS (
           INSERT INTO document_updates (document_id, seq, epoch, data)
           SELECT $1, $3::bigint + u.ord - 1, $2, u.data FROM unnest($4::bytea[]) WITH ORDINALITY AS u(data, ord)
           WHERE EXISTS (SELECT 1 FROM lease)
           ON CONFLICT DO NOTHING
           RETURNING 1)
         SELECT (SELECT count(*) FROM lease) AS owned, (SELECT count(*) FROM written) AS written`,
        [this.id, this.epoch, this.nextSeq, updates],
      )
    } catch (error) {
      // Keep them, in order, ahead of anything appended meanwhile, so the next flush retries them.
      if (!this.stopped) {
        this.pending = updates.concat(this.pending)
        this.pendingBytes += bytes
      }
      throw error
    }
    if (Number(result.rows[0].owned) === 0) throw this.lose(updates.length)
    this.nextSeq += updates.length
    this.storedBytes += bytes
  }

  private stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** Drops what is queued; returns how many updates that was. */
  private drop(): number {
    const dropped = this.pending.length
    this.pending = []
    this.pendingBytes = 0
    return dropped
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task)
    this.queue = run.catch(() => undefined)
    return run
  }

  private report(error: unknown): void {
    this.store.options.onError?.(error, this.id)
  }
}
