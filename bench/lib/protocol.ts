/**
 * The two wire dialects the load generator speaks, without a Y.Doc on the hot path.
 *
 * - 'yws': the y-websocket protocol (Huigao and the reference server): one document per socket,
 *   frames are `[type][...]` with type 0 = sync (step 1 / step 2 / update), 1 = awareness.
 * - 'hocuspocus': the same messages, each prefixed with the document name (varString), plus an
 *   auth handshake (type 2: token + provider version) before anything else is processed, and the
 *   server's extra types 4 (sync reply), 7 (close), 8 (sync status ack).
 *
 * Writers' updates insert a marker `~<writer>.<seq>;` (base 36) into their own paragraph (lib/content.ts); observers
 * find markers by scanning the update bytes (Yjs v1 stores inserted strings as plain UTF-8), so
 * measuring costs a byte scan instead of applying every update to a Y.Doc.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

export type Dialect = 'yws' | 'hocuspocus'

export const HOCUSPOCUS_PROVIDER_VERSION = '4.7.0'

const SYNC = 0
const AWARENESS = 1
const AUTH = 2
const SYNC_REPLY = 4
const CLOSE = 7
const SYNC_STATUS = 8

function frame(dialect: Dialect, docName: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  if (dialect === 'hocuspocus') encoding.writeVarString(e, docName)
  write(e)
  return encoding.toUint8Array(e)
}

const sync = (dialect: Dialect, docName: string, step: number, payload: Uint8Array) =>
  frame(dialect, docName, (e) => {
    encoding.writeVarUint(e, SYNC)
    encoding.writeVarUint(e, step)
    encoding.writeVarUint8Array(e, payload)
  })

export const encodeSyncStep1 = (d: Dialect, name: string, stateVector: Uint8Array) => sync(d, name, 0, stateVector)
export const encodeSyncStep2 = (d: Dialect, name: string, update: Uint8Array) => sync(d, name, 1, update)
export const encodeUpdate = (d: Dialect, name: string, update: Uint8Array) => sync(d, name, 2, update)

/** Hocuspocus' first message on a document: an (empty) token and the provider version. */
export const encodeHocuspocusAuth = (name: string, token = '') =>
  frame('hocuspocus', name, (e) => {
    encoding.writeVarUint(e, AUTH)
    encoding.writeVarUint(e, 0)
    encoding.writeVarString(e, token)
    encoding.writeVarString(e, HOCUSPOCUS_PROVIDER_VERSION)
  })

/** An awareness update for one client, in y-protocols' encoding (`encodeAwarenessUpdate`). */
export const encodeAwareness = (d: Dialect, name: string, clientId: number, clock: number, state: unknown) =>
  frame(d, name, (e) => {
    const inner = encoding.createEncoder()
    encoding.writeVarUint(inner, 1)
    encoding.writeVarUint(inner, clientId)
    encoding.writeVarUint(inner, clock)
    encoding.writeVarString(inner, JSON.stringify(state))
    encoding.writeVarUint(e, AWARENESS)
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  })

export type Incoming =
  | { kind: 'step1'; payload: Uint8Array }
  | { kind: 'step2' | 'update'; payload: Uint8Array }
  | { kind: 'awareness' }
  | { kind: 'authenticated' | 'denied' | 'status' | 'close' | 'other' }

/** Parses a server frame; payloads are views into `data` (no copy). */
export function decodeIncoming(dialect: Dialect, data: Uint8Array): Incoming {
  const d = decoding.createDecoder(data)
  if (dialect === 'hocuspocus') decoding.readVarString(d)
  const type = decoding.readVarUint(d)
  if (type === SYNC || (dialect === 'hocuspocus' && type === SYNC_REPLY)) {
    const step = decoding.readVarUint(d)
    const payload = decoding.readVarUint8Array(d)
    return { kind: step === 0 ? 'step1' : step === 1 ? 'step2' : 'update', payload }
  }
  if (type === AWARENESS) return { kind: 'awareness' }
  if (dialect === 'hocuspocus') {
    if (type === AUTH) return { kind: decoding.readVarUint(d) === 2 ? 'authenticated' : 'denied' }
    if (type === SYNC_STATUS) return { kind: 'status' }
    if (type === CLOSE) return { kind: 'close' }
  }
  return { kind: 'other' }
}

/** The empty Yjs update (no structs, empty delete set) and the empty state vector. */
export const EMPTY_UPDATE = new Uint8Array([0, 0])
export const EMPTY_STATE_VECTOR = new Uint8Array([0])

export const marker = (writer: number, seq: number) => `~${writer.toString(36)}.${seq.toString(36)};`

const TILDE = 0x7e
const DOT = 0x2e
const SEMI = 0x3b

function digit36(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30
  if (byte >= 0x61 && byte <= 0x7a) return byte - 0x61 + 10
  return -1
}

/** Calls `found(writer, seq)` for every marker in `bytes`; returns how many it found. */
export function scanMarkers(bytes: Uint8Array, found: (writer: number, seq: number) => void): number {
  let count = 0
  const n = bytes.length
  for (let i = bytes.indexOf(TILDE); i !== -1 && i < n; i = bytes.indexOf(TILDE, i + 1)) {
    let j = i + 1
    let writer = 0
    let digits = 0
    for (let v: number; j < n && (v = digit36(bytes[j])) >= 0; j++, digits++) writer = writer * 36 + v
    if (digits === 0 || j >= n || bytes[j] !== DOT) continue
    j++
    let seq = 0
    digits = 0
    for (let v: number; j < n && (v = digit36(bytes[j])) >= 0; j++, digits++) seq = seq * 36 + v
    if (digits === 0 || j >= n || bytes[j] !== SEMI) continue
    found(writer, seq)
    count++
    i = j
  }
  return count
}

/** Markers in a string (the final text of a full client). */
export function markersIn(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (const m of text.matchAll(/~([0-9a-z]+)\.([0-9a-z]+);/g)) out.push([parseInt(m[1], 36), parseInt(m[2], 36)])
  return out
}
