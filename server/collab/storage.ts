import type * as Y from 'yjs'

/**
 * Document storage as the sync core sees it: load, append, compact, lease. Two backends implement it:
 * the embedded files of one DATA_DIR (server/storage/DocumentStore.ts) and PostgreSQL
 * (server/postgres/PgDocumentStore.ts). Everything above this interface (Persistence, the document
 * services) is the same for both.
 *
 * The lease: a document is written by one process at a time, its owner. Opening a document takes its
 * lease; every write carries the lease's epoch and is refused once another process has taken it
 * over (fencing), so a stale owner — paused or cut off past its lease — cannot write any more. The
 * embedded backend's lease is the DATA_DIR lock (dataDirLock.ts): held by this process for as long
 * as it runs, never lost.
 */
export interface DocumentStorage {
  /** Prepares the backend (directories, prepared statements); before the first open. */
  init(): Promise<void>
  /**
   * Takes the document's lease, then loads its content into `ydoc` a slice at a time, so that other
   * documents keep being served while a big one loads. Loaded content has the transaction origin
   * STORE_ORIGIN. Throws DocumentOwnedElsewhere when another live process holds the lease, and a
   * CorruptFileError naming what is damaged (never an empty or partial document in its place).
   */
  open(id: string, ydoc: Y.Doc, hooks?: OpenHooks, options?: { requireContent?: boolean }): Promise<StoredDocument>
  /** Writes a new document's initial content. */
  create(id: string, initialState: Uint8Array): Promise<void>
  /** Deletes a document's content (its lease too). */
  remove(id: string): Promise<void>
  /** Stops background work once queued writes are done (open documents are closed first). */
  close(): Promise<void>
}

/** One open document: the writer of its stored content, under its lease. */
export interface StoredDocument {
  readonly id: string
  /** The lease's epoch: grows each time a process takes the document; written with every update. */
  readonly epoch: number
  /**
   * Queues an update for the next group commit (one write per flush interval, not per keystroke);
   * must stay cheap: runs per keystroke. Folds stored updates into the compacted state when they grow.
   */
  append(update: Uint8Array): void
  /** Writes what is queued; resolves once it is durable. Rejects with LeaseLostError when fenced off. */
  flush(): Promise<void>
  /** Folds the stored updates into the compacted state (under the lease). */
  compact(): Promise<void>
  /** Makes everything durable, compacts, and gives the lease back: the document unloads. */
  close(): Promise<void>
  /** Drops queued writes and stored updates: the document is being deleted. */
  discard(): Promise<void>
  /**
   * Lets go after the lease was lost: stops writing, drops what is queued (another process owns the
   * document now; clients resend it there) and reports how many updates were refused.
   */
  abandon(): Promise<void>
}

/** What a document is loaded from, offered to the caller of open() before it is applied. */
export interface StoredContent {
  /** The compacted state's chunks, in order. */
  chunks: readonly Uint8Array[]
  /** Size of the compacted state. */
  bytes: number
  /** From a legacy JSON state file: one chunk holding the whole document, not in splitUpdate's layout. */
  legacy: boolean
  /** No stored updates on top: the chunks alone are the whole document. */
  complete: boolean
}

export interface OpenHooks {
  /** The stored content was read; it is about to be applied. */
  onStored?(content: StoredContent): void
  /** The state chunks are applied (the updates not yet): the document's state vector at that point. */
  onStateApplied?(stateVector: Map<number, number>): void
  /**
   * The lease was lost after opening (another process took the document over, or a write was
   * fenced off). The document must be unloaded without storing: its connections closed with the
   * "moved" code, so that clients reconnect to the new owner and resend what it lacks.
   */
  onLeaseLost?(error: LeaseLostError): void
}

/** Another live process holds the document's lease: the connection belongs there. */
export class DocumentOwnedElsewhere extends Error {
  override name = 'DocumentOwnedElsewhere'
  constructor(
    readonly documentId: string,
    readonly owner: string,
    readonly expiresAt: Date,
  ) {
    super(`document ${documentId} is owned by ${owner} until ${expiresAt.toISOString()}`)
  }
}

/** A write was refused or a renewal failed: another process owns the document now. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError'
  constructor(
    readonly documentId: string,
    readonly epoch: number,
    /** Updates that were queued and are not stored by this process. */
    readonly refusedUpdates: number,
  ) {
    super(`lost the lease of document ${documentId} (epoch ${epoch}); ${refusedUpdates} queued update(s) not stored here`)
  }
}
