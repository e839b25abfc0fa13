import { updateYFragment } from '@tiptap/y-tiptap'
import type { Node as PMNode } from '@tiptap/pm/model'
import type * as Y from 'yjs'
import { schema } from '../../shared/editor/schema'
import { CONTENT_FRAGMENT, yDocToNode, type DocJSON } from '../../shared/editor/lib/ydoc'
import type { CollabDocument } from '../collab/CollabDocument'
import type { CollabServer } from '../collab/CollabServer'
import type { Catalog } from '../storage/Catalog'
import { compareTexts, reportText, type TextChange } from './compare'
import { AUTO_AUTHOR, newVersionId, VersionStore, type Version, type VersionKind, type VersionRepository, type VersionSummary } from './VersionStore'
import { componentLogger } from '../logger'

const log = componentLogger('versions')

export const AUTO_VERSION_NAME = '自动保存'
export const BACKUP_VERSION_NAME = '恢复前备份'
/** Origin of the transaction that writes a restored version into the live document. */
export const RESTORE_ORIGIN = 'version-restore'

export interface VersionServiceOptions {
  /** An automatic version is saved once nobody has changed the document for this long. */
  autoVersionIdleMs: number
  /** …and at most one per this interval. */
  autoVersionMinIntervalMs: number
}

/** The document is submitted (报送): read-only until its owner reopens it. */
export class DocumentSubmittedError extends Error {
  override name = 'DocumentSubmittedError'
  constructor() {
    super('The document has been submitted and is read-only; its owner must reopen it first')
  }
}

/** A version whose content no longer fits the editor's schema. */
export class VersionUnreadableError extends Error {
  override name = 'VersionUnreadableError'
}

/** The editor content of a Y.Doc as ProseMirror JSON. */
export const snapshotOf = (ydoc: Y.Doc): DocJSON => yDocToNode(ydoc).toJSON() as DocJSON

const sameContent = (a: DocJSON, b: DocJSON) => JSON.stringify(a) === JSON.stringify(b)

interface AutoState {
  timer: NodeJS.Timeout | null
  /** Changed since the last automatic version was taken. */
  dirty: boolean
  lastChangeAt: number
  lastSavedAt: number
  /** An automatic version is being saved; the next one waits for it. */
  busy: boolean
}

/**
 * Versions of documents: named ones (「保存版本」), automatic ones after a burst of edits, backups
 * before a restore and the versions submissions save; comparing a version with the current text;
 * restoring one into the live document as an ordinary change.
 */
export class VersionService {
  readonly store: VersionRepository
  private readonly auto = new Map<string, AutoState>()
  private readonly saving = new Set<Promise<unknown>>()
  private closed = false

  constructor(
    /** A data directory (the embedded backend's files) or a repository. */
    store: string | VersionRepository,
    private readonly catalog: Catalog,
    private readonly collab: CollabServer,
    private readonly options: VersionServiceOptions,
  ) {
    this.store = typeof store === 'string' ? new VersionStore(store) : store
  }

  list(documentId: string): Promise<VersionSummary[]> {
    return this.store.list(documentId)
  }

  get(documentId: string, versionId: string): Promise<Version | undefined> {
    return this.store.get(documentId, versionId)
  }

  /** Saves the current content as a version of `kind` by `createdBy` (a display name). */
  async save(documentId: string, kind: Exclude<VersionKind, 'submission'>, name: string, createdBy: string): Promise<Version> {
    return this.withLive(documentId, (document) =>
      this.store.update(documentId, () => {
        if (kind !== 'auto' && this.isSubmitted(documentId)) throw new DocumentSubmittedError()
        return this.versionOf(document.ydoc, kind, name, createdBy)
      }),
    )
  }

  /** Builds a version of the current content (nothing is stored). */
  versionOf(ydoc: Y.Doc, kind: VersionKind, name: string, createdBy: string, doc: DocJSON = snapshotOf(ydoc)): Version {
    return { id: newVersionId(), name, kind, createdAt: new Date().toISOString(), createdBy, doc }
  }

  /**
   * The changes from a version (old) to the current content (new), on the report's plain text with
   * its ordinals, pending suggestions counted as rejected. Undefined for an unknown version.
   */
  async compare(documentId: string, versionId: string): Promise<{ changes: TextChange[] } | undefined> {
    const version = await this.store.get(documentId, versionId)
    if (!version) return undefined
    const before = reportText(this.nodeOf(version))
    const lease = await this.collab.lease(documentId)
    let after: string
    try {
      after = reportText(yDocToNode(lease.document.ydoc))
    } finally {
      lease.release()
    }
    return { changes: compareTexts(before, after) }
  }

