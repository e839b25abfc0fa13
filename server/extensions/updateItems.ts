import * as Y from 'yjs'
import { COMMENTS_MAP } from '../../shared/comments/threads'
import { OPTIONS_MAP } from '../../shared/sections/options'
import { CONTENT_FRAGMENT } from '../../shared/editor/lib/ydoc'
import { decodedUpdate } from '../collab/decodedUpdate'

/** Where a Yjs item sits, in the terms of the document model. */
export type Place =
  | { kind: 'fragment' }
  | { kind: 'comments' }
  /** The document options (shared/sections/options.ts): a Y.Map of booleans. */
  | { kind: 'options' }
  | { kind: 'element'; nodeName: string }
  | { kind: 'text' }
  | { kind: 'thread'; threadId: string; isNew: boolean; key: string }
  | { kind: 'messages'; thread: Place & { kind: 'thread' }; item: Y.Item; isNew: boolean }
  /** Another root type, or a type the model does not have. */
  | { kind: 'foreign'; what: string }
  /** Garbage-collected: whatever is put there is dropped. */
  | { kind: 'gone' }

type ParentRef = { root: string } | { item: Y.Item; isNew: boolean } | 'gone' | 'unknown'

const idKey = (item: Y.Item) => `${item.id.client}:${item.id.clock}`

/**
 * An update seen against the document it is about to be applied to, without applying it: which of
 * its items are new, and where each sits (parents are resolved through the update's own items and the
 * document's, the way Yjs would integrate them). Call only for an update whose dependencies are all
 * present (server/collab/dependencies.ts).
 */
export class UpdateItems {
  readonly structs: Array<Y.Item | Y.GC | Y.Skip>
  readonly deletions: ReturnType<typeof Y.decodeUpdate>['ds']
  private readonly byClient = new Map<number, Array<Y.Item | Y.GC | Y.Skip>>()
  private readonly parents = new Map<Y.Item, { parent: ParentRef; parentSub: string | null }>()
  private readonly places = new Map<Y.Item, Place>()

  constructor(private readonly ydoc: Y.Doc, update: Uint8Array) {
    const { structs, ds } = decodedUpdate(update)
    this.structs = structs
    this.deletions = ds
    for (const struct of structs) {
      const list = this.byClient.get(struct.id.client) ?? []
      list.push(struct)
      this.byClient.set(struct.id.client, list)
    }
  }

  /** Whether (part of) a struct of the update is not in the document yet. */
  isNew(struct: Y.Item | Y.GC | Y.Skip): boolean {
    return struct.id.clock + struct.length > Y.getState(this.ydoc.store, struct.id.client)
  }

  /** The new items of the update, in order. */
  *newItems(): Iterable<Y.Item> {
    for (const struct of this.structs) if (struct instanceof Y.Item && this.isNew(struct)) yield struct
  }

  /** Existing, not yet deleted items of the document that the update's delete set deletes. */
  *deletedItems(): Iterable<Y.Item> {
    for (const [client, ranges] of this.deletions.clients) {
      const structs = this.ydoc.store.clients.get(client)
      if (!structs) continue
      const state = Y.getState(this.ydoc.store, client)
      for (const range of ranges) {
        const end = Math.min(range.clock + range.len, state)
        if (range.clock >= end) continue
        for (let index = Y.findIndexSS(structs, range.clock); index < structs.length && structs[index].id.clock < end; index++) {
          const struct = structs[index]
          if (struct instanceof Y.Item && !struct.deleted) yield struct
        }
      }
    }
  }

  /** The map key an item is written under (`parentSub`), inherited from its neighbour as Yjs does. */
  parentSubOf(item: Y.Item, isNew: boolean): string | null {
    return this.parentOf(item, isNew).parentSub
  }

  /** The item of the type an item sits in (new or the document's), or null at a root or unknown. */
  parentItemOf(item: Y.Item, isNew: boolean): Y.Item | null {
    const parent = this.parentOf(item, isNew).parent
    return typeof parent === 'object' && 'item' in parent ? parent.item : null
  }

  /** Where an item (new in the update, or the document's) sits. */
  placeOf(item: Y.Item, isNew: boolean): Place {
    return this.placeOfParent(this.parentOf(item, isNew).parent)
  }

