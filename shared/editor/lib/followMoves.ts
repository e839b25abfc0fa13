import * as Y from 'yjs'

/**
 * Text that another person moved while you typed in it.
 *
 * The Yjs binding has no move: a paragraph split (Enter) deletes the text after the caret and inserts
 * a copy of it in the new paragraph, and a join (Backspace at a paragraph's start) deletes the second
 * paragraph and inserts a copy of its text at the end of the first. A change another person made in
 * that text at the same moment (within a round trip, or all the time they were offline) still points at
 * the deleted originals: typing in a joined paragraph was gone without a word, and typing inside the
 * text a split moved stayed behind in the first paragraph.
 *
 * The server sees every change in order. `followMoves` reads each transaction a person's change made:
 * text it deleted whose copy it inserted is recorded as moved (`MovedText`); typing that sits after
 * moved text is written again next to the copy, with its own formatting (a reviewer's suggestion stays a
 * suggestion), and removed where it stayed behind. Whichever of the two changes reaches the server first,
 * the result is the same.
 *
 * Which typing did not see the move is read from Yjs's own record of where it was typed: the ids of its
 * neighbours then (`origin`, `rightOrigin`). Yjs types after deleted characters, never before one, so a
 * right neighbour that was moved means the typist still saw it; so does typing inside a deleted paragraph.
 * Typing right at the end of a moved run cannot be told apart from typing after the move at the end of
 * what stayed (both have only the last moved character on their left): it stays where Yjs puts it. Nor
 * are deletions followed: an update carries its writer's whole delete set when it reconnects, so a
 * deletion of moved text cannot be told from one made before the move, and deleting the copy then
 * would delete what the mover wrote.
 */

type CharKey = string

const keyOf = (client: number, clock: number): CharKey => `${client}:${clock}`

/** Moved characters and the characters they became, while the document is loaded (bounded: oldest first out). */
export class MovedText {
  private readonly copies = new Map<CharKey, Y.ID>()

  /** @param limit characters remembered; past it the oldest moves are forgotten (changes in them then stay where Yjs puts them). */
  constructor(private readonly limit = 100_000) {}

  get size(): number {
    return this.copies.size
  }

  copyOf(id: Y.ID | null): Y.ID | undefined {
    return id ? this.copies.get(keyOf(id.client, id.clock)) : undefined
  }

  set(client: number, clock: number, copy: Y.ID): void {
    const key = keyOf(client, clock)
    this.copies.delete(key)
    this.copies.set(key, copy)
    if (this.copies.size > this.limit) this.copies.delete(this.copies.keys().next().value!)
  }
}

/** An update the transaction applied, decoded (`Y.decodeUpdate`). */
export type AppliedUpdate = ReturnType<typeof Y.decodeUpdate>

/** What a repair did. */
export interface FollowResult {
  /** Characters the transaction moved. */
  moved: number
  /** Characters of typing written again where the text they were typed in went. */
  rehomed: number
}

const isText = (item: Y.Item): boolean => item.content instanceof Y.ContentString && item.parent instanceof Y.XmlText
const createdIn = (tr: Y.Transaction, id: Y.ID): boolean => id.clock >= (tr.beforeState.get(id.client) ?? 0)
const parentText = (item: Y.Item): Y.XmlText => item.parent as Y.XmlText

/** Runs of consecutive member items in `text`'s list (a live character outside the set ends a run). */
function runsOf(text: Y.XmlText, members: ReadonlySet<Y.Item>): Y.Item[][] {
  const runs: Y.Item[][] = []
  let run: Y.Item[] = []
  for (let item = text._start; item; item = item.right) {
    if (members.has(item)) run.push(item)
    else if (item.countable && !item.deleted && run.length > 0) {
      runs.push(run)
      run = []
    }
  }
  if (run.length > 0) runs.push(run)
  return runs
}

const runString = (run: Y.Item[]): string => run.map((item) => (item.content as Y.ContentString).str).join('')

function* idsOf(run: Y.Item[]): Iterable<Y.ID> {
  for (const item of run) for (let i = 0; i < item.length; i++) yield Y.createID(item.id.client, item.id.clock + i)
}

function groupByParent(items: Iterable<Y.Item>): Map<Y.XmlText, Set<Y.Item>> {
  const groups = new Map<Y.XmlText, Set<Y.Item>>()
  for (const item of items) {
    const parent = parentText(item)
    let group = groups.get(parent)
    if (!group) groups.set(parent, (group = new Set()))
    group.add(item)
  }
  return groups
}

/** Live text items the transaction created. */
function createdText(tr: Y.Transaction): Y.Item[] {
  const items: Y.Item[] = []
  tr.afterState.forEach((after, client) => {
    const before = tr.beforeState.get(client) ?? 0
    if (after <= before) return
    const structs = tr.doc.store.clients.get(client)!
    for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i].id.clock < after; i++) {
      const struct = structs[i]
      if (struct instanceof Y.Item && isText(struct) && !struct.deleted) items.push(struct)
    }
  })
  return items
}

/**
 * Records the moves of `tr`: each run of text its updates deleted whose string it inserted elsewhere.
 * Returns the moved originals and adds the copies' items to `copies`.
 */
