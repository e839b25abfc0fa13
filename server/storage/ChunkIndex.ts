import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** A struct chunk's run: where its structs sit in the chunk. */
interface IndexedRun {
  clock: number
  count: number
  structs: Uint8Array
}

/**
 * The chunks of a state file (as splitUpdate writes them), indexed so that they can be joined back
 * into single updates without decoding a struct: a client that must receive a big document in one
 * piece gets it for the cost of a memory copy.
 */
export class ChunkIndex {
  private constructor(
    /** Each client's runs in clock order. */
    private readonly runs: Map<number, IndexedRun[]>,
    /** Delete set sections (each: varuint #clients, then the clients' ranges). */
    private readonly deleteSets: Uint8Array[],
    /** Where each client's content in the chunks ends, when known (the state vector they produce). */
    private ends: ReadonlyMap<number, number>,
  ) {}

  /** Tells where each client's content ends: the state vector of a document holding just the chunks. */
  setEnds(stateVector: ReadonlyMap<number, number>): void {
    this.ends = stateVector
  }

  /** Throws on a chunk that splitUpdate would not have written. */
  static of(chunks: readonly Uint8Array[], ends: ReadonlyMap<number, number> = new Map()): ChunkIndex {
    const runs = new Map<number, IndexedRun[]>()
    const deleteSets: Uint8Array[] = []
    for (const chunk of chunks) {
      const decoder = decoding.createDecoder(chunk)
      const clients = decoding.readVarUint(decoder)
      if (clients === 0) {
        deleteSets.push(chunk.subarray(decoder.pos))
        continue
      }
      const count = decoding.readVarUint(decoder)
      const client = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      if (clients !== 1 || chunk[chunk.length - 1] !== 0) throw new Error('not a single-client chunk with an empty delete set')
      let list = runs.get(client)
      if (!list) runs.set(client, (list = []))
      list.push({ clock, count, structs: chunk.subarray(decoder.pos, chunk.length - 1) })
    }
    return new ChunkIndex(runs, deleteSets, ends)
  }

  /**
   * One update holding what the chunks have and a peer with state vector `known` lacks: each client's
   * runs from the first one the peer does not have entirely (a run the peer has in part goes whole:
   * Yjs skips what it already has), plus the whole delete set. Clients the peer is up to date with
   * are left out when `ends` was given.
   */
  missing(known: ReadonlyMap<number, number> = new Map()): Uint8Array {
    return Buffer.concat(this.missingParts(known))
  }

  /** missing(), as pieces to be concatenated: a caller that frames them copies a big document once, not twice. */
  missingParts(known: ReadonlyMap<number, number> = new Map()): Uint8Array[] {
    const header = encoding.createEncoder()
    const parts: Uint8Array[] = []
    let clients = 0
    for (const [client, list] of [...this.runs.entries()].sort((a, b) => b[0] - a[0])) {
      const has = known.get(client) ?? 0
      let first = 0
      while (first + 1 < list.length && list[first + 1].clock <= has) first++
      const sending = list.slice(first)
      if (has >= (this.ends.get(client) ?? Infinity)) continue
      clients++
      const section = encoding.createEncoder()
      encoding.writeVarUint(section, sending.reduce((sum, run) => sum + run.count, 0))
      encoding.writeVarUint(section, client)
      encoding.writeVarUint(section, sending[0].clock)
      parts.push(encoding.toUint8Array(section), ...sending.map((run) => run.structs))
    }
    encoding.writeVarUint(header, clients)
    parts.unshift(encoding.toUint8Array(header))
    parts.push(joinDeleteSets(this.deleteSets))
    return parts
  }
}

/** Delete set sections concatenated into one: the client counts add up (a client may appear twice). */
function joinDeleteSets(sections: Uint8Array[]): Uint8Array {
  if (sections.length === 1) return sections[0]
  const bodies: Uint8Array[] = []
  let clients = 0
  for (const section of sections) {
    const decoder = decoding.createDecoder(section)
    clients += decoding.readVarUint(decoder)
    bodies.push(section.subarray(decoder.pos))
  }
  const header = encoding.createEncoder()
  encoding.writeVarUint(header, clients)
  return Buffer.concat([encoding.toUint8Array(header), ...bodies])
}
