import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

type Struct = Y.Item | Y.GC
/** Yjs does not export the DeleteSet class itself. */
type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds']

/*
 * Chunk layout (Yjs v1 updates, see writeStructs / writeDeleteSet in yjs/src/utils):
 * - a struct chunk holds one client's run of consecutive structs and an empty delete set:
 *   varuint 1, varuint #structs, varuint client, varuint first clock, the structs, varuint 0;
 * - then the delete set, in chunks without structs: varuint 0, then a part of the delete set.
 * One client per chunk keeps the chunks joinable back into a single update (ChunkIndex.ts) by
 * concatenation alone: v1 structs are encoded independently of one another.
 */

/** One client's structs in the update, in clock order, and how many are already in a chunk. */
interface ClientStructs {
  client: number
  structs: Struct[]
  next: number
  startClock: number
  endClock: number
}

/** The run being built: one client's consecutive structs. */
interface Run {
  client: number
  clock: number
  count: number
  /** Written with Yjs's own v1 encoder, which is stateless, so runs can be concatenated later. */
  encoder: Y.UpdateEncoderV1
}

/** A struct count never needs more than 5 varuint bytes here. */
const MAX_COUNT_BYTES = 5
const varUintSize = (n: number) => {
  let size = 1
  for (; n > 0x7f; n = Math.floor(n / 128)) size++
  return size
}
/** Bytes of a struct chunk around its structs: client count, struct count, client, clock, empty delete set. */
const chunkOverhead = (client: number, clock: number) => 1 + MAX_COUNT_BYTES + varUintSize(client) + varUintSize(clock) + 1

/**
 * Splits a Yjs v1 update into updates of at most `maxChunkBytes` each (a single struct larger than
 * that gets a chunk of its own), such that applying them in order to an empty Y.Doc gives the same
 * document as applying `update`. The delete set comes last: deleting needs the items.
 *
 * Structs are emitted in causal order (a struct after everything it points at: its left and right
 * origins and its parent), not client by client: Yjs keeps a struct whose dependency has not arrived
 * as "pending" and re-merges the whole pending set on every later update, so chunks in client order
 * would make loading a many-author document quadratic and end with one huge blocking apply.
 */
export function splitUpdate(update: Uint8Array, maxChunkBytes: number): Uint8Array[] {
  const { structs, ds } = Y.decodeUpdate(update)
  const byClient = new Map<number, Struct[]>()
  for (const struct of structs) {
    if (struct instanceof Y.Skip) throw new Error('cannot split an update with gaps (Skip structs)')
    let list = byClient.get(struct.id.client)
    if (!list) byClient.set(struct.id.client, (list = []))
    list.push(struct)
  }
  return splitStructs(byClient, ds, maxChunkBytes)
}

/**
 * The same chunks as splitUpdate(Y.encodeStateAsUpdate(doc)), read straight from the document's
 * struct store: a compaction saves encoding the whole document and decoding it again.
 */
export function splitDocument(doc: Y.Doc, maxChunkBytes: number): Uint8Array[] {
  return splitStructs(doc.store.clients as Map<number, Struct[]>, Y.createDeleteSetFromStructStore(doc.store), maxChunkBytes)
}

function splitStructs(byClient: Map<number, Struct[]>, ds: DeleteSet, maxChunkBytes: number): Uint8Array[] {
  const clients: ClientStructs[] = []
  for (const [client, structs] of byClient) {
    if (structs.length === 0) continue
    const last = structs[structs.length - 1]
    clients.push({ client, structs, next: 0, startClock: structs[0].id.clock, endClock: last.id.clock + last.length })
  }
  // Higher client ids first, as Yjs writes them.
  clients.sort((a, b) => b.client - a.client)
  const builder = new ChunkBuilder(maxChunkBytes)
  for (const struct of causalOrder(clients)) builder.add(struct)
  return builder.finish(ds)
}

/**
 * The item whose type an item is inserted into, when the encoding names it (only without origins;
 * otherwise the parent comes from the origin). Decoded items hold an ID or a root type's name,
 * integrated ones the type itself.
 */
function parentId(item: Y.Item): Y.ID | null {
  if (item.origin !== null || item.rightOrigin !== null) return null
  const parent = item.parent as unknown
  if (parent instanceof Y.ID) return parent
  if (parent instanceof Y.AbstractType) return parent._item?.id ?? null
  return null
}

/**
 * Yields every struct once, each after the structs it depends on. Depth-first like Yjs's own
 * integrateStructs: when a client's next struct waits for another client, that client goes on a
 * stack until it has caught up. A dependency outside the update counts as present (waiting cannot
 * help), and a cycle, impossible in a valid update, is broken by emitting anyway.
 */
