import type { Node as PMNode } from '@tiptap/pm/model'
import * as Y from 'yjs'
import { readThreads, type CommentThread } from '../../shared/comments/threads'
import { checkReport, type CheckOptions } from '../../shared/editor/lib/checkReport'
import { yDocToNode } from '../../shared/editor/lib/ydoc'
import { readOptions } from '../../shared/sections/options'
import type { CheckView } from '../../shared/contract'
import type { CollabServer } from '../collab/CollabServer'
import type { EventBus } from '../cluster/events'
import type { Catalog, DocumentMeta } from '../storage/Catalog'
import { DocumentSubmittedError, snapshotOf, type VersionService } from './versions'

export type { CheckView } from '../../shared/contract'

export function checkView(doc: PMNode, threads: CommentThread[], options: CheckOptions = {}): CheckView {
  const check = checkReport(doc, threads, options)
  return {
    ok: check.ok,
    unfilledPlaceholders: check.unfilledPlaceholders.map(({ id, kind, text, context, sectionPath }) => ({ id, kind, text, context, sectionPath: [...sectionPath] })),
    pendingSuggestions: check.pendingSuggestions.map(({ id, type, change, authorName, createdAt, inserted, deleted, sectionPath }) => ({
      id,
      type,
      ...(change ? { change } : {}),
      authorName,
      createdAt,
      inserted,
      deleted,
      sectionPath: [...sectionPath],
    })),
    openThreads: check.openThreads.map(({ id, authorName, quote, sectionPath, messages }) => ({ id, authorName, quote, sectionPath: [...sectionPath], messages })),
    emptySections: check.emptySections.map(({ label, path, reason }) => ({ label, path: [...path], reason })),
    unverifiedFigures: check.unverifiedFigures.map(({ id, kind, text, context, sectionLabels, provenance }) => ({
      id,
      kind,
      text,
      context,
      sectionPath: [...sectionLabels],
      source: provenance.source,
      filledBy: provenance.filledBy,
    })),
    unverifiedBlocking: check.unverifiedBlocking,
    unfinishedSections: check.unfinishedSections.map(({ label, path, status, assignees }) => ({ label, path: [...path], status, assignees: assignees.map((p) => p.name) })),
    unfinishedBlocks: check.unfinishedBlocks,
  }
}

/** The check of a live document: `options` from the catalog, 未定稿不得提交 from the document's own options. */
export const checkOfYDoc = (ydoc: Y.Doc, options: CheckOptions = {}): CheckView =>
  checkView(yDocToNode(ydoc), readThreads(ydoc), { requireFinal: readOptions(ydoc).requireFinal, ...options })

/** The owner's check options, kept with the document's entry in the catalog. */
const checkOptionsOf = (meta: DocumentMeta | undefined): CheckOptions => ({ requireVerifiedFigures: meta?.requireVerifiedFigures === true })

/** The check found problems and no reason to submit anyway was given. */
export class SubmissionRefusedError extends Error {
  override name = 'SubmissionRefusedError'
  constructor(readonly check: CheckView) {
    super('The report does not pass the submission check; fix the problems or give a reason to submit anyway')
  }
}

/** Reopening a document that is not submitted. */
export class NotSubmittedError extends Error {
  override name = 'NotSubmittedError'
  constructor() {
    super('The document is not submitted')
  }
}

/**
 * Submitting (报送) and reopening documents. A submitted document is read-only for everyone: the
 * Permissions extension refuses updates (see `updateChangesNothing`), the API refuses renames,
 * new versions and restores, and every open editor is told to reload the document's meta.
 */
export class Submissions {
  constructor(
    private readonly catalog: Catalog,
    private readonly collab: CollabServer,
    private readonly versions: VersionService,
    /** Tells every process (this one included) to close the sockets a change concerns. */
    private readonly events: EventBus,
  ) {}

  /** The check on the current (live or stored) content. */
  async check(documentId: string): Promise<CheckView> {
    const lease = await this.collab.lease(documentId)
    try {
      return checkOfYDoc(lease.document.ydoc, checkOptionsOf(this.catalog.get(documentId)))
    } finally {
      lease.release()
    }
  }

