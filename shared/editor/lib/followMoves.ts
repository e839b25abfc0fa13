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
 * Typing by the mover itself is never taken along (it saw its own move; typed before the move and sent in
 * the same batch, its right neighbour was moved only afterwards), nor, in a paragraph that stays, typing
 * the server had before the move unless it lies inside the moved text (the mover would have moved it).
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
/** Whether the text holding `item` is deleted (its paragraph was). */
const textDeleted = (item: Y.Item): boolean => parentText(item)._item?.deleted === true

/** Characters of deleted text a walk along a list passes at most between two it looks for (a long paragraph with much deleted text). */
const MAX_STEPS = 256

/** Whether `a` comes before `b` in their (one) list: -1, or 1 (also when `b` is further than a walk goes). */
function listOrder(a: Y.Item, b: Y.Item): number {
  let steps = 0
  for (let item = a.right; item && steps < 16 * MAX_STEPS; item = item.right, steps++) if (item === b) return -1
  return 1
}

/**
 * Runs of consecutive member items (one text's), found from the members outwards: a long paragraph's list
 * is not walked for a keystroke. A live character outside the set ends a run; deleted ones do not, up to
 * MAX_STEPS of them (past that the run is cut in two, which at worst leaves a move unrecorded).
 */
function runsOf(members: ReadonlySet<Y.Item>): Y.Item[][] {
  const runs: Y.Item[][] = []
  const seen = new Set<Y.Item>()
  const ends = (item: Y.Item) => item.countable && !item.deleted && !members.has(item)
  for (const member of members) {
    if (seen.has(member)) continue
    let first = member
    for (let left = member.left, steps = 0; left && !ends(left) && steps < MAX_STEPS; left = left.left, steps++) {
      if (members.has(left)) {
        first = left
        steps = 0
      }
    }
    const run: Y.Item[] = []
    for (let item: Y.Item | null = first, steps = 0; item && !ends(item) && steps < MAX_STEPS && seen.size < members.size; item = item.right, steps++) {
      if (!members.has(item) || seen.has(item)) continue
      run.push(item)
      seen.add(item)
      steps = 0
    }
    if (run.length > 0) runs.push(run)
    else seen.add(member)
  }
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

/** What text a transaction created, as Yjs holds it after the transaction (content still readable). */
interface Created {
  /** Live text items. */
  items: Y.Item[]
  /** Text items deleted again in a paragraph that is still there (only their own writer deletes them there). */
  ghosts: Y.Item[]
  /** Whether some text arrived in a deleted paragraph or was collected on arrival: only the updates tell about it. */
  dead: boolean
}

function createdText(tr: Y.Transaction): Created {
  const created: Created = { items: [], ghosts: [], dead: false }
  tr.afterState.forEach((after, client) => {
    const before = tr.beforeState.get(client) ?? 0
    if (after <= before) return
    const structs = tr.doc.store.clients.get(client)!
    for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i].id.clock < after; i++) {
      const struct = structs[i]
      if (!(struct instanceof Y.Item)) created.dead = true
      else if (!isText(struct)) continue
      else if (!struct.deleted) created.items.push(struct)
      else if (!textDeleted(struct)) created.ghosts.push(struct)
      else created.dead = true
    }
  })
  return created
}

/**
 * Records the moves of `tr`: each run of text its updates deleted whose string it inserted elsewhere.
 * Returns the moved originals, and the items found between two runs of one move (typing the mover did
 * not know cuts a moved run in two, both copied into one run); adds the copies' items to `copies`.
 */
function recordMoves(tr: Y.Transaction, created: Y.Item[], moved: MovedText, copies: Set<Y.Item>, deletedByUpdates: (id: Y.ID) => boolean): { sources: Set<Y.Item>; inside: Y.Item[]; characters: number } {
  const sources = new Set<Y.Item>()
  const inside: Y.Item[] = []
  let characters = 0
  if (created.length === 0) return { sources, inside, characters }
  const deleted: Y.Item[] = []
  // Only what the updates deleted themselves: typing they did not know, deleted with its paragraph, did not
  // move. In a paragraph that is still there, nothing else deletes a character.
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (struct instanceof Y.Item && isText(struct) && !createdIn(tr, struct.id) && (!textDeleted(struct) || deletedByUpdates(struct.id))) deleted.push(struct)
  })
  if (deleted.length === 0) return { sources, inside, characters }
  const insertedRuns = [...groupByParent(created).values()].flatMap((members) => runsOf(members)).map((run) => ({ run, text: runString(run), ids: null as Y.ID[] | null, from: 0, last: null as Y.Item | null }))
  for (const members of groupByParent(deleted).values()) {
    for (const run of runsOf(members).sort((a, b) => listOrder(a[0], b[0]))) {
      const wanted = runString(run)
      const target = insertedRuns.find((candidate) => candidate.text.indexOf(wanted, candidate.from) >= 0)
      if (!target) continue
      const offset = target.text.indexOf(wanted, target.from)
      // Copied right after the run before it: what lies between the two in the list is inside the moved text.
      if (target.last && offset === target.from) {
        for (let item = target.last.right, steps = 0; item && item !== run[0] && steps < MAX_STEPS; item = item.right, steps++) if (isText(item)) inside.push(item)
      }
      target.from = offset + wanted.length
      target.last = run[run.length - 1]
      const ids = (target.ids ??= [...idsOf(target.run)])
      let i = offset
      for (const id of idsOf(run)) moved.set(id.client, id.clock, ids[i++])
      characters += wanted.length
      run.forEach((item) => sources.add(item))
      target.run.forEach((item) => copies.add(item))
    }
  }
  return { sources, inside, characters }
}

