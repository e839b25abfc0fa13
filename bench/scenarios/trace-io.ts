/** Sending a list of updates through a server as fast as it takes them, and reading a document back. */
import * as Y from 'yjs'
import { LiteClient, type Target } from '../lib/clients'
import { ownParagraphText } from '../lib/content'
import { encodeUpdate, marker } from '../lib/protocol'

/** Writer id of the checkpoint markers (no real writer has it). */
const CHECKPOINT = 36 ** 4 - 1
/** A checkpoint follows every this many updates… */
const CHECKPOINT_EVERY = 1000
/** …and the writer stays at most this many checkpoints ahead of the observer. */
const MAX_CHECKPOINTS_AHEAD = 4

/** A client that records the latest checkpoint of a replay it has received. */
export class TraceObserver {
  readonly client: LiteClient
  /** Latest checkpoint seen, and when. */
  checkpoint = -1
  checkpointAt = 0

  constructor(target: Target, docName: string, collect: boolean) {
    this.client = new LiteClient(target, {
      docName,
      collect,
      onMarker: (writer, seq, now) => {
        if (writer === CHECKPOINT && seq > this.checkpoint) {
          this.checkpoint = seq
          this.checkpointAt = now
        }
      },
    })
  }
}

/** Checkpoint updates come from a Y.Doc of their own, appending markers to a paragraph of its own. */
class Checkpoints {
  private readonly doc = new Y.Doc()
  private last: Uint8Array | null = null
  seq = -1

  constructor() {
    this.doc.on('update', (u: Uint8Array) => (this.last = u))
  }

  next(): Uint8Array {
    this.doc.transact(() => {
      const text = ownParagraphText(this.doc)
      text.insert(text.length, marker(CHECKPOINT, ++this.seq))
    })
    return this.last!
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

/**
 * Sends `updates` from `writer` with a checkpoint after every 1,000 and at the end, never more than
 * 4 checkpoints ahead of what `observer` has received (application-level flow control, so no server
 * is handed an unbounded burst); resolves when the observer has the final checkpoint, hence every
 * update (a server relays one socket's updates in order).
 */
export async function sendTrace(
  writer: LiteClient,
  observer: TraceObserver,
  updates: Uint8Array[],
  timeoutMs = 150_000,
  /** One update per turn of the writer's event loop, as typists send them, rather than as fast as the socket takes them (which the server reads several at a time and stores merged). */
  onePerTurn = false,
): Promise<{ seconds: number }> {
  const frames = updates.map((u) => encodeUpdate(writer.dialect, writer.docName, u))
  const checkpoints = new Checkpoints()
  observer.checkpoint = -1
  const started = performance.now()
  const check = () => {
    if (performance.now() - started > timeoutMs) throw new Error(`replay not through within ${timeoutMs / 1000} s (observer at checkpoint ${observer.checkpoint})`)
    if (!writer.isOpen || !observer.client.isOpen) throw new Error('disconnected during the replay')
  }
  for (let i = 0; i < frames.length; i++) {
    writer.sendFrame(frames[i])
    if (onePerTurn) await tick()
    if ((i + 1) % CHECKPOINT_EVERY === 0) {
      writer.sendUpdate(checkpoints.next())
      while (checkpoints.seq - observer.checkpoint > MAX_CHECKPOINTS_AHEAD) {
        check()
        await tick()
      }
    }
  }
  writer.sendUpdate(checkpoints.next())
  while (observer.checkpoint < checkpoints.seq) {
    check()
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  return { seconds: (observer.checkpointAt - started) / 1000 }
}

/** Opens a document with a fresh client: its content and the time from opening the socket to the first sync step 2. */
export async function fetchDocument(target: Target, docName: string): Promise<{ doc: Y.Doc; ms: number }> {
  const client = new LiteClient(target, { docName, collect: true })
  try {
    await client.connect()
    await client.whenSynced()
    const ms = client.syncedAt - client.openedAt
    const doc = new Y.Doc()
    doc.transact(() => {
      for (const u of client.collected) Y.applyUpdate(doc, u)
    })
    return { doc, ms }
  } finally {
    client.destroy()
  }
}
