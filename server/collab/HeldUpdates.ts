import type * as Y from 'yjs'
import type { CollabDocument } from './CollabDocument'
import { hasMissingDependencies } from './dependencies'

/**
 * How many updates that cannot apply yet the server keeps aside. An honest client only builds on what
 * the server sent it and on its own changes, so its updates wait at most until its sync step 2 (typed
 * between opening the socket and answering the server's sync step 1): a few, small, briefly.
 */
export const HELD_LIMITS = { perConnection: 32, bytesPerConnection: 256 * 1024, perDocument: 128 } as const

const heldPerDocument = new WeakMap<CollabDocument, number>()
/** The connections of a document that hold updates back. */
const queuesOf = new WeakMap<CollabDocument, Set<HeldUpdates>>()

/**
 * After a change to the document: applies, through their own connection's checks, the held updates
 * whose dependencies it completed (the content may come from another connection: a second tab of the
 * same browser hears the first over a BroadcastChannel before the server does).
 */
export function applyReadyHeldUpdates(document: CollabDocument): void {
  const queues = queuesOf.get(document)
  for (let progress = true; progress && queues && queues.size > 0; ) {
    progress = false
    for (const queue of [...queues]) {
      for (const update of queue.takeReady(document.ydoc)) {
        progress = true
        if (!queue.apply(update)) break
      }
    }
  }
}

/**
 * One connection's updates whose dependencies are missing, kept out of the Y.Doc: Yjs would retry
 * them on every update of every client (quadratic work, see dependencies.ts), and a reviewer's or
 * viewer's update could no longer be checked while anything waits.
 */
export class HeldUpdates {
  private updates: Uint8Array[] = []
  private bytes = 0

  /** `apply` runs the connection's checks and applies; false if it refused (the connection then closes). */
  constructor(
    private readonly document: CollabDocument,
    readonly apply: (update: Uint8Array) => boolean,
  ) {}

  get size(): number {
    return this.updates.length
  }

  /** Keeps `update` aside; false (nothing kept) when that would pass a limit. */
  hold(update: Uint8Array): boolean {
    const inDocument = heldPerDocument.get(this.document) ?? 0
    if (
      this.updates.length >= HELD_LIMITS.perConnection ||
      this.bytes + update.length > HELD_LIMITS.bytesPerConnection ||
      inDocument >= HELD_LIMITS.perDocument
    ) {
      return false
    }
    // A copy: the received message is a view of a whole socket read, which must not be kept alive with it.
    this.updates.push(new Uint8Array(update))
    this.bytes += update.length
    heldPerDocument.set(this.document, inDocument + 1)
    let queues = queuesOf.get(this.document)
    if (!queues) queuesOf.set(this.document, (queues = new Set()))
    queues.add(this)
    return true
  }

  /** Removes and returns, in their order, the held updates that can now apply to `ydoc`. */
  takeReady(ydoc: Y.Doc): Uint8Array[] {
    if (this.updates.length === 0) return []
    const ready: Uint8Array[] = []
    const waiting: Uint8Array[] = []
    for (const update of this.updates) (hasMissingDependencies(ydoc, update) ? waiting : ready).push(update)
    // Ready ones are applied in order, so a later one may depend on an earlier: checked again next time.
    this.forget(ready)
    this.updates = waiting
    return ready
  }

  /** Drops everything (the connection is gone). */
  release(): void {
    this.forget(this.updates)
    this.updates = []
  }

  private forget(updates: Uint8Array[]): void {
    if (updates.length === 0) return
    for (const update of updates) this.bytes -= update.length
    heldPerDocument.set(this.document, (heldPerDocument.get(this.document) ?? 0) - updates.length)
    if (this.updates.length === updates.length) queuesOf.get(this.document)?.delete(this)
  }
}