/** Typing to write again: its text, where it goes, its formatting, and the item left behind (to delete) if live. */
interface Orphan {
  id: Y.ID
  text: string
  origin: Y.ID | null
  rightOrigin: Y.ID | null
  /** Its own formatting; undefined: the formatting at its new place, as typing there gets. Read once picked. */
  attributes: Record<string, unknown> | undefined
  /** The item whose formatting it has, when Yjs still holds it (read once picked: a paragraph's list is walked for it). */
  formatOf: Y.Item | null
  /** The item where Yjs put it, when that is live (after a split): removed there. */
  live: Y.Item | null
  /** Whether it sits in a deleted paragraph (typed there, or deleted with it). */
  inDeletedText: boolean
  /** Deleted by the person who typed it: not written again, but the rest of the word typed after it follows. */
  ghost: boolean
}

/** Formatting of a live item, or of one deleted in `tr` with its whole paragraph (read before collection). */
function attributesAt(item: Y.Item): Record<string, unknown> {
  const attributes = new Map<string, unknown>()
  const wholeTextDeleted = textDeleted(item)
  for (let each = parentText(item)._start; each && each !== item; each = each.right) {
    if (!(each.content instanceof Y.ContentFormat) || (each.deleted && !wholeTextDeleted)) continue
    if (each.content.value === null) attributes.delete(each.content.key)
    else attributes.set(each.content.key, each.content.value)
  }
  return Object.fromEntries(attributes)
}

/**
 * Typing that belongs with moved text, from `candidates` in typing order (the update's, or list order):
 * typing whose right neighbour had moved, typing inside a deleted paragraph next to moved text, and the
 * rest of a word whose first character is picked.
 */
function pickOrphans(candidates: Orphan[], moved: MovedText): Orphan[] {
  const picked: Orphan[] = []
  const pending = new Set<CharKey>()
  // The mover is the client that wrote the copy: its own typing it saw, whenever it reaches the server
  // (typed before its move and sent with it, a right neighbour it then moved is no sign of anything).
  const byOther = (orphan: Orphan, copy: Y.ID | undefined) => copy !== undefined && copy.client !== orphan.id.client
  for (const orphan of candidates) {
    const { origin, rightOrigin } = orphan
    const follows = origin !== null && pending.has(keyOf(origin.client, origin.clock))
    const rightCopy = moved.copyOf(rightOrigin)
    const sawRightMoved = byOther(orphan, rightCopy)
    // Deleted with its paragraph (not live): nothing there could have been typed after the move.
    const inDeleted = orphan.inDeletedText && (byOther(orphan, moved.copyOf(origin)) || (origin === null && sawRightMoved))
    if (!follows && !sawRightMoved && !inDeleted) continue
    if (!orphan.ghost) picked.push(orphan)
    for (let i = 0; i < orphan.text.length; i++) pending.add(keyOf(orphan.id.client, orphan.id.clock + i))
  }
  return picked
}

/**
 * Typing that arrived in `tr`, in typing order: live, from Yjs; typed into a paragraph already deleted (and
 * collected: only the update still holds its text) or deleted again, from the updates themselves.
 */