function* causalOrder(clients: ClientStructs[]): Generator<Struct> {
  const byClient = new Map(clients.map((c) => [c.client, c]))
  const blockingClient = (struct: Struct): ClientStructs | null => {
    if (!(struct instanceof Y.Item)) return null
    for (const dep of [struct.origin, struct.rightOrigin, parentId(struct)]) {
      if (dep === null || dep.client === struct.id.client) continue
      const owner = byClient.get(dep.client)
      if (!owner || dep.clock < owner.startClock || dep.clock >= owner.endClock) continue
      if (owner.next < owner.structs.length && dep.clock >= owner.structs[owner.next].id.clock) return owner
    }
    return null
  }
  for (const start of clients) {
    const stack = [start]
    let stalls = 0
    while (stack.length > 0) {
      const top = stack[stack.length - 1]
      if (top.next >= top.structs.length) {
        stack.pop()
        continue
      }
      const struct = top.structs[top.next]
      const waitFor = blockingClient(struct)
      if (waitFor === null || stalls > 2 * clients.length + 2) {
        yield struct
        top.next++
        stalls = 0
        continue
      }
      stalls++
      const below = stack.indexOf(waitFor)
      // Already on the stack: go back down to it; it may have caught up by the time we return here.
      if (below === -1) stack.push(waitFor)
      else stack.length = below + 1
    }
  }
}

class ChunkBuilder {
  private readonly chunks: Uint8Array[] = []
  private run: Run | null = null

  constructor(private readonly maxBytes: number) {}

  add(struct: Struct): void {
    const { client, clock } = struct.id
    if (this.run && this.run.client !== client) this.flush()
    const run = (this.run ??= { client, clock, count: 0, encoder: new Y.UpdateEncoderV1() })
    // Written straight into the run, no scratch copy per struct; moved to the next chunk in the rare
    // case that it overflows this one.
    const before = encoding.length(run.encoder.restEncoder)
    struct.write(run.encoder, 0)
    const size = encoding.length(run.encoder.restEncoder) - before
    if (run.count > 0 && chunkOverhead(run.client, run.clock) + before + size > this.maxBytes) {
      const written = encoding.toUint8Array(run.encoder.restEncoder)
      run.encoder = encoderWith(written.subarray(0, before))
      this.flush()
      this.run = { client, clock, count: 1, encoder: encoderWith(written.subarray(before)) }
      return
    }
    run.count++
  }

  /** The struct chunks, then the delete set in chunks of its own (at least one, maybe empty). */
  finish(ds: DeleteSet): Uint8Array[] {
    this.flush()
    for (const section of splitDeleteSet(ds, this.maxBytes - 1)) {
      const chunk = new Uint8Array(section.length + 1)
      chunk.set(section, 1) // chunk[0] = 0: no structs
      this.chunks.push(chunk)
    }
    return this.chunks
  }

  private flush(): void {
    const run = this.run
    if (!run) return
    const encoder = new Y.UpdateEncoderV1()
    const out = encoder.restEncoder
    encoding.writeVarUint(out, 1)
    encoding.writeVarUint(out, run.count)
    encoder.writeClient(run.client)
    encoding.writeVarUint(out, run.clock)
    encoding.writeUint8Array(out, encoding.toUint8Array(run.encoder.restEncoder))
    encoding.writeVarUint(out, 0)
    this.chunks.push(encoder.toUint8Array())
    this.run = null
  }
}

function encoderWith(bytes: Uint8Array): Y.UpdateEncoderV1 {
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeUint8Array(encoder.restEncoder, bytes)
  return encoder
}

/**
 * Encodes a delete set as Yjs's writeDeleteSet does in v1 (varuint #clients; per client, in
 * descending order: varuint client, varuint #ranges, then varuint clock and length per range), but
 * as sections of at most `maxBytes` each: a big document's delete set runs to hundreds of kB, and
 * applying it in one piece would be the longest slice of a load. A client's ranges may be spread
 * over several sections; deletions simply add up.
 */
function splitDeleteSet(ds: DeleteSet, maxBytes: number): Uint8Array[] {
  const sections: Uint8Array[] = []
  let clients: Array<{ client: number; ranges: encoding.Encoder; count: number }> = []
  let bytes = MAX_COUNT_BYTES
  const flush = () => {
    const out = encoding.createEncoder()
    encoding.writeVarUint(out, clients.length)
    for (const entry of clients) {
      encoding.writeVarUint(out, entry.client)
      encoding.writeVarUint(out, entry.count)
      encoding.writeUint8Array(out, encoding.toUint8Array(entry.ranges))
    }
    sections.push(encoding.toUint8Array(out))
    clients = []
    bytes = MAX_COUNT_BYTES
  }
  for (const [client, items] of [...ds.clients.entries()].sort((a, b) => b[0] - a[0])) {
    let entry: (typeof clients)[number] | null = null
    for (const item of items) {
      const size = varUintSize(item.clock) + varUintSize(item.len)
      const header = entry ? 0 : varUintSize(client) + MAX_COUNT_BYTES
      if (clients.length > 0 && bytes + header + size > maxBytes) {
        flush()
        entry = null
      }
      if (!entry) {
        entry = { client, ranges: encoding.createEncoder(), count: 0 }
        clients.push(entry)
        bytes += varUintSize(client) + MAX_COUNT_BYTES
      }
      encoding.writeVarUint(entry.ranges, item.clock)
      encoding.writeVarUint(entry.ranges, item.len)
      entry.count++
      bytes += size
    }
  }
  if (clients.length > 0 || sections.length === 0) flush()
  return sections
}
