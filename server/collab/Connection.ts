import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import { applyConnectionAwareness, type AwarenessState } from './applyAwareness'
import type { CollabDocument } from './CollabDocument'
import type { CollabExtension, ConnectionContext } from './hooks'
import { hasMissingDependencies } from './dependencies'
import { scanUpdate } from './updateScan'
import { applyReadyHeldUpdates, HeldUpdates } from './HeldUpdates'
import { answerBeforeLoad, answerSyncStep1, tailAfterEarlyAnswer } from './initialSync'
import { corkUntilLoopEnd } from './loopCork'
import { directSocketOf } from './wsFrame'
import {
  decodeMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  isSyncUpdate,
  ProtocolError,
  type IncomingMessage,
} from './protocol'

/** Whether `payload` (read from `frame`) runs to the frame's end: then the frame is that message alone. */
const endsAt = (payload: Uint8Array, frame: Uint8Array) =>
  payload.buffer === frame.buffer && payload.byteOffset + payload.byteLength === frame.byteOffset + frame.byteLength

/** A message that does not parse is left for handle() to refuse. */
function decodeOrNull(data: Uint8Array): IncomingMessage | null {
  try {
    return decodeMessage(data)
  } catch {
    return null
  }
}

// The close codes are the client–server contract, defined once in shared/.
import { CloseCode } from '../../shared/closeCodes'
import { componentLogger } from '../logger'

const log = componentLogger('collab')

export { CloseCode }

/**
 * One client's WebSocket on one document. Messages that arrive before the document has loaded are
 * held back, so the first sync answer a client gets always carries the stored content.
 */
export class Connection {
  private document: CollabDocument | null = null
  private backlog: Uint8Array[] = []
  /** The document being loaded for this connection, until it is attached (see awaitLoad). */
  private loading: CollabDocument | null = null
  /** The state vector of a sync step 1 answered before the load finished: its tail follows at attach. */
  private answeredEarly: Uint8Array | null = null
  private alive = true
  /** Updates that wait for content this client has not sent yet (see HeldUpdates). */
  private held: HeldUpdates | null = null
  /** Messages of the socket read being handled (see handleRead). */
  private read: Uint8Array[] | null = null
  closed = false

