/**
 * The automerge-paper editing trace (bench/data, see its README): its updates as one writer would
 * send them, and a ~16 MB document made of many copies of the whole history.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { ownParagraphText, paragraphTextOf } from './content'

const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TRACE_FILE = path.join(BENCH_DIR, 'data', 'automerge-paper.json.gz')
const CACHE_DIR = path.join(BENCH_DIR, '.cache')

/** Client id of the trace's writer, fixed so that the cached big document stays valid. */
const TRACE_CLIENT = 1_000_001

/** The trace's text in a document: the paragraph its writer created (null if it has none). */
export const traceText = (doc: Y.Doc, client = TRACE_CLIENT): string | null => paragraphTextOf(doc, client)?.toString() ?? null

interface Trace {
  startContent: string
  endContent: string
  txns: Array<{ patches: Array<[number, number, string]> }>
}

let trace: Trace | null = null
export function loadTrace(): Trace {
  trace ??= JSON.parse(gunzipSync(readFileSync(TRACE_FILE)).toString('utf8')) as Trace
  return trace
}

const replays = new Map<number, { updates: Uint8Array[]; state: Uint8Array; text: string }>()

/**
 * The first `limit` patches (all by default) replayed each as its own transaction on the XmlText of
 * one paragraph of the content fragment (the trace's plain-text positions are positions in that
 * text; the paragraph is created with the first patch): one Yjs update per patch, the resulting
 * state, and the text it produces.
 */
export function traceUpdates(limit = Infinity): { updates: Uint8Array[]; state: Uint8Array; text: string } {
  const cached = replays.get(limit)
  if (cached) return cached
  const t = loadTrace()
  const doc = new Y.Doc()
  doc.clientID = TRACE_CLIENT
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  let text: Y.XmlText | null = null
  if (t.startContent) doc.transact(() => (text = ownParagraphText(doc)).insert(0, t.startContent))
  replay: for (const txn of t.txns) {
    for (const [pos, del, ins] of txn.patches) {
      if (updates.length >= limit) break replay
      doc.transact(() => {
        text ??= ownParagraphText(doc)
        if (del > 0) text.delete(pos, del)
        if (ins) text.insert(pos, ins)
      })
    }
  }
  const result = { updates, state: Y.encodeStateAsUpdate(doc), text: traceText(doc) ?? '' }
  doc.destroy()
  if (limit === Infinity && result.text !== t.endContent) throw new Error('trace replay does not reach endContent')
  replays.set(limit, result)
  return result
}

/** Client id of the writer of field `f` of the big document. */
export const bigFieldClient = (f: number) => TRACE_CLIENT + 1 + f

/**
 * A document of `fields` paragraphs, each holding the whole trace history as written by its own
 * client (~267 kB each; field f's text is `traceText(doc, bigFieldClient(f))`). Built by rewriting the
 * client id of the one replayed state (Yjs update format v1) instead of replaying the trace `fields`
 * times; cached in bench/.cache.
 */
export function bigDocument(fields: number): Uint8Array {
  const file = path.join(CACHE_DIR, `big-${fields}x-v2-paragraphs.bin`)
  if (existsSync(file)) return new Uint8Array(readFileSync(file))
  const { state } = traceUpdates()
  const parts: Uint8Array[] = []
  for (let f = 0; f < fields; f++) parts.push(rewriteUpdate(state, TRACE_CLIENT, bigFieldClient(f)))
  const update = Y.mergeUpdates(parts)
  // Check the first and last field once before caching.
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  const end = loadTrace().endContent
  for (const f of [0, fields - 1]) if (traceText(doc, bigFieldClient(f)) !== end) throw new Error(`big document field ${f} is wrong`)
  doc.destroy()
  mkdirSync(CACHE_DIR, { recursive: true })
  writeFileSync(`${file}.tmp`, update)
  renameSync(`${file}.tmp`, file)
  return update
}

/**
 * Re-encodes a v1 update with client `from` renamed to `to`. Handles the struct kinds a paragraph's
 * text history contains (GC, Skip, items with deleted or string content, the paragraph element and
 * its XmlText); anything else throws.
 */
export function rewriteUpdate(update: Uint8Array, from: number, to: number): Uint8Array {
  const d = decoding.createDecoder(update)
  const e = encoding.createEncoder()
  const client = (c: number) => (c === from ? to : c)
  const copyId = () => {
    encoding.writeVarUint(e, client(decoding.readVarUint(d)))
    encoding.writeVarUint(e, decoding.readVarUint(d))
  }
  const clients = decoding.readVarUint(d)
  encoding.writeVarUint(e, clients)
  for (let i = 0; i < clients; i++) {
    const structs = decoding.readVarUint(d)
    encoding.writeVarUint(e, structs)
    encoding.writeVarUint(e, client(decoding.readVarUint(d)))
    encoding.writeVarUint(e, decoding.readVarUint(d)) // first clock
    for (let s = 0; s < structs; s++) {
      const info = decoding.readUint8(d)
      encoding.writeUint8(e, info)
      const kind = info & 0b11111
      if (kind === 0 || kind === 10) {
        encoding.writeVarUint(e, decoding.readVarUint(d)) // GC / Skip length
        continue
      }
      if (info & 0b1000_0000) copyId() // origin
      if (info & 0b0100_0000) copyId() // right origin
      if ((info & 0b1100_0000) === 0) {
        const isKey = decoding.readVarUint(d) === 1
        encoding.writeVarUint(e, isKey ? 1 : 0)
        if (isKey) encoding.writeVarString(e, decoding.readVarString(d))
        else copyId()
        if (info & 0b0010_0000) encoding.writeVarString(e, decoding.readVarString(d)) // parentSub
      }
      if (kind === 1) encoding.writeVarUint(e, decoding.readVarUint(d)) // ContentDeleted length
      else if (kind === 4) encoding.writeVarString(e, decoding.readVarString(d)) // ContentString
      else if (kind === 7) {
        // ContentType: type ref, then an XmlElement's node name (an XmlText has nothing more)
        const typeRef = decoding.readVarUint(d)
        encoding.writeVarUint(e, typeRef)
        if (typeRef === 3) encoding.writeVarString(e, decoding.readVarString(d))
        else if (typeRef !== 6) throw new Error(`rewriteUpdate: unsupported type ref ${typeRef}`)
      }
      else throw new Error(`rewriteUpdate: unsupported content kind ${kind}`)
    }
  }
  const dsClients = decoding.readVarUint(d)
  encoding.writeVarUint(e, dsClients)
  for (let i = 0; i < dsClients; i++) {
    encoding.writeVarUint(e, client(decoding.readVarUint(d)))
    const ranges = decoding.readVarUint(d)
    encoding.writeVarUint(e, ranges)
    for (let r = 0; r < ranges * 2; r++) encoding.writeVarUint(e, decoding.readVarUint(d))
  }
  return encoding.toUint8Array(e)
}