function recordMoves(tr: Y.Transaction, created: Y.Item[], moved: MovedText, copies: Set<Y.Item>, deletedByUpdates: (id: Y.ID) => boolean): Set<Y.Item> {
  const sources = new Set<Y.Item>()
  const deleted: Y.Item[] = []
  // Only what the updates deleted themselves: typing they did not know, deleted with its paragraph, did not move.
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (struct instanceof Y.Item && isText(struct) && !createdIn(tr, struct.id) && deletedByUpdates(struct.id)) deleted.push(struct)
  })
  if (deleted.length === 0 || created.length === 0) return sources
  const insertedRuns = [...groupByParent(created)].flatMap(([text, members]) => runsOf(text, members)).map((run) => ({ run, text: runString(run), ids: [...idsOf(run)], from: 0 }))
  for (const [text, members] of groupByParent(deleted)) {
    // In list order; typing the mover did not know splits a moved run in two, both copied into one run.
    for (const run of runsOf(text, members)) {
      const wanted = runString(run)
      const target = insertedRuns.find((candidate) => candidate.text.indexOf(wanted, candidate.from) >= 0)
      if (!target) continue
      const offset = target.text.indexOf(wanted, target.from)
      target.from = offset + wanted.length
      let i = offset
      for (const id of idsOf(run)) moved.set(id.client, id.clock, target.ids[i++])
      run.forEach((item) => sources.add(item))
      target.run.forEach((item) => copies.add(item))
    }
  }
  return sources
}

/** Typing to write again: its text, where it goes, its formatting, and the item left behind (to delete) if live. */
interface Orphan {
  id: Y.ID
  text: string
  origin: Y.ID | null
  rightOrigin: Y.ID | null
  /** Its own formatting; undefined: the formatting at its new place, as typing there gets. */
  attributes: Record<string, unknown> | undefined
  /** The item where Yjs put it, when that is live (after a split): removed there. */
  live: Y.Item | null
  /** Deleted by the person who typed it: not written again, but the rest of the word typed after it follows. */
  ghost: boolean
}

/** Formatting of a live item, or of one deleted in `tr` with its whole paragraph (read before collection). */
function attributesAt(item: Y.Item): Record<string, unknown> | undefined {
  const attributes = new Map<string, unknown>()
  const wholeTextDeleted = parentText(item)._item?.deleted === true
  for (let each = parentText(item)._start; each && each !== item; each = each.right) {
    if (!(each.content instanceof Y.ContentFormat) || (each.deleted && !wholeTextDeleted)) continue
    if (each.content.value === null) attributes.delete(each.content.key)
    else attributes.set(each.content.key, each.content.value)
  }
  return attributes.size > 0 ? Object.fromEntries(attributes) : {}
}

/**
 * Typing that belongs with moved text, from `candidates` in typing order (the update's, or list order):
 * typing whose right neighbour had moved, typing inside a deleted paragraph next to moved text, and the
 * rest of a word whose first character is picked.
 */
function pickOrphans(candidates: Orphan[], moved: MovedText): Orphan[] {
  const picked: Orphan[] = []
  const pending = new Set<CharKey>()
  for (const orphan of candidates) {
    const { origin, rightOrigin } = orphan
    const follows = origin !== null && pending.has(keyOf(origin.client, origin.clock))
    const sawRightMoved = moved.copyOf(rightOrigin) !== undefined
    // Deleted with its paragraph (not live): nothing there could have been typed after the move.
    const inDeleted = orphan.live === null && (moved.copyOf(origin) !== undefined || (origin === null && sawRightMoved))
    if (!follows && !sawRightMoved && !inDeleted) continue
    if (!orphan.ghost) picked.push(orphan)
    for (let i = 0; i < orphan.text.length; i++) pending.add(keyOf(orphan.id.client, orphan.id.clock + i))
  }
  return picked
}

/** Typing that arrived in `tr` (from the updates: in a paragraph already deleted and collected, only the update still holds it). */
function arrivedOrphans(tr: Y.Transaction, updates: AppliedUpdate[], copies: Set<Y.Item>, deletedByUpdates: (id: Y.ID) => boolean): Orphan[] {
  const candidates: Orphan[] = []
  for (const { structs } of updates) {
    let ownFormat = new Map<string, unknown>()
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue
      if (struct.content instanceof Y.ContentFormat) {
        if (struct.content.value !== null) ownFormat.set(struct.content.key, struct.content.value)
        continue
      }
      const formats = ownFormat
      ownFormat = new Map()
      if (!(struct.content instanceof Y.ContentString) || !createdIn(tr, struct.id)) continue
      const stored = Y.getItem(tr.doc.store, struct.id)
      if (stored instanceof Y.Item && copies.has(stored)) continue
      // A merged update holds a typed word as one string: its characters deleted again are ghosts.
      const { str } = struct.content
      for (let from = 0; from < str.length; ) {
        const ghost = deletedByUpdates(Y.createID(struct.id.client, struct.id.clock + from))
        let to = from + 1
        while (to < str.length && deletedByUpdates(Y.createID(struct.id.client, struct.id.clock + to)) === ghost) to++
        const id = Y.createID(struct.id.client, struct.id.clock + from)
        const item = Y.getItem(tr.doc.store, id)
        const live = item instanceof Y.Item && !item.deleted ? item : null
        const attributes = live ? attributesAt(live) : formats.size > 0 ? Object.fromEntries(formats) : undefined
        const origin = from === 0 ? struct.origin : Y.createID(id.client, id.clock - 1)
        candidates.push({ id, text: str.slice(from, to), origin, rightOrigin: struct.rightOrigin, attributes, live, ghost })
        from = to
      }
    }
  }
  return candidates
}

