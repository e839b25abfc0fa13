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

export const encodeAwareness = (awareness: awarenessProtocol.Awareness, clients: number[]) =>
  message((e) => {
    encoding.writeVarUint(e, MessageType.Awareness)
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  })

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

