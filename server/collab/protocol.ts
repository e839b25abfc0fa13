import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'

/** Top-level message types of the y-websocket protocol. */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
} as const

/**
 * Whether a message is a sync update (Sync, messageYjsUpdate), read from its first two bytes without
 * decoding it: both types are below 128, so each is one varuint byte. Connection applies the updates
 * of one socket read in one transaction.
 */
export const isSyncUpdate = (data: Uint8Array): boolean =>
  data.length > 2 && data[0] === MessageType.Sync && data[1] === syncProtocol.messageYjsUpdate

/** A message that does not follow the protocol; the connection that sent it is closed. */
export class ProtocolError extends Error {
  override name = 'ProtocolError'
}

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

export const encodeSyncStep1 = (ydoc: Y.Doc) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    syncProtocol.writeSyncStep1(e, ydoc)
  })

export const encodeSyncStep2 = (ydoc: Y.Doc, stateVector?: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    syncProtocol.writeSyncStep2(e, ydoc, stateVector)
  })

/** A SyncStep2 carrying an update encoded elsewhere (see initialSync.ts). */
export const encodeSyncStep2Update = (update: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2)
    encoding.writeVarUint8Array(e, update)
  })

/**
 * A sync message (SyncStep2 or update) whose update is given in pieces (concatenated, they form one
 * update), built with a single allocation: for a big document, lib0's encoder would copy it twice.
 */
function encodeSyncFromParts(step: number, parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.length, 0)
  const header = message((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    encoding.writeVarUint(e, step)
    encoding.writeVarUint(e, length)
  })
  return Buffer.concat([header, ...parts], header.length + length)
}

export const encodeUpdateFromParts = (parts: readonly Uint8Array[]) => encodeSyncFromParts(syncProtocol.messageYjsUpdate, parts)
export const encodeSyncStep2FromParts = (parts: readonly Uint8Array[]) => encodeSyncFromParts(syncProtocol.messageYjsSyncStep2, parts)

export const encodeUpdate = (update: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    syncProtocol.writeUpdate(e, update)
  })

/**
 * An awareness message with the states of `clients`: the bytes of y-protocols' encodeAwarenessUpdate
 * inside the message, written straight into one buffer of the right size (the stock route builds the
 * update in one encoder and copies it into another, for every caret move of everyone).
 */
export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const json: string[] = []
  const clocks: number[] = []
  const bytes: number[] = []
  let inner = varUintBytes(clients.length)
  for (let i = 0; i < clients.length; i++) {
    json.push(JSON.stringify(awareness.states.get(clients[i]) || null))
    clocks.push(awareness.meta.get(clients[i])!.clock)
    bytes.push(Buffer.byteLength(json[i]))
    inner += varUintBytes(clients[i]) + varUintBytes(clocks[i]) + varUintBytes(bytes[i]) + bytes[i]
  }
  const out = Buffer.allocUnsafe(varUintBytes(MessageType.Awareness) + varUintBytes(inner) + inner)
  let at = writeVarUint(out, 0, MessageType.Awareness)
  at = writeVarUint(out, at, inner)
  at = writeVarUint(out, at, clients.length)
  for (let i = 0; i < clients.length; i++) {
    at = writeVarUint(out, at, clients[i])
    at = writeVarUint(out, at, clocks[i])
    at = writeVarUint(out, at, bytes[i])
    at += out.write(json[i], at, 'utf8')
  }
  return out
}

/** Bytes of lib0's var-uint encoding of a non-negative integer. */
export function varUintBytes(n: number): number {
  let bytes = 1
  while (n > 0x7f) {
    n = Math.floor(n / 128)
    bytes++
  }
  return bytes
}

function writeVarUint(out: Uint8Array, at: number, n: number): number {
  while (n > 0x7f) {
    out[at++] = 0x80 | (n & 0x7f)
    n = Math.floor(n / 128)
  }
  out[at++] = n
  return at
}

/** Tells a y-websocket client that it may not do what it tried (it emits a 'permission-denied'). */
export const encodePermissionDenied = (reason: string) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.Auth)
    encoding.writeVarUint(e, 0)
    encoding.writeVarString(e, reason)
  })

export type IncomingMessage =
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  | { type: 'update'; update: Uint8Array; step: 'sync-step-2' | 'update' }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'auth' }

/** Parses one binary frame; throws ProtocolError on anything malformed. */
export function decodeMessage(data: Uint8Array): IncomingMessage {
  try {
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.Sync: {
        const step = decoding.readVarUint(decoder)
        const payload = decoding.readVarUint8Array(decoder)
        if (step === syncProtocol.messageYjsSyncStep1) return { type: 'sync-step-1', stateVector: payload }
        if (step === syncProtocol.messageYjsSyncStep2) return { type: 'update', update: payload, step: 'sync-step-2' }
        if (step === syncProtocol.messageYjsUpdate) return { type: 'update', update: payload, step: 'update' }
        throw new ProtocolError(`unknown sync step ${step}`)
      }
      case MessageType.Awareness:
        return { type: 'awareness', update: decoding.readVarUint8Array(decoder) }
      case MessageType.QueryAwareness:
        return { type: 'query-awareness' }
      case MessageType.Auth:
        return { type: 'auth' }
      default:
        throw new ProtocolError(`unknown message type ${type}`)
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error
    throw new ProtocolError(`truncated or malformed message (${error instanceof Error ? error.message : error})`)
  }
}

