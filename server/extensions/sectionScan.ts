import * as Y from 'yjs'
import { COMMENTS_MAP } from '../../shared/comments/threads'
import { CONTENT_FRAGMENT } from '../../shared/editor/lib/ydoc'
import { OPTIONS_MAP } from '../../shared/sections/options'
import { parseWorkflow, WORKFLOW_ATTR, type RecordSighting } from '../../shared/sections/workflow'

/**
 * Reads what a Yjs update touches without applying it: the cheap first look of the section guard
 * (SectionGuard.ts). Cost is proportional to the update (one lookup per struct and per deleted range),
 * never to the document, so a drafter's keystroke stays cheap.
 *
 * Yjs internals used: decoded structs carry `parent` (root name or the parent item's ID) only when
 * they have no origin; otherwise the parent, and the attribute key (`parentSub`), are those of the
 * origin item. An attribute overwritten gets a new item whose origin is the old value.
 */

/** Where a change lands: a live shared type, a root by name, or unknown (refers to nothing we have). */
type Anchor = Y.AbstractType<any> | string | null

export interface UpdateScan {
  /** A section's `workflow` attribute is written or deleted (assignment or status change). */
  records: boolean
  /** The document options map is touched. */
  options: boolean
  /** Live types the update inserts into, deletes from, or sets an attribute on (content and comments). */
  anchors: Anchor[]
  /** Live element types the update deletes (their sub-sections must be checked too). */
  deletedTypes: Y.AbstractType<any>[]
}

interface Known {
  clock: number
  length: number
  anchor: Anchor
  parentSub: string | null
  /** For a new type: the anchor of what is inserted into it (the live type it sits in). */
}

const rootName = (ydoc: Y.Doc, type: Y.AbstractType<any>): string | null => {
  let root = type
  while (root._item?.parent) root = root._item.parent as Y.AbstractType<any>
  for (const [name, value] of ydoc.share) if (value === root) return name
  return null
}

function liveItem(ydoc: Y.Doc, id: Y.ID): Y.Item | null {
  const structs = ydoc.store.clients.get(id.client)
  if (!structs) return null
  const last = structs[structs.length - 1]
  if (id.clock >= last.id.clock + last.length) return null
  const struct = structs[Y.findIndexSS(structs, id.clock)]
  return struct instanceof Y.Item ? struct : null
}

export function scanUpdate(ydoc: Y.Doc, update: Uint8Array): UpdateScan {
  const { structs, ds } = Y.decodeUpdate(update)
  const scan: UpdateScan = { records: false, options: false, anchors: [], deletedTypes: [] }
  const fresh = new Map<number, Known[]>()
  const findFresh = (id: Y.ID) => fresh.get(id.client)?.find((k) => id.clock >= k.clock && id.clock < k.clock + k.length) ?? null
  // Anchor and attribute key of an existing item (live or earlier in this update).
  const placeOf = (id: Y.ID): { anchor: Anchor; parentSub: string | null } => {
    const known = findFresh(id)
    if (known) return known
    const item = liveItem(ydoc, id)
    if (!item) return { anchor: null, parentSub: null }
    const parent = item.parent as Y.AbstractType<any>
    return { anchor: parent._item ? parent : rootName(ydoc, parent), parentSub: item.parentSub }
  }
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    const item = struct as Y.Item & { parent: Y.ID | string | null }
    let anchor: Anchor
    let parentSub = item.parentSub
    if (item.origin || item.rightOrigin) {
      const place = placeOf((item.origin ?? item.rightOrigin)!)
      anchor = place.anchor
      parentSub = place.parentSub
    } else if (typeof item.parent === 'string') {
      anchor = item.parent
    } else if (item.parent) {
      const known = findFresh(item.parent)
      if (known) anchor = known.anchor
      else {
        const parentItem = liveItem(ydoc, item.parent)
        anchor = parentItem && parentItem.content instanceof Y.ContentType ? parentItem.content.type : null
      }
    } else anchor = null
    if (parentSub === WORKFLOW_ATTR) scan.records = true
    // Children of a new type land, for our purposes, where the new type lands.
    const own: Known = { clock: item.id.clock, length: item.length, anchor, parentSub: item.content instanceof Y.ContentType ? null : parentSub }
    if (!fresh.has(item.id.client)) fresh.set(item.id.client, [])
    fresh.get(item.id.client)!.push(own)
    scan.anchors.push(anchor)
  }
  for (const [client, ranges] of ds.clients) {
    const list = ydoc.store.clients.get(client)
    if (!list) continue
    for (const { clock, len } of ranges) {
      const last = list[list.length - 1]
      if (clock >= last.id.clock + last.length) continue
      for (let i = Y.findIndexSS(list, clock); i < list.length && list[i].id.clock < clock + len; i++) {
        const item = list[i]
        if (!(item instanceof Y.Item) || item.deleted) continue
        const parent = item.parent as Y.AbstractType<any>
        if (item.parentSub === WORKFLOW_ATTR) scan.records = true
        scan.anchors.push(parent._item ? parent : rootName(ydoc, parent))
        if (item.content instanceof Y.ContentType) scan.deletedTypes.push(item.content.type)
      }
    }
  }
  for (const anchor of scan.anchors) {
    const name = anchor === null ? null : typeof anchor === 'string' ? anchor : rootName(ydoc, anchor)
    if (name === OPTIONS_MAP) scan.options = true
  }
  return scan
}