  /**
   * Writes a version's content into the live document, as one Yjs transaction that every connected
   * editor receives as a normal change (comment threads untouched). The current content is saved
   * first as a 'backup' version. Undefined for an unknown version.
   */
  async restore(documentId: string, versionId: string, restoredBy: string): Promise<{ restored: string; backup: string; name: string } | undefined> {
    const version = await this.store.get(documentId, versionId)
    if (!version) return undefined
    const target = this.nodeOf(version)
    return this.withLive(documentId, async (document) => {
      const backup = await this.store.update(documentId, () => {
        if (this.isSubmitted(documentId)) throw new DocumentSubmittedError()
        const ydoc = document.ydoc
        const backup = this.versionOf(ydoc, 'backup', BACKUP_VERSION_NAME, restoredBy)
        ydoc.transact(() => {
          updateYFragment(ydoc, ydoc.getXmlFragment(CONTENT_FRAGMENT), target, { mapping: new Map(), isOMark: new Map() })
        }, RESTORE_ORIGIN)
        return backup
      })
      return { restored: versionId, backup: backup.id, name: version.name }
    })
  }

  /**
   * Notes a change to a document; runs on every update, so it only records the time. The timer it
   * starts (if none is running) checks, when it fires, whether the document has been idle long enough.
   */
  changed(documentId: string): void {
    if (this.closed) return
    let state = this.auto.get(documentId)
    if (!state) {
      state = { timer: null, dirty: false, lastChangeAt: 0, lastSavedAt: 0, busy: false }
      this.auto.set(documentId, state)
    }
    state.dirty = true
    state.lastChangeAt = Date.now()
    if (!state.timer) this.schedule(documentId, state, this.options.autoVersionIdleMs)
  }

  /** Stops automatic versions of a deleted document and deletes its versions. */
  async forget(documentId: string): Promise<void> {
    const state = this.auto.get(documentId)
    if (state?.timer) clearTimeout(state.timer)
    this.auto.delete(documentId)
    await this.store.remove(documentId)
  }

  /** Stops every timer and waits for automatic versions being saved. Call before the sync core closes. */
  async close(): Promise<void> {
    this.closed = true
    for (const state of this.auto.values()) if (state.timer) clearTimeout(state.timer)
    this.auto.clear()
    await Promise.allSettled([...this.saving])
  }

  private schedule(documentId: string, state: AutoState, delayMs: number): void {
    state.timer = setTimeout(() => this.fire(documentId, state), Math.max(0, delayMs))
    state.timer.unref()
  }

  private fire(documentId: string, state: AutoState): void {
    state.timer = null
    if (this.closed || this.auto.get(documentId) !== state || state.busy) return
    const now = Date.now()
    const due = Math.max(state.lastChangeAt + this.options.autoVersionIdleMs, state.lastSavedAt + this.options.autoVersionMinIntervalMs)
    if (now < due) return this.schedule(documentId, state, due - now)
    state.dirty = false
    state.busy = true
    const saving = this.saveAuto(documentId, state)
      .catch((error: Error) => {
        if (this.catalog.get(documentId)) log.error(`${documentId}: automatic version failed: ${error.message}`)
      })
      .finally(() => {
        state.busy = false
        this.saving.delete(saving)
        if (this.closed || this.auto.get(documentId) !== state) return
        // Changed again while saving: wait for the next quiet moment. (The state stays, for the interval.)
        if (state.dirty && !state.timer) this.schedule(documentId, state, Math.max(0, state.lastChangeAt + this.options.autoVersionIdleMs - Date.now()))
      })
    this.saving.add(saving)
  }

  private async saveAuto(documentId: string, state: AutoState): Promise<void> {
    if (!this.catalog.get(documentId)) return
    const saved = await this.withLive(documentId, (document) =>
      this.store.update(documentId, (last) => {
        const doc = snapshotOf(document.ydoc)
        // Only when the content changed since the last version (comments alone do not count).
        if (last && sameContent(last.doc, doc)) return null
        return this.versionOf(document.ydoc, 'auto', AUTO_VERSION_NAME, AUTO_AUTHOR, doc)
      }),
    )
    if (saved) state.lastSavedAt = Date.now()
  }

  private isSubmitted(documentId: string): boolean {
    return this.catalog.get(documentId)?.status === 'submitted'
  }

  private nodeOf(version: Version): PMNode {
    try {
      return schema.nodeFromJSON(version.doc)
    } catch (error) {
      throw new VersionUnreadableError(`Version ${version.id} cannot be read: ${(error as Error).message}`)
    }
  }

  /** Runs `use` on the loaded document (loading it if needed), keeping it loaded until `use` settles. */
  private async withLive<T>(documentId: string, use: (document: CollabDocument) => Promise<T>): Promise<T> {
    const lease = await this.collab.lease(documentId)
    try {
      return await use(lease.document)
    } finally {
      lease.release()
    }
  }
}
