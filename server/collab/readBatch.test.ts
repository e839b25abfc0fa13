// The messages of one socket read (ws emits them one after another, synchronously) are handled once
// the read is done, each run of sync updates in one Yjs transaction (Connection.handleRead).
import { EventEmitter } from 'node:events'
import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes'
import { CollabDocument } from './CollabDocument'
import { Connection } from './Connection'
import type { CollabExtension } from './hooks'
import { encodeUpdate } from './protocol'

/** A WebSocket as far as Connection uses it: messages in, what it is sent kept. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1
  readyState = 1
  binaryType = 'arraybuffer'
  readonly sent: Uint8Array[] = []
  closedWith: number | null = null
  send(message: Uint8Array, callback?: (error?: Error) => void): void {
    this.sent.push(message)
    callback?.()
  }
  close(code: number): void {
    this.closedWith = code
    this.readyState = 3
  }
  ping(): void {}
  terminate(): void {}
  /** One socket read holding these messages. */
  read(...messages: Uint8Array[]): void {
    for (const message of messages) this.emit('message', Buffer.from(message), true)
  }
}

/** The updates a socket was sent, applied to a fresh doc. */
function received(socket: FakeSocket): { doc: Y.Doc; updates: number } {
  const doc = new Y.Doc()
  let updates = 0
  for (const message of socket.sent) {
    const decoder = decoding.createDecoder(message)
    if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 2) continue
    Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
    updates++
  }
  return { doc, updates }
}

/** A writer's keystrokes, one Yjs update each. */
function keystrokes(texts: string[], clientID = 7): Uint8Array[] {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const out: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => out.push(update))
  for (const text of texts) doc.getText('t').insert(doc.getText('t').length, text)
  return out
}

function setUp(extensions: CollabExtension[] = []) {
  const document = new CollabDocument('doc')
  const logged: Uint8Array[] = []
  let transactions = 0
  document.ydoc.on('afterTransaction', () => transactions++)
  document.startRelaying((update) => logged.push(update))
  const connect = () => {
    const socket = new FakeSocket()
    new Connection(socket as never, { user: { id: 'u1', name: '甲', color: '#000' } }, extensions).attach(document)
    socket.sent.length = 0
    return socket
  }
  return { document, logged, connect, transactions: () => transactions }
}

const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve))

describe('one socket read, one transaction', () => {
  it('applies a run of updates read together in one transaction, relayed and logged as one update with all of them in order', async () => {
    const { document, logged, connect, transactions } = setUp()
    const writer = connect()
    const observer = connect()
    writer.read(...keystrokes(['一', '二', '三', '四']).map(encodeUpdate))
    await settle()
    expect(document.ydoc.getText('t').toString()).toBe('一二三四')
    expect(transactions()).toBe(1)
    expect(logged).toHaveLength(1)
    const seen = received(observer)
    expect(seen.updates).toBe(1)
    expect(seen.doc.getText('t').toString()).toBe('一二三四')
    // The sender is not sent its own updates back.
    expect(received(writer).updates).toBe(0)
  })

  it('keeps a lone update in its own transaction, relayed as received', async () => {
    const { connect, logged } = setUp()
    const writer = connect()
    const observer = connect()
    const [update] = keystrokes(['一'])
    writer.read(encodeUpdate(update))
    await settle()
    const bytes = (list: Uint8Array[]) => list.map((u) => Buffer.from(u).toString('hex'))
    expect(bytes(logged)).toEqual(bytes([update]))
    expect(bytes(observer.sent)).toEqual(bytes([encodeUpdate(update)]))
  })

  it('an update refused in the middle of a read closes the connection: those before it stay, those after it are not applied', async () => {
    const refuseMarked: CollabExtension = { beforeApplyUpdate: ({ update }) => !Buffer.from(update).includes(Buffer.from('拒')) }
    const { document, connect } = setUp([refuseMarked])
    const writer = connect()
    const observer = connect()
    writer.read(...keystrokes(['一', '二', '拒', '四']).map(encodeUpdate))
    await settle()
    expect(writer.closedWith).toBe(CloseCode.Resync)
    expect(document.ydoc.getText('t').toString()).toBe('一二')
    expect(received(observer).doc.getText('t').toString()).toBe('一二')
  })

  it('handles the other messages of the read in order around the run', async () => {
    const { document, connect } = setUp()
    const writer = connect()
    const [first, second, third] = keystrokes(['一', '二', '三'])
    // sync step 1 (empty state vector) between updates: answered with the state as it is at that point.
    const step1 = new Uint8Array([0, 0, 1, 0])
    writer.read(encodeUpdate(first), step1, encodeUpdate(second), encodeUpdate(third))
    await settle()
    expect(document.ydoc.getText('t').toString()).toBe('一二三')
    const answer = writer.sent.map((m) => decoding.createDecoder(m)).find((d) => decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === 1)
    expect(answer).toBeDefined()
    const state = new Y.Doc()
    Y.applyUpdate(state, decoding.readVarUint8Array(answer!))
    expect(state.getText('t').toString()).toBe('一')
  })
})
