import * as broadcastChannel from 'lib0/broadcastchannel'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CloseCode } from '../../../shared/closeCodes'
import { CONTENT_FRAGMENT } from '../../../shared/editor/lib/ydoc'
import type { Identity } from '../identity'
import { BatchedIndexeddbPersistence } from './BatchedIndexeddbPersistence'
import { sendUpdatesAfterPaint, type UpdateSender } from './sendAfterPaint'
import { skipUpdateEncoding } from './skipUpdateEncoding'

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline'
export type SessionFailure = 'not-found' | 'unavailable' | 'forbidden' | 'signed-out' | 'disabled' | 'resync'

export interface SessionState {
  status: ConnectionStatus
  /** The editor may be shown: content came from the server or from this browser's copy. */
  ready: boolean
  /** Local changes made while not connected; sent when the connection is back. */
  pendingChanges: number
  failure: SessionFailure | null
  /**
   * Bumped when the server says this person's role or the report's state changed, and when the connection
   * is back after a break (the report may have been submitted meanwhile, which the server tells only those
   * connected then); the page reads the report's entry again.
   */
  accessChanges: number
}

/** After this many failed reconnects in a row the client calls itself offline rather than reconnecting. */
const OFFLINE_AFTER_FAILURES = 3
/** Connect anyway if this browser's copy has not loaded by then (IndexedDB blocked or very slow). */
const LOCAL_COPY_WAIT_MS = 2000

/** This editor's own awareness (its caret) is sent at most this often. */
const AWARENESS_SEND_MS = 50

/**
 * One open document: the Y.Doc, its WebSocket provider, and a copy in IndexedDB so that changes
 * made offline survive closing the tab. Exposes a small observable state for React.
 */
export class CollabSession {
  readonly ydoc = new Y.Doc()
  readonly provider: WebsocketProvider
  private readonly local: BatchedIndexeddbPersistence
  /** This editor's own changes go to the server after the frame that shows them (sendAfterPaint.ts). */
  private readonly updates: UpdateSender
  private state: SessionState = { status: 'connecting', ready: false, pendingChanges: 0, failure: null, accessChanges: 0 }
  private readonly listeners = new Set<() => void>()
  private everConnected = false
  private destroyed = false

