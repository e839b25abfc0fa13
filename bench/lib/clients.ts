/**
 * Load-generator clients.
 *
 * LiteClient: one WebSocket on one document speaking the raw protocol. A writer owns a private
 * Y.Doc holding only its own typing (so each keystroke is a real Yjs update appended after its own
 * previous one, and a reconnect resends what the server lacks through the normal sync step 2);
 * incoming updates are never applied, only scanned for markers — that keeps the cost per received
 * message to a frame parse and a byte scan.
 *
 * FullClient: the stock providers (y-websocket's WebsocketProvider, Hocuspocus' HocuspocusProvider)
 * with a real Y.Doc, used to check the final state.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { contentString, ownParagraphText } from './content'
import {
  decodeIncoming,
  EMPTY_STATE_VECTOR,
  EMPTY_UPDATE,
  encodeAwareness,
  encodeHocuspocusAuth,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  marker,
  scanMarkers,
  type Dialect,
} from './protocol'

/** Where clients connect: everything about a server that clients need. */
export interface Target {
  dialect: Dialect
  /** URL a LiteClient opens for `docName`. */
  socketUrl(docName: string): string
  /** serverUrl for WebsocketProvider (room appended) or url for HocuspocusProvider. */
  providerUrl: string
  /** Headers for the WebSocket upgrade (Huigao's session cookie). */
  headers: Record<string, string>
}

/** `ws` with fixed upgrade headers, for providers that construct their own sockets. */
function socketClassWith(headers: Record<string, string>): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers })
    }
  } as typeof WebSocket
}

export interface LiteOptions {
  docName: string
  /** Global writer index; writers own a private Y.Doc and can type. */
  writer?: number
  /** Called for every marker in every received update and sync step 2 (`inSync` for the latter). */
  onMarker?: (writer: number, seq: number, now: number, inSync: boolean) => void
  /** Keep every received update payload (W4's observer). */
  collect?: boolean
  /** Called with the payload of the first sync step 2 this client receives after (re)connecting. */
  onFirstSync?: (payload: Uint8Array, now: number) => void
  /** Awareness state sent on join; undefined sends none. */
  awareness?: Record<string, unknown>
  /**
   * A writer that keeps the whole document (W9's reviewers, who edit other people's paragraphs):
   * received sync step 2 and updates are applied to its Y.Doc, and only its own edits are sent.
   */
  replica?: boolean
  /**
   * Reconnect when the server closes the connection, as the stock provider does (W8: a process that
   * loses a document's lease under overload closes its sockets, and real clients come back at once).
   * A writer's reconnect resends what the server lacks in its sync step 2; an observer gets what it
   * missed in the server's.
   */
  reconnect?: boolean
}

let nextClientId = 1 + Math.floor(Math.random() * 1e9)

export class LiteClient {
  ws: WebSocket | null = null
  readonly doc: Y.Doc | null
  /** The writer's own paragraph text, created with its first keystroke. */
  private text: Y.XmlText | null = null
  readonly clientId: number
  private awarenessClock = 0
  seq = 0
  /** performance.now() of the first sync step 2 of the current connection, 0 before. */
  syncedAt = 0
  openedAt = 0
  updatesIn = 0
  framesIn = 0
  bytesIn = 0
  readonly collected: Uint8Array[] = []
  /** Set when the server closed or dropped the connection. */
  closedAt = 0
  extensions = ''
  private syncWaiters: Array<() => void> = []

