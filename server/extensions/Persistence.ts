import type { CollabDocument } from '../collab/CollabDocument'
import type { CollabServer } from '../collab/CollabServer'
import { CloseCode } from '../../shared/closeCodes'
import { RejectConnection, type CollabExtension } from '../collab/hooks'
import { InitialState } from '../collab/initialSync'
import type { Catalog } from '../storage/Catalog'
import type { DocumentStorage, LeaseLostError, StoredDocument } from '../collab/storage'
import { ChunkIndex } from '../storage/ChunkIndex'

/**
 * Stored state from which a document keeps its state file's chunks in memory while loaded, to answer
 * first syncs from them (see initialSync.ts): a memory copy instead of encoding the whole document,
 * which costs ~20 ms per 250 kB warm and twice that just after a restart, for every client that
 * connects. Below it, encoding takes a few milliseconds and the memory is better saved.
 */
export const CHUNKED_SYNC_MIN_BYTES = 64 * 1024

/**
 * Connects the sync core to storage (DocumentStorage: the embedded files or PostgreSQL): loads
 * documents, appends every change, and compacts on unload. Unknown documents are refused before the
 * upgrade. A document whose lease is lost is handed to `onLeaseLost`, which unloads it without
 * storing (its connections closed with the "moved" code), then `abandon` lets its storage go.
 */
export class Persistence implements CollabExtension {
  private readonly persisted = new WeakMap<CollabDocument, StoredDocument>()

  constructor(
    private readonly store: DocumentStorage,
    private readonly catalog: Catalog,
    private readonly onChanged: (documentId: string) => void,
  ) {}

  private onLeaseLost: (documentId: string, error: LeaseLostError) => void = () => undefined

  /**
   * Where a document whose lease was lost goes: dropped from `collab` unstored, its connections
   * closed with CloseCode.Moved (clients reconnect, the load balancer sends them to the new owner,
   * and they resend what it lacks), then its storage let go.
   */
  handLeaseLossTo(collab: Pick<CollabServer, 'evict'>): void {
    this.onLeaseLost = (documentId, error) => {
      console.error(`[store] ${error.message}`)
      void collab.evict(documentId, CloseCode.Moved, 'document moved to another server').then((evicted) => evicted && this.abandon(evicted))
    }
  }

  onAuthenticate({ documentName }: { documentName: string }): void {
    this.requireDocument(documentName)
  }

  async onLoadDocument({ document }: { document: CollabDocument }): Promise<void> {
    this.requireDocument(document.name)
    let stored: { index: ChunkIndex; initial: InitialState } | null = null
    const persisted = await this.store.open(document.name, document.ydoc, {
      // Big documents answer first syncs from their stored chunks; small ones encode them.
      onStored: ({ chunks, bytes, legacy, complete }) => {
        if (legacy || bytes < CHUNKED_SYNC_MIN_BYTES) return
        const index = ChunkIndex.of(chunks)
        stored = { index, initial: new InitialState((known) => index.missingParts(known), complete) }
        document.initialState = stored.initial
      },
      onStateApplied: (stateVector) => {
        if (!stored) return
        stored.index.setEnds(stateVector)
        stored.initial.applied(document.ydoc, stateVector)
      },
      onLeaseLost: (error) => this.onLeaseLost(document.name, error),
    }, { requireContent: true })
    this.persisted.set(document, persisted)
  }

  onChange({ document, update }: { document: CollabDocument; update: Uint8Array }): void {
    this.persisted.get(document)?.append(update)
    this.onChanged(document.name)
  }

  async onStoreDocument({ document }: { document: CollabDocument }): Promise<void> {
    document.initialState = null
    await this.persisted.get(document)?.close()
    this.persisted.delete(document)
  }

  /** Forgets a deleted document's pending writes so that nothing recreates its files. */
  async discard(document: CollabDocument): Promise<void> {
    document.initialState = null
    await this.persisted.get(document)?.discard()
    this.persisted.delete(document)
  }

  /** Lets go of a document whose lease was lost, once the sync core has dropped it (nothing is stored). */
  async abandon(document: CollabDocument): Promise<void> {
    document.initialState = null
    await this.persisted.get(document)?.abandon()
    this.persisted.delete(document)
  }

  private requireDocument(name: string): void {
    if (!this.catalog.get(name)) throw new RejectConnection(404, `document ${name} does not exist`)
  }
}