  constructor(
    readonly documentId: string,
    identity: Identity,
  ) {
    // While not in sync with the server, this browser's copy is the only one of local edits: written at once.
    this.local = new BatchedIndexeddbPersistence(`huigao:${documentId}`, this.ydoc, () => !(this.provider?.wsconnected && this.provider.synced))
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
    // Connected once the local copy is in the Y.Doc, not before: the first sync then asks the server
    // only for what the copy lacks. Connected earlier, the server's answer (the whole report, when the
    // socket won the race) was decoded on top of the copy, and y-indexeddb, finding the document
    // already filled when it loads, encoded it whole and stored it as one more copy: every open of a
    // big report decoded it twice or more and encoded it once more on the main thread.
    // No BroadcastChannel between tabs while connected: every tab has its own connection and the
    // server relays to all, while the channel cost a structured-clone postMessage of every update and
    // caret move, in the key press's task, even with no other tab open. Without the server it is the
    // only way between two tabs of the report: see useTabChannel.
    this.provider = new WebsocketProvider(`${scheme}://${location.host}/collab`, documentId, this.ydoc, { connect: false, disableBc: true })
    // The copy's load is not encoded again for the 'update' listeners while the socket is down (they
    // ignore it; skipUpdateEncoding.ts). Only until the copy is in: its listeners run on every transaction.
    const stopSkipping = skipUpdateEncoding(this.ydoc, (transaction) => transaction.origin === this.local && !this.provider.wsconnected)
    void this.local.whenSynced.then(stopSkipping)
    // The copy's `synced` event connects (below); these cover a copy that is slow or cannot be opened.
    const connectSoon = setTimeout(this.connectFirst, LOCAL_COPY_WAIT_MS)
    void this.local._db.catch(this.connectFirst)
    this.updates = sendUpdatesAfterPaint(this.ydoc, this.provider)
    this.provider.awareness.setLocalStateField('user', identity)
    this.provider.awareness.off('update', this.provider._awarenessUpdateHandler)
    this.provider.awareness.on('update', this.sendOwnAwareness)

    this.local.on('synced', () => {
      // Marks for the open-time breakdown the editor benchmark prints (bench/scenarios/editor.ts).
      performance.mark('huigao:local-copy-loaded')
      // Connected before the editor is told it may show: React renders it in a microtask of this
      // event, which ran ahead of the promise callbacks below, so the socket opened only after the
      // whole report was built (~450 ms on a 100-page report) and the server's answer waited behind it.
      clearTimeout(connectSoon)
      this.connectFirst()
      if (this.ydoc.getXmlFragment(CONTENT_FRAGMENT).length > 0) this.set({ ready: true })
    })
    this.provider.on('sync', (synced: boolean) => {
      if (!synced) return
      if (!this.everConnected) performance.mark('huigao:server-synced')
      this.everConnected = true
      this.set({ ready: true, status: this.currentStatus(), pendingChanges: 0 })
    })
    this.provider.on('status', () => this.refreshStatus())
    this.provider.on('connection-close', (event: CloseEvent | null) => {
      switch (event?.code) {
        case CloseCode.DocumentDeleted:
          this.fail('not-found')
          break
        case CloseCode.DocumentUnavailable:
          this.fail('unavailable')
          break
        case CloseCode.AccessRevoked:
          this.fail('forbidden')
          break
        case CloseCode.Unauthorized:
        case CloseCode.SessionEnded:
          this.fail('signed-out')
          break
        case CloseCode.AccountDisabled:
          this.fail('disabled')
          break
        case CloseCode.Resync:
          // The server refused a change this copy holds: forget the copy (also the one in IndexedDB).
          this.provider.shouldConnect = false
          void this.local.clearData().finally(() => this.fail('resync'))
          break
        case CloseCode.RoleChanged:
          this.set({ accessChanges: this.state.accessChanges + 1 })
          break
        case CloseCode.Moved:
          // Another server process serves the document now: not a failure, so no backoff. The
          // provider counts this close as a failed attempt right after this event (-1 → 0: 100 ms).
          this.provider.wsUnsuccessfulReconnects = -1
          break
      }
      this.refreshStatus()
    })
    this.ydoc.on('update', (_update: Uint8Array, origin: unknown) => {
      const fromElsewhere = origin === this.provider || origin === this.local
      if (!fromElsewhere && this.state.status !== 'connected') this.set({ pendingChanges: this.state.pendingChanges + 1 })
    })
    window.addEventListener('online', this.goOnline)
    window.addEventListener('offline', this.goOffline)
    window.addEventListener('pagehide', this.updates.flush)
  }

  /** The first connection, once the local copy is loaded (or could not be). */
  private readonly connectFirst = (): void => {
    if (this.destroyed || this.state.failure || this.provider.wsconnected || this.provider.wsconnecting) return
    if (!navigator.onLine) return
    // For the open-time breakdown the editor benchmark prints (bench/scenarios/editor.ts).
    if (!this.everConnected) performance.mark('huigao:connecting')
    this.provider.connect()
  }