  constructor(
    private readonly target: Target,
    readonly options: LiteOptions,
  ) {
    if (options.writer !== undefined) {
      this.doc = new Y.Doc({ gc: true })
      this.clientId = this.doc.clientID
      this.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== this) this.sendFrame(encodeUpdate(this.dialect, this.docName, update))
      })
    } else {
      this.doc = null
      this.clientId = nextClientId++
    }
  }

  get dialect(): Dialect {
    return this.target.dialect
  }

  get docName(): string {
    return this.options.docName
  }

  get isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN
  }

  get isSynced(): boolean {
    return this.syncedAt > 0 && this.isOpen
  }

  /** Opens the socket and starts the handshake; resolves when the socket is open (not yet synced). */
  connect(): Promise<void> {
    this.syncedAt = 0
    this.closedAt = 0
    this.openedAt = performance.now()
    const ws = new WebSocket(this.target.socketUrl(this.docName), { headers: this.target.headers })
    ws.binaryType = 'nodebuffer'
    this.ws = ws
    ws.on('message', (data: Buffer) => this.receive(data))
    ws.on('close', () => {
      if (this.ws !== ws) return
      this.closedAt = performance.now()
      if (this.options.reconnect) this.reconnectSoon(100)
    })
    return new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        this.extensions = ws.extensions
        const d = this.dialect
        if (d === 'hocuspocus') ws.send(encodeHocuspocusAuth(this.docName))
        ws.send(encodeSyncStep1(d, this.docName, this.doc ? Y.encodeStateVector(this.doc) : EMPTY_STATE_VECTOR))
        if (this.options.awareness) this.sendAwareness(this.options.awareness)
        resolve()
      })
      ws.once('error', (error) => {
        if (ws.readyState !== WebSocket.OPEN) reject(error)
      })
    })
  }

  /** Connections the server closed and this client opened again (`reconnect`). */
  reconnects = 0

  private reconnectSoon(delayMs: number): void {
    const timer = setTimeout(() => {
      if (this.ws === null) return // closed by us meanwhile
      this.reconnects++
      // A failed attempt closes its socket too, which tries again.
      this.connect().catch(() => undefined)
    }, delayMs)
    timer.unref()
  }

  /** Resolves at the first sync step 2 of the current connection. */
  whenSynced(): Promise<void> {
    if (this.syncedAt > 0) return Promise.resolve()
    return new Promise((resolve) => this.syncWaiters.push(resolve))
  }

  /** One keystroke: inserts a marker at the end of this writer's own paragraph; returns its seq. */
  type(): number {
    const seq = this.seq++
    this.write((text) => text.insert(text.length, marker(this.options.writer!, seq)))
    return seq
  }

  /** Edits this writer's own paragraph (created, in the same transaction, by the first edit). */
  write(edit: (text: Y.XmlText) => void): void {
    const doc = this.doc
    if (!doc) throw new Error('not a writer')
    doc.transact(() => edit((this.text ??= ownParagraphText(doc))))
  }

  sendAwareness(state: Record<string, unknown>): void {
    this.sendFrame(encodeAwareness(this.dialect, this.docName, this.clientId, ++this.awarenessClock, state))
  }

  /** Sends a pre-encoded update payload (W4). */
  sendUpdate(update: Uint8Array): void {
    this.sendFrame(encodeUpdate(this.dialect, this.docName, update))
  }

  sendFrame(frame: Uint8Array): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(frame)
  }

  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0
  }

  close(): void {
    const ws = this.ws
    this.ws = null
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) ws.terminate()
  }

  destroy(): void {
    this.close()
    this.doc?.destroy()
  }

  private receive(data: Buffer): void {
    const now = performance.now()
    this.framesIn++
    this.bytesIn += data.length
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    const message = decodeIncoming(this.dialect, bytes)
    switch (message.kind) {
      case 'step1':
        this.sendFrame(encodeSyncStep2(this.dialect, this.docName, this.doc ? Y.encodeStateAsUpdate(this.doc, message.payload) : EMPTY_UPDATE))
        break
      case 'step2':
        if (this.syncedAt === 0) {
          this.syncedAt = now
          this.options.onFirstSync?.(message.payload, now)
        }
        this.deliver(message.payload, now, true)
        if (this.syncWaiters.length > 0) {
          const waiters = this.syncWaiters
          this.syncWaiters = []
          for (const resolve of waiters) resolve()
        }
        break
      case 'update':
        this.updatesIn++
        this.deliver(message.payload, now, false)
        break
    }
  }

  private deliver(payload: Uint8Array, now: number, inSync: boolean): void {
    if (this.options.replica && this.doc) Y.applyUpdate(this.doc, payload, this)
    if (this.options.collect) this.collected.push(payload.slice())
    const onMarker = this.options.onMarker
    if (onMarker) scanMarkers(payload, (writer, seq) => onMarker(writer, seq, now, inSync))
  }
}

/** A stock provider with a real Y.Doc. */
export class FullClient {
  readonly doc = new Y.Doc()
  /** The stock y-websocket provider's awareness (null for Hocuspocus). */
  readonly awareness: WebsocketProvider['awareness'] | null = null
  private readonly destroyProvider: () => void
  readonly synced: Promise<void>

  constructor(target: Target, docName: string) {
    if (target.dialect === 'hocuspocus') {
      const socket = new HocuspocusProviderWebsocket({ url: target.providerUrl, WebSocketPolyfill: socketClassWith(target.headers) })
      const provider = new HocuspocusProvider({ websocketProvider: socket, name: docName, document: this.doc })
      provider.attach()
      this.synced = new Promise((resolve) => {
        if (provider.isSynced) resolve()
        provider.on('synced', () => resolve())
      })
      this.destroyProvider = () => {
        provider.destroy()
        socket.destroy()
      }
    } else {
      const provider = new WebsocketProvider(target.providerUrl, docName, this.doc, {
        WebSocketPolyfill: socketClassWith(target.headers) as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      })
      provider.awareness.setLocalState({ user: { name: 'checker' } })
      this.awareness = provider.awareness
      this.synced = new Promise((resolve) => {
        if (provider.synced) resolve()
        provider.on('sync', (isSynced: boolean) => isSynced && resolve())
      })
      this.destroyProvider = () => provider.destroy()
    }
  }

  /** The content fragment as XML: every writer's paragraph and its markers. */
  text(): string {
    return contentString(this.doc)
  }

  destroy(): void {
    this.destroyProvider()
    this.doc.destroy()
  }
}