  private find(id: Y.ID): { struct: Y.Item | Y.GC | Y.Skip; isNew: boolean } | null {
    if (id.clock < Y.getState(this.ydoc.store, id.client)) return { struct: Y.getItem(this.ydoc.store, id), isNew: false }
    // An update's structs of one client are in clock order: binary search (a big update has many).
    const structs = this.byClient.get(id.client) ?? []
    let low = 0
    let high = structs.length - 1
    while (low <= high) {
      const middle = (low + high) >>> 1
      const struct = structs[middle]
      if (id.clock < struct.id.clock) high = middle - 1
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1
      else return { struct, isNew: true }
    }
    return null
  }

  private parentOf(item: Y.Item, isNew: boolean): { parent: ParentRef; parentSub: string | null } {
    if (!isNew) {
      const type = item.parent as Y.AbstractType<unknown> | null
      if (!type) return { parent: 'gone', parentSub: null }
      if (type._item === null) return { parent: { root: Y.findRootTypeKey(type) }, parentSub: item.parentSub }
      return { parent: { item: type._item, isNew: false }, parentSub: item.parentSub }
    }
    // A new item names its parent only when it has no neighbours; otherwise it is its neighbour's.
    // Resolved along the chain of neighbours without recursion (an update may chain thousands).
    const chain: Y.Item[] = []
    let current = item
    let resolved: { parent: ParentRef; parentSub: string | null } | undefined
    for (;;) {
      const known = this.parents.get(current)
      if (known) {
        resolved = known
        break
      }
      chain.push(current)
      const parent = current.parent as unknown
      if (typeof parent === 'string') resolved = { parent: { root: parent }, parentSub: current.parentSub }
      else if (parent instanceof Y.ID) resolved = { parent: this.itemRef(parent), parentSub: current.parentSub }
      else {
        const neighbour = current.origin ?? current.rightOrigin
        const found = neighbour && this.find(neighbour)
        if (!found) resolved = { parent: 'unknown', parentSub: null }
        else if (!(found.struct instanceof Y.Item)) resolved = { parent: 'gone', parentSub: null }
        else if (!found.isNew) resolved = this.parentOf(found.struct, false)
        else {
          current = found.struct
          continue
        }
      }
      break
    }
    for (const link of chain) this.parents.set(link, resolved)
    return resolved
  }

  private itemRef(id: Y.ID): ParentRef {
    const found = this.find(id)
    if (!found) return 'unknown'
    if (!(found.struct instanceof Y.Item)) return 'gone'
    return { item: found.struct, isNew: found.isNew }
  }

  private placeOfParent(parent: ParentRef): Place {
    if (parent === 'gone') return { kind: 'gone' }
    if (parent === 'unknown') return { kind: 'foreign', what: 'an unknown parent' }
    if ('root' in parent) {
      if (parent.root === CONTENT_FRAGMENT) return { kind: 'fragment' }
      if (parent.root === COMMENTS_MAP) return { kind: 'comments' }
      if (parent.root === OPTIONS_MAP) return { kind: 'options' }
      return { kind: 'foreign', what: `the root type "${parent.root.slice(0, 40)}"` }
    }
    const cached = this.places.get(parent.item)
    if (cached) return cached
    const place = this.placeOfType(parent.item, parent.isNew)
    this.places.set(parent.item, place)
    return place
  }

  private placeOfType(item: Y.Item, isNew: boolean): Place {
    if (item.deleted && !isNew) return { kind: 'gone' }
    const type = item.content instanceof Y.ContentType ? item.content.type : null
    if (type instanceof Y.XmlElement) return { kind: 'element', nodeName: type.nodeName }
    if (type instanceof Y.XmlText) return { kind: 'text' }
    const { parent, parentSub } = this.parentOf(item, isNew)
    const container = this.placeOfParent(parent)
    if (type instanceof Y.Map && container.kind === 'comments' && parentSub !== null) {
      return { kind: 'thread', threadId: parentSub, isNew, key: idKey(item) }
    }
    if (type instanceof Y.Array && container.kind === 'thread' && parentSub === 'messages') return { kind: 'messages', thread: container, item, isNew }
    if (container.kind === 'gone') return container
    return { kind: 'foreign', what: `a ${type?.constructor.name ?? item.content.constructor.name} in ${container.kind}` }
  }
}
