import { randomBytes } from 'node:crypto'
import type * as Y from 'yjs'
import { docJSONToUpdate, type DocJSON } from '../../shared/editor/lib/ydoc'
import { CloseCode } from '../../shared/closeCodes'
import type { CollabServer } from '../collab/CollabServer'
import type { Catalog, DocumentMeta } from '../storage/Catalog'
import type { Role } from '../../shared/roles'
import type { DocumentStorage } from '../collab/storage'
import type { Persistence } from '../extensions/Persistence'
import type { VersionService } from './versions'
import { localEventBus } from '../cluster/closeConnections'
import type { EventBus } from '../cluster/events'

/** How often edit activity is folded into the catalog's updatedAt (the catalog is not written per keystroke). */
const TOUCH_INTERVAL_MS = 5_000

export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** A person's role in a document, or null if it is not shared with them. */
export function roleOf(meta: DocumentMeta, userId: string): Role | null {
  if (meta.ownerId === userId) return 'owner'
  return meta.members?.[userId] ?? null
}

/** The document list and the lifecycle of documents: create, rename, delete. */
export class DocumentService {
  private readonly touched = new Set<string>()
  private readonly touchTimer: NodeJS.Timeout

  constructor(
    private readonly catalog: Catalog,
    private readonly store: DocumentStorage,
    private readonly collab: CollabServer,
    private readonly persistence: Persistence,
    /** Automatic versions follow edits; a document's versions go with it. */
    private readonly versions?: VersionService,
    /** Tells every process (this one included) to close the sockets a change concerns. */
    private readonly events: EventBus = localEventBus(collab),
  ) {
    this.touchTimer = setInterval(() => void this.writeTouches(), TOUCH_INTERVAL_MS)
    this.touchTimer.unref()
  }

  /** The documents a person may open, with their role in each. */
  listFor(userId: string): (DocumentMeta & { role: Role })[] {
    return this.catalog.list().flatMap((meta) => {
      const role = roleOf(meta, userId)
      return role ? [{ ...meta, role }] : []
    })
  }

  get(id: string): DocumentMeta | undefined {
    return this.catalog.get(id)
  }

  /** `content` is the editor document, or a whole Yjs update (an import that also brings comment threads). */
  async create(title: string, content: DocJSON | Uint8Array, ownerId: string): Promise<DocumentMeta> {
    const id = randomBytes(9).toString('base64url')
    const now = new Date().toISOString()
    const meta: DocumentMeta = { id, title, createdAt: now, updatedAt: now, ownerId, members: {}, status: 'draft', submission: null }
    // Content first: a catalog entry must never point at a document that was not written.
    await this.store.create(id, content instanceof Uint8Array ? content : docJSONToUpdate(content))
    await this.catalog.add(meta)
    return meta
  }

  rename(id: string, title: string): Promise<DocumentMeta | undefined> {
    return this.catalog.update(id, { title, updatedAt: new Date().toISOString() })
  }

  /** Gives a colleague a role (or changes it); their open connections reconnect with it. */
  async setMember(id: string, userId: string, role: Exclude<Role, 'owner'>): Promise<void> {
    if (!(await this.catalog.setMember(id, userId, role))) return
    await this.events.publish({ type: 'member-changed', documentId: id, userId, change: 'role' })
  }

  async removeMember(id: string, userId: string): Promise<boolean> {
    if (!(await this.catalog.removeMember(id, userId))) return false
    await this.events.publish({ type: 'member-changed', documentId: id, userId, change: 'removed' })
    return true
  }

  async remove(id: string): Promise<boolean> {
    if (!(await this.catalog.remove(id))) return false
    this.touched.delete(id)
    const evicted = await this.collab.evict(id, CloseCode.DocumentDeleted, 'document deleted')
    if (evicted) await this.persistence.discard(evicted)
    await this.events.publish({ type: 'document-deleted', documentId: id })
    await this.store.remove(id)
    await this.versions?.forget(id)
    return true
  }

  /** Runs `read` on the live (or freshly loaded) Y.Doc of a document. */
  async read<T>(id: string, read: (ydoc: Y.Doc) => T): Promise<T> {
    const lease = await this.collab.lease(id)
    try {
      return read(lease.document.ydoc)
    } finally {
      lease.release()
    }
  }

  /** Notes edit activity; cheap enough for every update. */
  touch(id: string): void {
    this.touched.add(id)
    this.versions?.changed(id)
  }

  async close(): Promise<void> {
    clearInterval(this.touchTimer)
    await this.writeTouches()
  }

  private async writeTouches(): Promise<void> {
    if (this.touched.size === 0) return
    const ids = [...this.touched]
    this.touched.clear()
    await this.catalog.touch(ids, new Date().toISOString())
  }
}