const isSection = (type: Y.AbstractType<any>): type is Y.XmlElement => type instanceof Y.XmlElement && type.nodeName === 'section'

/** Whether `userId` may edit directly inside `type` (a live type in the content): some section around it assigns them and none is 定稿. */
export function editableAt(type: Y.AbstractType<any>, userId: string): boolean {
  let assigned = false
  let inSection = false
  for (let t: Y.AbstractType<any> | null = type; t; t = (t._item?.parent as Y.AbstractType<any>) ?? null) {
    if (!isSection(t)) continue
    inSection = true
    const record = parseWorkflow(t.getAttribute(WORKFLOW_ATTR))
    if (record?.status === 'final') return false
    if (record?.assignees.some((p) => p.id === userId)) assigned = true
  }
  return inSection && assigned
}

/** Whether every section in a deleted subtree (the type and below) is the drafter's to edit. */
function subtreeEditable(type: Y.AbstractType<any>, userId: string): boolean {
  if (isSection(type) && !editableAt(type, userId)) return false
  if (!(type instanceof Y.XmlElement)) return true
  return type.toArray().every((child) => !(child instanceof Y.XmlElement) || subtreeEditable(child, userId))
}

/**
 * The fast path of 按分工编辑: true when every change of the update lies inside sections the drafter
 * may edit directly, or in comment threads. Anything else (including what cannot be resolved) goes
 * to the full comparison, which also allows the drafter's own suggestions.
 */
export function onlyInOwnSections(ydoc: Y.Doc, scan: UpdateScan, userId: string): boolean {
  for (const anchor of scan.anchors) {
    if (anchor === COMMENTS_MAP) continue
    if (anchor === null || typeof anchor === 'string') return false
    const name = rootName(ydoc, anchor)
    if (name === COMMENTS_MAP) continue
    if (name !== CONTENT_FRAGMENT || !editableAt(anchor, userId)) return false
  }
  return scan.deletedTypes.every((type) => subtreeEditable(type, userId))
}

/** Each section's record in a Y.Doc, with whether `userId` is among its effective assignees (for checkRecordChanges). */
export function recordSightings(ydoc: Y.Doc, userId: string, after?: Y.Doc): RecordSighting[] {
  const sightings: RecordSighting[] = []
  // Whether the same section element (same Yjs item) is still in `after`.
  const kept = (element: Y.XmlElement) => {
    const item = element._item && after ? liveItem(after, element._item.id) : null
    return !!item && !item.deleted
  }
  const walk = (parent: Y.XmlElement | Y.XmlFragment, assigned: boolean) => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      let mine = assigned
      if (isSection(child)) {
        const raw = child.getAttribute(WORKFLOW_ATTR) as unknown
        if (typeof raw === 'string') {
          mine = mine || !!parseWorkflow(raw)?.assignees.some((p) => p.id === userId)
          sightings.push({ raw, assigned: mine, kept: kept(child) })
        } else if (raw !== undefined && raw !== null) sightings.push({ raw: String(raw), assigned: mine, kept: kept(child) })
      }
      walk(child, mine)
    }
  }
  walk(ydoc.getXmlFragment(CONTENT_FRAGMENT), false)
  return sightings
}
