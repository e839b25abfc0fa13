import * as Y from 'yjs'
import type { Node as PMNode } from '@tiptap/pm/model'
import { normalizeForReview } from '../../shared/editor/lib/normalizeForReview'
import { CONTENT_FRAGMENT, yDocToNode } from '../../shared/editor/lib/ydoc'
import { withoutRecords } from '../../shared/sections/sectionTree'
import { COMMENTS_MAP, onlyOwnCommentChanges, readThreads } from '../../shared/comments/threads'
import { ownThreadIds } from './ownThreads'
import { onlyOwnInsertedText } from './reviewFastPath'
import type { CollabDocument } from '../collab/CollabDocument'

/** The shared types people without edit rights may touch at all: the content (checked further) and comment threads. */
const REVIEWABLE_ROOTS = new Set([CONTENT_FRAGMENT, COMMENTS_MAP])

/** Applies an update; names the top-level shared types it changed, and lists the types it changed. */
function applyAndListRoots(ydoc: Y.Doc, update: Uint8Array, origin: unknown): { roots: Set<string>; changed: Array<Y.AbstractType<any>> } {
  const roots = new Set<string>()
  const changed: Array<Y.AbstractType<any>> = []
  const collect = (transaction: Y.Transaction) => {
    changed.push(...transaction.changed.keys())
    // Named after applying: an update can create a root this copy did not have yet (the first comment).
    const names = new Map<Y.AbstractType<any>, string>()
    ydoc.share.forEach((type, name) => names.set(type, name))
    for (const type of transaction.changed.keys()) {
      let root: Y.AbstractType<any> = type
      while (root._item?.parent) root = root._item.parent as Y.AbstractType<any>
      roots.add(names.get(root) ?? '?')
    }
  }
  ydoc.on('afterTransaction', collect)
  try {
    Y.applyUpdate(ydoc, update, origin)
  } finally {
    ydoc.off('afterTransaction', collect)
  }
  return { roots, changed }
}

interface Shadow {
  ydoc: Y.Doc
  /** Counts updates applied to the live document, to know when a cached normal form is stale. */
  version: number
  /** Normal form of the live document per person (whose suggestions were withdrawn) and own threads (whose anchors were taken out). */
  normalized: Map<string, { version: number; node: PMNode }>
  /** An update just allowed: when the live document applies it (from `origin`), `node` is still its normal form. */
  accepted: { origin: unknown; key: string; node: PMNode } | null
  detach: () => void
}

/**
 * Checks updates from people without edit rights: a reviewer may only add or withdraw their own
 * suggestions and comments, a viewer only comments. The update is tried on a shadow copy of the
 * document, kept in step with it, and both are compared with those allowed changes taken out.
 */
export class ReviewGuard {
  private readonly shadows = new WeakMap<CollabDocument, Shadow>()
  /** Updates allowed by the fast path (reviewFastPath.ts) without the whole-document comparison. */
  fastAllowed = 0

  /** `fastPath: false` always compares the whole document (tests compare the two). */
  constructor(private readonly options: { fastPath?: boolean } = {}) {}

  /**
   * `origin` is what the live document will apply the update with (the connection). `form` narrows
   * the comparison further (joint drafting: a drafter's own sections are left out, SectionGuard.ts);
   * by default section records are left out, since the section guard checks them on their own.
   */
  allows(
    document: CollabDocument,
    update: Uint8Array,
    origin: unknown,
    userId: string,
    mayWithdrawOwnSuggestions: boolean,
    form: { key: string; normalize: (node: PMNode) => PMNode; checkComments: boolean } = { key: '', normalize: withoutRecords, checkComments: true },
  ): boolean {
    const shadow = this.shadowOf(document)
    const person = mayWithdrawOwnSuggestions ? userId : null
    let touched: Set<string>
    let changed: Array<Y.AbstractType<any>>
    try {
      ;({ roots: touched, changed } = applyAndListRoots(shadow.ydoc, update, this))
    } catch {
      this.drop(document)
      return false
    }
    // Parts that wait for content the document does not have yet (a delete set or items aimed at
    // someone's future edits) would take effect unchecked when that content arrives: refuse them.
    // Clients only build on what the server sent them, so an honest update never waits.
    const waiting = shadow.ydoc.store.pendingStructs !== null || shadow.ydoc.store.pendingDs !== null
    if (waiting || [...touched].some((root) => !REVIEWABLE_ROOTS.has(root))) {
      this.drop(document)
      return false
    }
    // The commonest reviewer update, typing their own suggestion into a paragraph, is decided on the
    // paragraphs it touched; anything else (and any narrower form, e.g. joint drafting's) falls through
    // to the whole-document comparison.
    if (person !== null && this.options.fastPath !== false && form.key === '' && !touched.has(COMMENTS_MAP) && onlyOwnInsertedText(document.ydoc, shadow.ydoc, changed, person)) {
      this.fastAllowed++
      shadow.accepted = null
      return true
    }
    if (form.checkComments && touched.has(COMMENTS_MAP) && !onlyOwnCommentChanges(readThreads(document.ydoc), readThreads(shadow.ydoc), userId)) {
      this.drop(document)
      return false
    }
    // Own comment anchors may come and go; everyone else's must stay (see ownThreadIds).
    const own = ownThreadIds(userId, document.ydoc, shadow.ydoc)
    const keepAnchor = (threadId: string) => !own.has(threadId)
    const normalize = (node: PMNode) => form.normalize(normalizeForReview(node, person, keepAnchor))
    const key = `${form.key}:${person ?? ''}|${[...own].sort().join(',')}`
    let before = shadow.normalized.get(key)
    if (!before || before.version !== shadow.version) {
      before = { version: shadow.version, node: normalize(yDocToNode(document.ydoc)) }
    }
    const after = normalize(yDocToNode(shadow.ydoc))
    if (!before.node.eq(after)) {
      // The shadow now holds the refused change; build a fresh one next time.
      this.drop(document)
      return false
    }
    shadow.normalized.set(key, before)
    // The live document is about to take this update; after it, the normal form is still `before`.
    shadow.accepted = { origin, key, node: before.node }
    return true
  }

  private shadowOf(document: CollabDocument): Shadow {
    const existing = this.shadows.get(document)
    if (existing) return existing
    const ydoc = new Y.Doc()
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(document.ydoc))
    const shadow: Shadow = { ydoc, version: 0, normalized: new Map(), accepted: null, detach: () => undefined }
    const follow = (update: Uint8Array, origin: unknown) => {
      shadow.version++
      const accepted = shadow.accepted
      shadow.accepted = null
      if (accepted && accepted.origin === origin) shadow.normalized.set(accepted.key, { version: shadow.version, node: accepted.node })
      Y.applyUpdate(ydoc, update, this)
    }
    document.ydoc.on('update', follow)
    shadow.detach = () => {
      document.ydoc.off('update', follow)
      ydoc.destroy()
    }
    this.shadows.set(document, shadow)
    return shadow
  }

  private drop(document: CollabDocument): void {
    this.shadows.get(document)?.detach()
    this.shadows.delete(document)
  }
}