/** Typing that reached the server before `tr` moved the text around it, read from the texts the move took. */
function earlierOrphans(tr: Y.Transaction, sources: Set<Y.Item>, moved: MovedText, deletedByUpdates: (id: Y.ID) => boolean): Orphan[] {
  const candidates: Orphan[] = []
  for (const text of new Set([...sources].map(parentText))) {
    for (let item = text._start; item; item = item.right) {
      if (!isText(item) || sources.has(item) || createdIn(tr, item.id) || moved.copyOf(item.id)) continue
      // Live, or deleted by `tr` only because its paragraph was; anything else deleted is a ghost.
      const ghost = item.deleted && (!Y.isDeleted(tr.deleteSet, item.id) || deletedByUpdates(item.id))
      candidates.push({ id: item.id, text: (item.content as Y.ContentString).str, origin: item.origin, rightOrigin: item.rightOrigin, attributes: ghost ? undefined : attributesAt(item), live: item.deleted ? null : item, ghost })
    }
  }
  return candidates
}

/** Number of live characters before the character `id` in its text. */
function indexOf(item: Y.Item, id: Y.ID): number {
  let index = 0
  for (let each = parentText(item)._start; each && each !== item; each = each.right) if (each.countable && !each.deleted) index += each.length
  return index + (item.deleted ? 0 : id.clock - item.id.clock)
}

/** The item holding character `id`, or null when it is gone (collected). */
function itemOf(doc: Y.Doc, id: Y.ID): Y.Item | null {
  const struct = Y.getItem(doc.store, id)
  return struct instanceof Y.Item ? struct : null
}

/** Writes an orphan again next to its copy; records it as moved. Returns the characters written. */
function rehome(doc: Y.Doc, orphan: Orphan, moved: MovedText): number {
  const after = moved.copyOf(orphan.origin)
  const copy = after ?? moved.copyOf(orphan.rightOrigin)
  const at = copy ? itemOf(doc, copy) : null
  if (!copy || !at || !(at.parent instanceof Y.XmlText)) return 0
  const index = indexOf(at, copy) + (after && !at.deleted ? 1 : 0)
  const clock = Y.getState(doc.store, doc.clientID)
  parentText(at).insert(index, orphan.text, orphan.attributes)
  // The string item the insert made (format items around it take clocks too).
  const structs = doc.store.clients.get(doc.clientID)!
  let written: Y.ID | null = null
  for (let i = Y.findIndexSS(structs, clock); i < structs.length && !written; i++) {
    const struct = structs[i]
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentString) written = struct.id
  }
  if (!written) return 0
  for (let i = 0; i < orphan.text.length; i++) moved.set(orphan.id.client, orphan.id.clock + i, Y.createID(written.client, written.clock + i))
  if (orphan.live && !orphan.live.deleted) parentText(orphan.live).delete(indexOf(orphan.live, orphan.id), orphan.text.length)
  return orphan.text.length
}

/**
 * Reads a transaction that people's updates (`updates`, decoded) made on the server's copy, and repairs
 * what another person's move left behind (see the top of this file) in a transaction of `origin`. Call it
 * from the Y.Doc's `afterTransaction` for changes from people, never for its own repairs. Cheap when
 * nothing moved: `updates` is not even asked for.
 */
export function followMoves(tr: Y.Transaction, moved: MovedText, origin: unknown, updates: () => AppliedUpdate[]): FollowResult {
  const result: FollowResult = { moved: 0, rehomed: 0 }
  if (moved.size === 0 && tr.deleteSet.clients.size === 0) return result
  let decoded: AppliedUpdate[] | null = null
  const applied = () => (decoded ??= updates())
  const deletedByUpdates = (id: Y.ID) => applied().some(({ ds }) => Y.isDeleted(ds, id))
  const created = createdText(tr)
  const copies = new Set<Y.Item>()
  const before = moved.size
  const sources = recordMoves(tr, created, moved, copies, deletedByUpdates)
  result.moved = moved.size - before
  if (moved.size === 0) return result
  const orphans = [...pickOrphans(earlierOrphans(tr, sources, moved, deletedByUpdates), moved), ...pickOrphans(arrivedOrphans(tr, applied(), copies, deletedByUpdates), moved)]
  if (orphans.length === 0) return result
  tr.doc.transact(() => {
    for (const orphan of orphans) result.rehomed += rehome(tr.doc, orphan, moved)
  }, origin)
  return result
}