  constructor(
    private readonly socket: WebSocket,
    readonly context: ConnectionContext,
    private readonly extensions: CollabExtension[],
  ) {
    // Buffers, not ArrayBuffers: ws hands out a view of what it read, where an ArrayBuffer is a copy
    // of it per message. Nothing here writes into a received message.
    socket.binaryType = 'nodebuffer'
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return this.close(CloseCode.InvalidData, 'binary messages only')
      this.receive(data)
    })
    socket.on('pong', () => {
      this.alive = true
    })
    socket.on('close', () => this.held?.release())
  }

  /** The document this connection is attached to, once loaded. */
  get attachedDocument(): CollabDocument | null {
    return this.document
  }

  /**
   * Follows the loading of the document: once its stored content is known to be the whole document,
   * a sync step 1 waiting in the backlog is answered from it at once rather than after the load.
   */
  awaitLoad(document: CollabDocument): void {
    this.loading = document
    document.onInitialState(() => this.answerEarly())
    this.answerEarly()
  }

  /**
   * Joins the loaded document: greet with sync step 1 and the current awareness (and, after an early
   * answer, what changed since the stored content), then drain the backlog.
   */
  attach(document: CollabDocument): void {
    this.document = document
    this.loading = null
    document.add(this)
    this.send(encodeSyncStep1(document.ydoc))
    const states = [...document.awareness.getStates().keys()]
    if (states.length > 0) this.send(encodeAwareness(document.awareness, states))
    if (this.answeredEarly) {
      const tail = tailAfterEarlyAnswer(document, this.answeredEarly)
      if (tail) this.send(tail)
    }
    const backlog = this.backlog
    this.backlog = []
    for (const message of backlog) this.handle(message)
  }

  send(message: Uint8Array): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return
    const raw = (this.socket as unknown as { _socket?: import('node:net').Socket })._socket
    if (raw) corkUntilLoopEnd(raw)
    this.socket.send(message, this.afterSend)
  }

  /**
   * Sends a message of a broadcast, framed once for all its recipients (wsFrame.ts). A failed write
   * surfaces as the socket's 'error', which closes the connection, as `ws.send`'s callback would.
   */
  sendFramed(message: Uint8Array, frame: Buffer): void {
    if (this.closed) return
    const raw = directSocketOf(this.socket)
    if (!raw) return this.send(message)
    corkUntilLoopEnd(raw)
    raw.write(frame)
  }

  /** One callback for every send of this connection (a fan-out sends to hundreds of sockets per update). */
  private readonly afterSend = (error?: Error) => {
    if (error) this.close(CloseCode.GoingAway, 'send failed')
  }

  /** Called by the heartbeat: a connection that missed the last ping is presumed dead. */
  checkAlive(): void {
    if (!this.alive) {
      this.socket.terminate()
      return
    }
    this.alive = false
    this.socket.ping()
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    this.socket.close(code, reason)
  }

  private receive(message: Uint8Array): void {
    if (this.closed) return
    if (!this.document) {
      // A copy, kept until the load ends: the message is a view of a whole socket read.
      this.backlog.push(new Uint8Array(message))
      this.answerEarly()
      return
    }
    // ws emits the messages of one socket read one after another, synchronously: they are collected
    // and handled once it is done (a microtask runs before any other I/O callback, so nothing overtakes them).
    if (this.read) {
      this.read.push(message)
      return
    }
    this.read = [message]
    queueMicrotask(this.handleRead)
  }

  /**
   * Handles the messages of one socket read, each run of sync updates in one Yjs transaction: a writer
   * ahead of the server (a paste, a reconnect, a fast typist on a slow link) sends many small updates
   * at once, and a transaction per update costs more than the update (observers, cleanup, events).
   * The run is relayed and logged as one update, which Yjs encodes from the transaction; a lone update
   * keeps its own transaction and is relayed as received (CollabDocument.applyReceived).
   */
  private readonly handleRead = () => {
    const messages = this.read ?? []
    this.read = null
    const document = this.document
    for (let i = 0; i < messages.length; ) {
      let end = i + 1
      while (end < messages.length && isSyncUpdate(messages[i]) && isSyncUpdate(messages[end])) end++
      if (end - i === 1 || !document || this.closed) {
        this.handle(messages[i])
      } else {
        try {
          Y.transact(document.ydoc, () => {
            for (let k = i; k < end; k++) this.handle(messages[k])
          }, this)
        } catch (error) {
          // Thrown by an observer while the transaction ends (handle() catches what a message throws).
          log.warn({ documentId: document.name, reason: (error as Error).message }, 'closing a connection whose updates failed to apply')
          this.close(CloseCode.InvalidData, `invalid update (${(error as Error).message})`.slice(0, 120))
        }
      }
      i = end
    }
  }

  private answerEarly(): void {
    const document = this.loading
    if (!document?.initialState?.complete || this.closed || this.answeredEarly) return
    for (let i = 0; i < this.backlog.length; i++) {
      const message = decodeOrNull(this.backlog[i])
      if (message?.type !== 'sync-step-1') continue
      const answer = answerBeforeLoad(document, message.stateVector)
      if (!answer) return
      this.backlog.splice(i, 1)
      this.answeredEarly = message.stateVector
      this.send(answer)
      return
    }
  }

  private handle(data: Uint8Array): void {
    const document = this.document
    if (!document || this.closed) return
    try {
      const message = decodeMessage(data)
      switch (message.type) {
        case 'sync-step-1':
          for (const answer of answerSyncStep1(document, message.stateVector)) this.send(answer)
          break
        case 'update':
          this.receiveUpdate(document, message.update, message.step, message.step === 'update' && endsAt(message.update, data) ? data : null)
          break
        case 'awareness':
          applyConnectionAwareness(document.awareness, message.update, this.keepAwareness, this.transformAwareness, this)
          break
        case 'query-awareness':
          this.send(encodeAwareness(document.awareness, [...document.awareness.getStates().keys()]))
          break
        case 'auth':
          break
      }
    } catch (error) {
      const reason = error instanceof ProtocolError ? error.message : `invalid update (${(error as Error).message})`
      log.warn({ documentId: document.name, reason }, 'closing a connection that sent a bad message')
      this.close(error instanceof ProtocolError ? CloseCode.ProtocolError : CloseCode.InvalidData, reason.slice(0, 120))
    }
  }

  /** A client speaks only for itself: entries for someone else's client id are dropped. (Made once: awareness comes with every keystroke.) */
  private readonly keepAwareness = (clientId: number): boolean => !this.document!.awarenessOwnedByOther(clientId, this)

  private readonly transformAwareness = (state: AwarenessState): AwarenessState => {
    let result = state
    for (const extension of this.extensions) if (extension.transformAwareness) result = extension.transformAwareness({ state: result, connection: this })
    return result
  }

  /**
   * An update whose dependencies are missing is held back (never put into the Y.Doc) until later
   * changes complete it; past HELD_LIMITS, or if this client's sync step 2 (which carries everything
   * it had that the server lacked) leaves any of its updates waiting, the client is resynced.
   */
  private receiveUpdate(document: CollabDocument, update: Uint8Array, step: 'sync-step-2' | 'update', frame: Uint8Array | null): void {
    this.held ??= new HeldUpdates(document, (ready) => this.applyUpdate(document, ready, null))
    // One read of the bytes answers the dependency check for typing; anything else is decoded in full.
    const scan = scanUpdate(document.ydoc, update)
    if (scan ? scan.missing : hasMissingDependencies(document.ydoc, update)) {
      if (!this.held.hold(update)) return this.refuse('update waits for content nobody sent', '修改被拒绝：与服务器的文档不一致，需要重新加载')
    } else {
      if (!this.applyUpdate(document, update, frame, scan)) return
      applyReadyHeldUpdates(document)
    }
    if (step === 'sync-step-2' && this.held.size > 0) this.refuse('update waits for content nobody sent', '修改被拒绝：与服务器的文档不一致，需要重新加载')
  }

  /**
   * Runs the extensions' checks, then applies; false if refused (the connection is then closing).
   * `scan` is the update read against the document as it is now (null: it could not be read cheaply);
   * `frame` the message it came in, relayed unchanged when the update is wholly new.
   */
  private applyUpdate(document: CollabDocument, update: Uint8Array, frame: Uint8Array | null, scan = scanUpdate(document.ydoc, update)): boolean {
    for (const extension of this.extensions) {
      if (extension.beforeApplyUpdate && !extension.beforeApplyUpdate({ document, update, connection: this, scan })) {
        this.refuse('update refused', '修改被拒绝：超出当前权限')
        return false
      }
    }
    if (scan?.wholeNew) document.applyReceived(update, frame, this)
    else Y.applyUpdate(document.ydoc, update, this)
    return true
  }

  /** The client's copy now holds a change the document will never have: it must start afresh. */
  private refuse(reason: string, message: string): void {
    log.warn({ documentId: this.document?.name, userId: this.context.user?.id ?? null, reason }, 'refused an update')
    this.send(encodePermissionDenied(message))
    this.held?.release()
    this.close(CloseCode.Resync, reason)
  }
}