function arrivedOrphans(tr: Y.Transaction, created: Created, applied: () => AppliedUpdate[], copies: Set<Y.Item>, moved: MovedText, deletedByUpdates: (id: Y.ID) => boolean): Orphan[] {
  const anchored = (item: Y.Item) => moved.copyOf(item.rightOrigin) !== undefined || moved.copyOf(item.origin) !== undefined
  // The common case, typing nowhere near moved text: nothing is built.
  if (!created.dead && !created.items.some(anchored) && !created.ghosts.some(anchored)) return []
  const candidates: Orphan[] = []
  const fromStore = (item: Y.Item, ghost: boolean): Orphan => ({
    id: item.id,
    text: (item.content as Y.ContentString).str,
    origin: item.origin,
    rightOrigin: item.rightOrigin,
    attributes: undefined,
    formatOf: item,
    live: ghost ? null : item,
    inDeletedText: false,
    ghost,
  })
  for (const item of created.items) if (!copies.has(item)) candidates.push(fromStore(item, false))
  for (const item of created.ghosts) candidates.push(fromStore(item, true))
  if (created.dead) {
    for (const { structs } of applied()) {
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
        // A merged update holds a typed word as one string: its characters deleted again are ghosts.
        const { str } = struct.content
        for (let from = 0; from < str.length; ) {
          const id = Y.createID(struct.id.client, struct.id.clock + from)
          const ghost = deletedByUpdates(id)
          let to = from + 1
          while (to < str.length && deletedByUpdates(Y.createID(struct.id.client, struct.id.clock + to)) === ghost) to++
          const stored = Y.getItem(tr.doc.store, id)
          // Typed into a deleted paragraph, or collected on arrival (its paragraph was collected before).
          if (!(stored instanceof Y.Item) || (stored.deleted && textDeleted(stored))) {
            const origin = from === 0 ? struct.origin : Y.createID(id.client, id.clock - 1)
            const formatOf = stored instanceof Y.Item ? stored : null
            candidates.push({ id, text: str.slice(from, to), origin, rightOrigin: struct.rightOrigin, attributes: formats.size > 0 ? Object.fromEntries(formats) : undefined, formatOf, live: null, inDeletedText: true, ghost })
          }
          from = to
        }
      }
    }
  }
  return candidates.sort((a, b) => a.id.client - b.id.client || a.id.clock - b.id.clock)
}

/**
 * Typing that reached the server before `tr` moved the text around it, which the mover had not seen: in a
 * paragraph the move deleted, whatever it did not move or delete itself; elsewhere, what lies inside a moved run.
 */
function earlierOrphans(tr: Y.Transaction, sources: Set<Y.Item>, inside: Y.Item[], moved: MovedText, deletedByUpdates: (id: Y.ID) => boolean): Orphan[] {
  const items: Y.Item[] = [...inside]
  for (const text of new Set([...sources].map(parentText))) {
    if (text._item?.deleted !== true) continue
    for (let item = text._start; item; item = item.right) if (isText(item)) items.push(item)
  }
  const candidates: Orphan[] = []
  for (const item of items) {
    if (sources.has(item) || createdIn(tr, item.id) || moved.copyOf(item.id)) continue
    // Live, or deleted by `tr` only because its paragraph was; anything else deleted is a ghost.
    const ghost = item.deleted && (!Y.isDeleted(tr.deleteSet, item.id) || deletedByUpdates(item.id))
    candidates.push({ id: item.id, text: (item.content as Y.ContentString).str, origin: item.origin, rightOrigin: item.rightOrigin, attributes: undefined, formatOf: item, live: item.deleted ? null : item, inDeletedText: textDeleted(item), ghost })
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
  // Plain typing before anything has moved: no move to record, nothing to take along (every keystroke here).
  if (moved.size === 0 && tr.deleteSet.clients.size === 0) return result
  const created = createdText(tr)
  // No text typed: nothing moved, nothing to take along.
  if (created.items.length === 0 && !created.dead) return result
  let decoded: AppliedUpdate[] | null = null
  // Decoded only for what Yjs no longer tells: what the updates deleted themselves, text typed into collected paragraphs.
  const applied = () => (decoded ??= updates())
  const deletedByUpdates = (id: Y.ID) => applied().some(({ ds }) => Y.isDeleted(ds, id))
  const copies = new Set<Y.Item>()
  const { sources, inside, characters } = recordMoves(tr, created.items, moved, copies, deletedByUpdates)
  result.moved = characters
  if (moved.size === 0) return result
  const orphans = [
    ...pickOrphans(earlierOrphans(tr, sources, inside, moved, deletedByUpdates), moved),
    ...pickOrphans(arrivedOrphans(tr, created, applied, copies, moved, deletedByUpdates), moved),
  ]
  if (orphans.length === 0) return result
  // Formatting is read before the repair: its transaction may collect what was deleted.
  for (const orphan of orphans) if (orphan.formatOf) orphan.attributes = attributesAt(orphan.formatOf)
  tr.doc.transact(() => {
    for (const orphan of orphans) result.rehomed += rehome(tr.doc, orphan, moved)
  }, origin)
  return result
}
