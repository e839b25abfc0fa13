import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { varUintBytes } from './protocol'

/**
 * What one read of a received update's bytes tells, against the document it is about to be applied
 * to, for the common case of typing: a few string items in existing texts and deletions of text.
 *  - `missing`: exactly hasMissingDependencies (dependencies.ts);
 *  - `wholeNew`: every struct follows on what the document (or the update before it) has of its
 *    client: nothing in it is already in the document, so once applied the update is exactly the
 *    change, and can be logged and relayed as received instead of re-encoded (CollabDocument);
 *  - `plainText`: every item is a string in an existing text (Y.XmlText inside the content, reached
 *    through its neighbours or named parent, with no map key), and every item it deletes is a piece of
 *    such a text that is not an embedded type. The update rules (documents/UpdateRules.ts) allow such
 *    an update from anyone: nothing in it can be a node, an attribute, a mark, a thread or a title.
 * Null when the update holds anything else (other content, GC or skip structs, more than
 * MAX_STRUCTS structs) or does not parse: the full checks decide then. Allocates nothing per struct
 * but the strings Yjs itself would decode, so that a keystroke costs a read of its bytes.
 */
export interface UpdateScan {
  missing: boolean
  wholeNew: boolean
  plainText: boolean
}

/** Past this many structs (a paste, a sync step 2) the full checks are cheap next to applying. */
const MAX_STRUCTS = 32
const BIT6 = 32
const BIT7 = 64
const BIT8 = 128
const BITS5 = 31
const CONTENT_STRING = 4

// Per-call scratch space, reused: the scan runs synchronously and never re-enters.
const clients = new Float64Array(MAX_STRUCTS)
const clocks = new Float64Array(MAX_STRUCTS)
const lengths = new Float64Array(MAX_STRUCTS)
/** Per struct: 1 when its parent is known to be an existing text with no key (see plainText). */
const inText = new Uint8Array(MAX_STRUCTS)
/** Per struct, the ids it refers to: origin, right origin, parent (client, clock; client -1 = none). */
const refs = new Float64Array(MAX_STRUCTS * 6)

/** Which of the update's own structs holds (client, clock), or -1. */
function ownStruct(count: number, client: number, clock: number): number {
  for (let i = 0; i < count; i++) if (clients[i] === client && clock >= clocks[i] && clock < clocks[i] + lengths[i]) return i
  return -1
}

/** What the document plus the update's first `count` structs have of `client`. */
function knownOf(store: Y.Doc['store'], count: number, client: number): number {
  let known = Y.getState(store, client)
  for (let i = 0; i < count; i++) if (clients[i] === client && clocks[i] + lengths[i] > known) known = clocks[i] + lengths[i]
  return known
}

/** Whether an existing struct's item sits directly in a text of the content, under no key. */
function existingInText(store: Y.Doc['store'], client: number, clock: number): boolean {
  const struct = Y.getItem(store, Y.createID(client, clock))
  if (!(struct instanceof Y.Item) || struct.parentSub !== null) return false
  const parent = struct.parent
  return parent instanceof Y.XmlText && parent._item !== null
}

/** Whether an existing item is the one type of a text's parent: a Y.XmlText inside the content. */
function existingText(store: Y.Doc['store'], client: number, clock: number): boolean {
  const struct = Y.getItem(store, Y.createID(client, clock))
  return struct instanceof Y.Item && struct.content instanceof Y.ContentType && struct.content.type instanceof Y.XmlText && struct.parent !== null
}

/** UTF-16 length of the next var-string, read past it. */
function readStringLength(decoder: decoding.Decoder): number {
  const bytes = decoding.readVarUint(decoder)
  const start = decoder.pos
  const end = start + bytes
  if (end > decoder.arr.length) throw new Error('unexpected end of array')
  const arr = decoder.arr
  let ascii = true
  for (let i = start; i < end; i++) {
    if (arr[i] >= 0x80) {
      ascii = false
      break
    }
  }
  if (ascii) {
    decoder.pos = end
    return bytes
  }
  decoder.pos = start - varUintBytes(bytes)
  return decoding.readVarString(decoder).length
}


export function scanUpdate(ydoc: Y.Doc, update: Uint8Array): UpdateScan | null {
  try {
    return scan(ydoc, update)
  } catch {
    return null
  }
}

