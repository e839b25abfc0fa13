import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'

/**
 * A broadcast framed once: the WebSocket frame of a binary message (server to client: FIN, binary
 * opcode, length, no mask — RFC 6455 §5.2), written as it is to every recipient's TCP socket. Through
 * `ws.send`, each of the hundreds of recipients of one keystroke cost a frame header, an options
 * object and two writes; here it costs one write. Used only where `ws` would send the same bytes
 * itself at once: the connection is open, nothing is queued in its sender and no compression was
 * negotiated (see directSocketOf); otherwise the message goes through `ws.send`.
 */
export function frameBinary(message: Uint8Array): Buffer {
  const length = message.length
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10
  const frame = Buffer.allocUnsafe(header + length)
  frame[0] = 0x82
  if (length < 126) frame[1] = length
  else if (length < 65536) {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 127
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2)
    frame.writeUInt32BE(length >>> 0, 6)
  }
  frame.set(message, header)
  return frame
}

interface WsInternals {
  _socket?: Socket
  _sender?: { _state?: number }
  _extensions?: Record<string, unknown>
}

/** The TCP socket a pre-framed message may be written to, or null when `ws` must send it itself. */
export function directSocketOf(socket: WebSocket): Socket | null {
  const internals = socket as unknown as WsInternals
  const raw = internals._socket
  if (!raw || socket.readyState !== socket.OPEN || !raw.writable) return null
  // ws's sender queues while it compresses or reads a Blob (state ≠ 0): writing past it would reorder.
  if (internals._sender?._state !== 0) return null
  if (!internals._extensions || Object.keys(internals._extensions).length > 0) return null
  return raw
}
