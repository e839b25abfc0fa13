import type { CollabDocument } from '../collab/CollabDocument'
import { RejectConnection, type CollabExtension } from '../collab/hooks'
import type { Catalog } from '../storage/Catalog'
import type { DocumentStore, PersistedDocument } from '../storage/DocumentStore'

/**
 * Connects the sync core to storage: loads documents from their state file and log, appends every
 * change to the log, and compacts on unload. Unknown documents are refused before the upgrade.
 */
export class Persistence implements CollabExtension {
  private readonly persisted = new WeakMap<CollabDocument, PersistedDocument>()

  constructor(
    private readonly store: DocumentStore,
    private readonly catalog: Catalog,
    private readonly onChanged: (documentId: string) => void,
  ) {}

  onAuthenticate({ documentName }: { documentName: string }): void {
    this.requireDocument(documentName)
  }

  async onLoadDocument({ document }: { document: CollabDocument }): Promise<void> {
    this.requireDocument(document.name)
    this.persisted.set(document, await this.store.open(document.name, document.ydoc))
  }

  onChange({ document, update }: { document: CollabDocument; update: Uint8Array }): void {
    this.persisted.get(document)?.append(update, document.ydoc)
    this.onChanged(document.name)
  }

  async onStoreDocument({ document }: { document: CollabDocument }): Promise<void> {
    await this.persisted.get(document)?.close(document.ydoc)
    this.persisted.delete(document)
  }

  /** Forgets a deleted document's pending writes so that nothing recreates its files. */
  async discard(document: CollabDocument): Promise<void> {
    await this.persisted.get(document)?.discard()
    this.persisted.delete(document)
  }

  private requireDocument(name: string): void {
    if (!this.catalog.get(name)) throw new RejectConnection(404, `document ${name} does not exist`)
  }
}