  /**
   * Checks the live content, saves it as a 'submission' version and marks the document submitted,
   * all in one tick so no edit slips in between; then closes every connection with RoleChanged.
   */
  async submit(documentId: string, args: { versionName: string; overrideReason: string | null; submittedBy: string }): Promise<DocumentMeta> {
    const lease = await this.collab.lease(documentId)
    try {
      let written: Promise<unknown> = Promise.resolve()
      await this.versions.store.update(documentId, () => {
        const meta = this.catalog.get(documentId)
        if (!meta) throw new Error(`document ${documentId} does not exist`)
        if (meta.status === 'submitted') throw new DocumentSubmittedError()
        const ydoc = lease.document.ydoc
        const node = yDocToNode(ydoc)
        const check = checkView(node, readThreads(ydoc), { ...checkOptionsOf(meta), requireFinal: readOptions(ydoc).requireFinal })
        if (!check.ok && !args.overrideReason) throw new SubmissionRefusedError(check)
        const version = this.versions.versionOf(ydoc, 'submission', args.versionName, args.submittedBy, snapshotOf(ydoc))
        // Catalog.update changes the entry at once (the write follows): from here on updates are refused.
        written = this.catalog.update(documentId, {
          status: 'submitted',
          submission: {
            versionId: version.id,
            versionName: version.name,
            submittedAt: version.createdAt,
            submittedBy: args.submittedBy,
            overrideReason: check.ok ? null : args.overrideReason,
          },
        })
        return version
      }).catch(async (error: unknown) => {
        // The version could not be stored: the submission did not happen.
        if (this.catalog.get(documentId)?.status === 'submitted' && !(error instanceof DocumentSubmittedError)) {
          await written.catch(() => undefined)
          await this.catalog.update(documentId, { status: 'draft', submission: null })
        }
        throw error
      })
      await written
      await this.events.publish({ type: 'document-submitted', documentId })
    } finally {
      lease.release()
    }
    return this.catalog.get(documentId)!
  }

  /** Makes a submitted document a draft again; every open editor reloads the meta. */
  async reopen(documentId: string): Promise<DocumentMeta> {
    const meta = this.catalog.get(documentId)
    if (!meta) throw new Error(`document ${documentId} does not exist`)
    if (meta.status !== 'submitted') throw new NotSubmittedError()
    const updated = (await this.catalog.update(documentId, { status: 'draft', submission: null }))!
    await this.events.publish({ type: 'document-reopened', documentId, userIds: [updated.ownerId, ...Object.keys(updated.members)] })
    return updated
  }
}

/**
 * Whether an update would leave a document as it is: everything it inserts is already there and
 * everything it deletes is already deleted. A client's sync step 2 after (re)connecting is such an
 * update; a submitted document accepts those and refuses everything else.
 */
export function updateChangesNothing(ydoc: Y.Doc, update: Uint8Array): boolean {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(ydoc)))
  } catch {
    return false
  }
  if (decoded.structs.some((struct) => !(struct instanceof Y.Skip))) return false
  if (decoded.ds.clients.size === 0) return true
  const deleted = Y.createDeleteSetFromStructStore(ydoc.store).clients
  for (const [client, ranges] of decoded.ds.clients) {
    const have = deleted.get(client) ?? []
    for (const range of ranges) if (range.len > 0 && !covered(have, range.clock, range.clock + range.len)) return false
  }
  return true
}

/** Whether the sorted, merged ranges cover [from, to). */
function covered(ranges: { clock: number; len: number }[], from: number, to: number): boolean {
  let low = 0
  let high = ranges.length - 1
  // The last range starting at or before `from`.
  let found = -1
  while (low <= high) {
    const middle = (low + high) >> 1
    if (ranges[middle].clock <= from) {
      found = middle
      low = middle + 1
    } else {
      high = middle - 1
    }
  }
  // Adjacent ranges may be listed separately (deleted items of different kinds): follow them.
  let end = from
  for (let index = found; index >= 0 && index < ranges.length && ranges[index].clock <= end; index++) {
    end = Math.max(end, ranges[index].clock + ranges[index].len)
    if (end >= to) return true
  }
  return end >= to
}