function scan(ydoc: Y.Doc, update: Uint8Array): UpdateScan | null {
  const store = ydoc.store
  const decoder = decoding.createDecoder(update)
  let count = 0
  let missing = false
  let wholeNew = true
  let plainText = true
  const clientCount = decoding.readVarUint(decoder)
  for (let c = 0; c < clientCount; c++) {
    const structCount = decoding.readVarUint(decoder)
    const client = decoding.readVarUint(decoder)
    let clock = decoding.readVarUint(decoder)
    if (count + structCount > MAX_STRUCTS) return null
    for (let s = 0; s < structCount; s++) {
      const info = decoding.readUint8(decoder)
      if ((info & BITS5) !== CONTENT_STRING) return null
      const r = count * 6
      refs[r] = refs[r + 2] = refs[r + 4] = -1
      if (info & BIT8) {
        refs[r] = decoding.readVarUint(decoder)
        refs[r + 1] = decoding.readVarUint(decoder)
      }
      if (info & BIT7) {
        refs[r + 2] = decoding.readVarUint(decoder)
        refs[r + 3] = decoding.readVarUint(decoder)
      }
      inText[count] = 1
      if ((info & (BIT7 | BIT8)) === 0) {
        if (decoding.readVarUint(decoder) === 1) {
          // A root type's name: a string at the top of a root is never plain text of the content.
          decoding.readVarString(decoder)
          inText[count] = 0
        } else {
          refs[r + 4] = decoding.readVarUint(decoder)
          refs[r + 5] = decoding.readVarUint(decoder)
        }
        if (info & BIT6) {
          decoding.readVarString(decoder)
          inText[count] = 0
        }
      }
      const length = readStringLength(decoder)
      // As dependencies.ts: each struct must follow on what is known of its client so far.
      const have = knownOf(store, count, client)
      if (clock > have) missing = true
      if (clock !== have) wholeNew = false
      clients[count] = client
      clocks[count] = clock
      lengths[count] = length
      count++
      clock += length
    }
  }
  // Every id an item refers to must be in the document or in the update.
  for (let i = 0; i < count && !missing; i++) {
    for (let k = 0; k < 6; k += 2) {
      const client = refs[i * 6 + k]
      if (client !== -1 && refs[i * 6 + k + 1] >= knownOf(store, count, client)) missing = true
    }
  }
  // The delete set: ranges of one client each, which must be known too.
  const deleteClients = decoding.readVarUint(decoder)
  const deletions: number[] = []
  for (let c = 0; c < deleteClients; c++) {
    const client = decoding.readVarUint(decoder)
    const ranges = decoding.readVarUint(decoder)
    for (let d = 0; d < ranges; d++) {
      const clock = decoding.readVarUint(decoder)
      const len = decoding.readVarUint(decoder)
      if (clock + len > knownOf(store, count, client)) missing = true
      deletions.push(client, clock, len)
    }
  }
  if (missing) return { missing, wholeNew: false, plainText: false }
  if (store.pendingStructs !== null || store.pendingDs !== null) wholeNew = false
  if (!wholeNew) return { missing, wholeNew, plainText: false }
  // Where each new item goes, the way Yjs (and updateItems.ts) resolve it: its origin's parent, else
  // its right origin's, else the parent it names.
  for (let i = 0; i < count && plainText; i++) {
    if (!inText[i]) {
      plainText = false
      break
    }
    const r = i * 6
    const k = refs[r] !== -1 ? 0 : refs[r + 2] !== -1 ? 2 : 4
    const client = refs[r + k]
    const clock = refs[r + k + 1]
    const own = ownStruct(count, client, clock)
    if (k === 4) plainText = own === -1 && existingText(store, client, clock)
    else plainText = own !== -1 ? own < i && inText[own] === 1 : existingInText(store, client, clock)
    if (!plainText) inText[i] = 0
  }
  // What it deletes of the document (as UpdateItems.deletedItems): pieces of texts, no embedded types.
  for (let d = 0; d < deletions.length && plainText; d += 3) {
    const structs = store.clients.get(deletions[d])
    if (!structs) continue
    const end = Math.min(deletions[d + 1] + deletions[d + 2], Y.getState(store, deletions[d]))
    if (deletions[d + 1] >= end) continue
    for (let index = Y.findIndexSS(structs, deletions[d + 1]); index < structs.length && structs[index].id.clock < end; index++) {
      const struct = structs[index]
      if (!(struct instanceof Y.Item) || struct.deleted) continue
      if (struct.content instanceof Y.ContentType || !(struct.parent instanceof Y.XmlText)) {
        plainText = false
        break
      }
    }
  }
  return { missing, wholeNew, plainText }
}
