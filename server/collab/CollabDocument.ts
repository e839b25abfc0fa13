import { Awareness, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Connection } from './Connection'
import type { InitialState } from './initialSync'
import { encodeAwareness, encodeUpdate } from './protocol'
import { frameBinary } from './wsFrame'

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] }

/** A loaded document: its Y.Doc, the awareness of the people in it, and their connections. */
export class CollabDocument {
  readonly ydoc = new Y.Doc()
  readonly awareness = new Awareness(this.ydoc)
  readonly connections = new Set<Connection>()
  /** Awareness client ids each connection speaks for, removed when it leaves. */
  private readonly awarenessIds = new Map<Connection, Set<number>>()
  unloadTimer: NodeJS.Timeout | null = null
  /** When loading finished (Date.now()); see CollabServer.handOver. */
  loadedAt = 0
  destroyed = false
  /**
   * Set by storage for a big document: the content it is loaded from, which first syncs are then
   * answered from (initialSync.ts). Null for the others: they answer with one encoded SyncStep2.
   */
  private initial: InitialState | null = null
  private readonly initialStateListeners = new Set<() => void>()

  constructor(readonly name: string) {
    // The server is not a participant: it has no cursor or presence of its own.
    this.awareness.setLocalState(null)
  }

  get initialState(): InitialState | null {
    return this.initial
  }

  /** Sets (or drops) the initial state; connections waiting for the load may answer from it at once. */
  set initialState(state: InitialState | null) {
    this.initial = state
    if (state) for (const listener of this.initialStateListeners) listener()
  }

  /** Calls `listener` when an initial state is set while the document loads. */
  onInitialState(listener: () => void): void {
    this.initialStateListeners.add(listener)
  }

  /** The load is over (done or failed): connections waiting for it are attached or gone. */
  finishLoading(): void {
    this.initialStateListeners.clear()
  }

  /** Starts relaying changes; called once the stored content is loaded, so loading is not echoed. */
  startRelaying(onChange: (update: Uint8Array, origin: unknown) => void): void {
    this.onChange = onChange
    this.ydoc.on('update', this.relayEncoded)
    this.ydoc.on('afterTransactionCleanup', this.beforeUpdateEvent)
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) => {
      this.trackAwareness(change, origin)
      const changed = [...change.added, ...change.updated, ...change.removed]
      this.broadcast(encodeAwareness(this.awareness, changed))
    })
  }

  /**
   * Applies an update a connection sent that is wholly new to the document (updateScan.ts): once
   * applied, its bytes are exactly the change, so they are logged and relayed as received — `frame`
   * is the message it came in, sent on unchanged when given — instead of Yjs encoding the change
   * again from the transaction and the relay framing it anew (two encoders and two copies per
   * keystroke). Anything else the transaction sets off (a formatting cleanup, an observer's change)
   * is a transaction of its own and relayed as Yjs encodes it.
   */
  applyReceived(update: Uint8Array, frame: Uint8Array | null, origin: Connection): void {
    if (!this.onChange || (this.ydoc as unknown as { _transaction: unknown })._transaction !== null) {
      Y.applyUpdate(this.ydoc, update, origin)
      return
    }
    this.received = { update, frame, origin, seen: false }
    try {
      Y.applyUpdate(this.ydoc, update, origin)
    } finally {
      this.received = null
      this.restoreUpdateListeners()
    }
  }

  private onChange: ((update: Uint8Array, origin: unknown) => void) | null = null
  private received: { update: Uint8Array; frame: Uint8Array | null; origin: Connection; seen: boolean } | null = null
  /** Yjs's 'update' listeners while taken away for a received update's transaction (so Yjs encodes nothing). */
  private stashedUpdateListeners: Set<unknown> | null = null

  private relay(update: Uint8Array, origin: unknown, frame: Uint8Array | null): void {
    this.onChange?.(update, origin)
    // The sender already has its own update.
    this.broadcast(frame ?? encodeUpdate(update), origin)
  }

  private readonly relayEncoded = (update: Uint8Array, origin: unknown) => this.relay(update, origin, null)

  /** Runs just before Yjs decides whether to encode a transaction for its 'update' listeners. */
  private readonly beforeUpdateEvent = (transaction: Y.Transaction) => {
    const received = this.received
    const observers = (this.ydoc as unknown as { _observers: Map<string, Set<unknown>> })._observers
    const listeners = observers.get('update')
    if (received && !received.seen && transaction.origin === received.origin && listeners?.size === 1 && listeners.has(this.relayEncoded)) {
      received.seen = true
      observers.delete('update')
      this.stashedUpdateListeners = listeners
      if (hasContent(transaction)) this.relay(received.update, received.origin, received.frame)
      return
    }
    this.restoreUpdateListeners()
  }

  private readonly restoreUpdateListeners = () => {
    const stashed = this.stashedUpdateListeners
    if (!stashed) return
    this.stashedUpdateListeners = null
    const observers = (this.ydoc as unknown as { _observers: Map<string, Set<unknown>> })._observers
    const current = observers.get('update')
    // A listener added meanwhile joins the stashed ones.
    if (current) for (const listener of current) stashed.add(listener)
    observers.set('update', stashed)
  }

  add(connection: Connection): void {
    this.connections.add(connection)
    this.awarenessIds.set(connection, new Set())
  }

  remove(connection: Connection): void {
    this.connections.delete(connection)
    const ids = this.awarenessIds.get(connection)
    this.awarenessIds.delete(connection)
    // An id a newer connection took over (the same tab, reconnected) stays present.
    const stillClaimed = new Set([...this.awarenessIds.values()].flatMap((claimed) => [...claimed]))
    const gone = [...(ids ?? [])].filter((id) => !stillClaimed.has(id))
    if (gone.length > 0) removeAwarenessStates(this.awareness, gone, null)
  }

  /**
   * Whether an awareness client id is already spoken for by another person's connection. (The same
   * person may take it over: a reconnecting tab keeps its id while its old socket is still closing.)
   */
  awarenessOwnedByOther(clientId: number, connection: Connection): boolean {
    for (const [owner, ids] of this.awarenessIds) {
      if (owner !== connection && ids.has(clientId) && owner.context.user?.id !== connection.context.user?.id) return true
    }
    return false
  }

  broadcast(message: Uint8Array, except?: unknown): void {
    // Framed once for everyone, when there is more than one recipient to share it.
    if (this.connections.size <= 2) {
      for (const connection of this.connections) if (connection !== except) connection.send(message)
      return
    }
    const frame = frameBinary(message)
    for (const connection of this.connections) if (connection !== except) connection.sendFramed(message, frame)
  }

  destroy(): void {
    this.destroyed = true
    this.initial = null
    this.initialStateListeners.clear()
    if (this.unloadTimer) clearTimeout(this.unloadTimer)
    this.awareness.destroy()
    this.ydoc.destroy()
  }

  private trackAwareness(change: AwarenessChange, origin: unknown): void {
    const ids = this.awarenessIds.get(origin as Connection)
    if (!ids) return
    for (const id of change.added) ids.add(id)
    // A client that reconnects keeps its id; the awareness still knows its clock, so its state comes
    // back as "updated", not "added". It must be tracked too, or it lingers after the client leaves.
    for (const id of change.updated) ids.add(id)
    for (const id of change.removed) ids.delete(id)
  }
}

/** Whether a transaction changed anything: Yjs's own test before it emits 'update' (writeUpdateMessageFromTransaction). */
function hasContent(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true
  return false
}
