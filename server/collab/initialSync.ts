import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { CollabDocument } from './CollabDocument'
import { encodeSyncStep2, encodeSyncStep2FromParts, encodeSyncStep2Update, encodeUpdate, encodeUpdateFromParts } from './protocol'

type DeleteSet = Y.Transaction['deleteSet']

const MERGE_DELETIONS_AT = 1_000

/**
 * The stored content a document is loaded from, kept while it stays loaded so that first syncs are
 * answered without encoding the whole document (Y.encodeStateAsUpdate blocks the event loop for
 * hundreds of milliseconds at 16 MB; even with a state vector it builds the whole delete set), and,
 * when the stored content is the whole document, before the document has even finished loading.
 * Costs the size of the state file in memory on top of the Y.Doc, so only big documents keep one.
 */
export class InitialState {
  private loadPoint: { stateVector: ReadonlyMap<number, number>; deletions: DeleteSet[] } | null = null

  constructor(
    /**
     * One update, in pieces to concatenate, with the stored content a peer with state vector `known`
     * lacks, and the stored delete set.
     */
    readonly missing: (known: ReadonlyMap<number, number>) => Uint8Array[],
    /** No log on top: the stored content alone is the document as it will be once loaded. */
    readonly complete: boolean,
  ) {}

  /**
   * Called once the stored content is in the Y.Doc, before anything else (the log) is applied: from
   * then on, what the document gains is sent as a tail after the stored content.
   */
  applied(ydoc: Y.Doc, stateVector: ReadonlyMap<number, number>): void {
    const loadPoint = { stateVector, deletions: [] as DeleteSet[] }
    ydoc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.deleteSet.clients.size === 0) return
      loadPoint.deletions.push(transaction.deleteSet)
      // A document open for hours without a new client would otherwise keep one per deleting keystroke.
      if (loadPoint.deletions.length > MERGE_DELETIONS_AT) loadPoint.deletions = [Y.mergeDeleteSets(loadPoint.deletions)]
    })
    this.loadPoint = loadPoint
  }

  /**
   * What the document gained since the stored content was applied, for a peer with state vector
   * `known` that has the stored content: structs past max(stored, known) per client, and every
   * deletion since. Null before applied().
   */
  tail(ydoc: Y.Doc, known: ReadonlyMap<number, number>): Uint8Array | null {
    const loadPoint = this.loadPoint
    if (!loadPoint) return null
    const since = new Map(loadPoint.stateVector)
    for (const [id, clock] of known) since.set(id, Math.max(since.get(id) ?? 0, clock))
    const deletions = Y.mergeDeleteSets(loadPoint.deletions)
    loadPoint.deletions = [deletions]
    return encodeChangesSince(ydoc, since, deletions)
  }
}

/**
 * The answer to a client's sync step 1 on an attached document. Without an initial state: one
 * SyncStep2 encoded from the document. With one: the stored content the client lacks, as a plain
 * update (joined from the state file's chunks, a memory copy), then a SyncStep2 with the tail. A
 * y-websocket client counts itself synced at SyncStep2, so it is synced once it has everything.
 *
 * The stored content goes in one piece, not chunk by chunk: a client applies every message in its
 * own transaction and Yjs then "cleans up" text formatting as seen in that partial state, which can
 * delete live formatting; those deletions would come back to the server as the client's edits.
 */
export function answerSyncStep1(document: CollabDocument, clientStateVector: Uint8Array): Uint8Array[] {
  const initial = document.initialState
  const known = Y.decodeStateVector(clientStateVector)
  const tail = initial?.tail(document.ydoc, known)
  if (!initial || !tail) return [encodeSyncStep2(document.ydoc, clientStateVector)]
  return [encodeUpdateFromParts(initial.missing(known)), encodeSyncStep2Update(tail)]
}

/**
 * The answer to a sync step 1 that arrives while the document is still loading, when its stored
 * content is the whole document: that content, as SyncStep2, at once (nothing can change the
 * document before it is loaded: every connection's messages wait until then). Null when it must
 * wait for the load. The tail, for what changes between the end of the load and the connection's
 * attach, follows at attach (tailAfterEarlyAnswer).
 */
export function answerBeforeLoad(document: CollabDocument, clientStateVector: Uint8Array): Uint8Array | null {
  const initial = document.initialState
  if (!initial?.complete || document.destroyed) return null
  return encodeSyncStep2FromParts(initial.missing(Y.decodeStateVector(clientStateVector)))
}

/** At attach, for a connection answered before the load finished: the tail, if there is one. */
export function tailAfterEarlyAnswer(document: CollabDocument, clientStateVector: Uint8Array): Uint8Array | null {
  const tail = document.initialState?.tail(document.ydoc, Y.decodeStateVector(clientStateVector))
  return tail && !isEmptyUpdate(tail) ? encodeUpdate(tail) : null
}

/** No structs and an empty delete set. */
const isEmptyUpdate = (update: Uint8Array) => update.length === 2 && update[0] === 0 && update[1] === 0

/**
 * Y.encodeStateAsUpdate(ydoc, since) with `deletions` as its delete set instead of the one Yjs would
 * compute from every struct of the document: structs are written as Yjs's writeStructs does.
 */
function encodeChangesSince(ydoc: Y.Doc, since: ReadonlyMap<number, number>, deletions: DeleteSet): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  const out = encoder.restEncoder
  const changed: Array<[number, Array<Y.Item | Y.GC>, number]> = []
  for (const [client, structs] of ydoc.store.clients as Map<number, Array<Y.Item | Y.GC>>) {
    const last = structs[structs.length - 1]
    const from = Math.max(since.get(client) ?? 0, structs[0].id.clock)
    if (last.id.clock + last.length > from) changed.push([client, structs, from])
  }
  encoding.writeVarUint(out, changed.length)
  for (const [client, structs, from] of changed.sort((a, b) => b[0] - a[0])) {
    const first = Y.findIndexSS(structs, from)
    encoding.writeVarUint(out, structs.length - first)
    encoder.writeClient(client)
    encoding.writeVarUint(out, from)
    structs[first].write(encoder, from - structs[first].id.clock)
    for (let i = first + 1; i < structs.length; i++) structs[i].write(encoder, 0)
  }
  const clients = [...deletions.clients.entries()].sort((a, b) => b[0] - a[0])
  encoding.writeVarUint(out, clients.length)
  for (const [client, ranges] of clients) {
    encoding.writeVarUint(out, client)
    encoding.writeVarUint(out, ranges.length)
    for (const range of ranges) {
      encoder.writeDsClock(range.clock)
      encoder.writeDsLen(range.len)
    }
  }
  return encoder.toUint8Array()
}