  setIdentity(identity: Identity): void {
    this.provider.awareness.setLocalStateField('user', identity)
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getState = (): SessionState => this.state

  destroy(): void {
    this.destroyed = true
    window.removeEventListener('online', this.goOnline)
    window.removeEventListener('offline', this.goOffline)
    window.removeEventListener('pagehide', this.updates.flush)
    this.updates.destroy()
    this.provider.awareness.off('update', this.sendOwnAwareness)
    if (this.awarenessTimer !== null) clearTimeout(this.awarenessTimer)
    this.provider.destroy()
    void this.local.destroy()
    this.ydoc.destroy()
  }

  /**
   * Replaces the stock provider's awareness sender, which sends the server every awareness change
   * it sees, including the ones it has just received from the server: each caret move of one person
   * came back from every other open editor and was relayed again to all. The server already relays
   * each person's state to everyone, so changes that came from the server are not sent back.
   * This editor's own changes (its caret moves with every keystroke) are sent at most once per
   * AWARENESS_SEND_MS, after the key press's frame rather than in it; leaving is sent at once.
   */
  private readonly sendOwnAwareness = (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (origin === this.provider) return
    for (const id of [...changes.added, ...changes.updated, ...changes.removed]) this.awarenessToSend.add(id)
    if (changes.removed.length > 0) this.flushAwareness()
    else this.awarenessTimer ??= setTimeout(this.flushAwareness, AWARENESS_SEND_MS)
  }

  private readonly awarenessToSend = new Set<number>()
  private awarenessTimer: ReturnType<typeof setTimeout> | null = null

  private readonly flushAwareness = (): void => {
    if (this.awarenessTimer !== null) clearTimeout(this.awarenessTimer)
    this.awarenessTimer = null
    if (this.awarenessToSend.size === 0) return
    // The caret may point into a change still queued: the change goes first.
    this.updates.flush()
    const updated = [...this.awarenessToSend]
    this.awarenessToSend.clear()
    this.provider._awarenessUpdateHandler({ added: [], updated, removed: [] }, this)
  }

  /**
   * The browser lost its network. An open WebSocket can stay "open" long after that (nothing tells it
   * the path is gone), so the badge said 已连接 while nothing could be sent. Close it: the state is then
   * truthfully offline, edits count as pending, and reconnecting resynchronises everything.
   */
  private readonly goOffline = (): void => {
    if (this.provider.shouldConnect) this.provider.disconnect()
    this.refreshStatus()
  }

  private readonly goOnline = (): void => {
    if (!this.state.failure) this.provider.connect()
    this.refreshStatus()
  }

  private readonly refreshStatus = (): void => {
    this.set({ status: this.currentStatus() })
  }

  /**
   * Two tabs of the report in one browser reach each other through the server; while it cannot be
   * reached (offline, or reconnecting after having been connected) they use the BroadcastChannel
   * instead, so that what is typed in one shows in the other. Left as soon as the server is back in
   * sync, without the provider's own disconnectBc, which would also tell the server (and so everyone)
   * that this editor's caret is gone.
   */
  private useTabChannel(on: boolean): void {
    const provider = this.provider
    if (on && !provider.bcconnected) {
      provider.disableBc = false
      provider.connectBc()
    } else if (!on && provider.bcconnected) {
      broadcastChannel.unsubscribe(provider.bcChannel, provider._bcSubscriber)
      provider.bcconnected = false
      provider.disableBc = true
    }
  }

  private currentStatus(): ConnectionStatus {
    // The browser's word comes first: a socket that has not noticed the lost network is no connection.
    if (!navigator.onLine || this.state.failure) return 'offline'
    if (this.provider.wsconnected && this.provider.synced) return 'connected'
    if (!this.everConnected) return 'connecting'
    return this.provider.wsUnsuccessfulReconnects >= OFFLINE_AFTER_FAILURES ? 'offline' : 'reconnecting'
  }

  private fail(failure: SessionFailure): void {
    // A deleted or unreadable document will not come back by retrying every few seconds.
    this.provider.shouldConnect = false
    this.set({ failure })
  }

  private set(changes: Partial<SessionState>): void {
    const next = { ...this.state, ...changes }
    if (Object.entries(changes).every(([key, value]) => this.state[key as keyof SessionState] === value)) return
    // Back after a break: what the server told only those connected meanwhile (a submission) is read again.
    if (next.status === 'connected' && (this.state.status === 'reconnecting' || this.state.status === 'offline')) next.accessChanges = this.state.accessChanges + 1
    this.state = next
    // Not while first connecting: announcing the whole report to other tabs would cost every open.
    this.useTabChannel(!this.destroyed && !next.failure && (next.status === 'offline' || next.status === 'reconnecting'))
    this.listeners.forEach((listener) => listener())
  }
}
