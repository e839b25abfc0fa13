import { crc32 } from 'node:zlib'

/**
 * The frame format shared by the update log and the state file: uint32 LE payload length,
 * uint32 LE crc32 of the payload, payload. The checksum tells a torn or damaged write from data.
 */
export const FRAME_HEADER_BYTES = 8

/** Below this, CRC-32 in JavaScript beats a call into zlib (most updates are a few dozen bytes). */
const SMALL_PAYLOAD_BYTES = 1024
const CRC_TABLE = new Int32Array(256)
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  CRC_TABLE[n] = c
}

/** zlib's crc32 of data[start, end). Per call, zlib's native one costs more than a short payload's bytes. */
export function checksum(data: Uint8Array, start: number, end: number): number {
  if (end - start >= SMALL_PAYLOAD_BYTES) return crc32(data.subarray(start, end))
  let c = -1
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8)
  return (c ^ -1) >>> 0
}

export function encodeFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length)
  frame.writeUInt32LE(payload.length, 0)
  frame.writeUInt32LE(checksum(payload, 0, payload.length), 4)
  frame.set(payload, FRAME_HEADER_BYTES)
  return frame
}

/**
 * The payloads of a run of frames, without materialising them: a crash can leave a log of hundreds
 * of thousands of updates, and creating a typed-array view per update up front costs tens of
 * milliseconds of blocked event loop; `slice` creates them a batch at a time, when applied.
 */
export class FrameList {
  constructor(
    private readonly data: Uint8Array,
    /** Payload start and length, in pairs. */
    private readonly extents: number[],
  ) {}

  static readonly EMPTY = new FrameList(new Uint8Array(0), [])

  /** A list of separate payloads (as a database returns them), joined into one buffer. */
  static of(payloads: readonly Uint8Array[]): FrameList {
    const extents: number[] = []
    let offset = 0
    for (const payload of payloads) {
      extents.push(offset, payload.length)
      offset += payload.length
    }
    return new FrameList(Buffer.concat(payloads, offset), extents)
  }

  get length(): number {
    return this.extents.length / 2
  }

  /** Bytes of the largest payload. */
  largest(): number {
    let largest = 0
    for (let i = 1; i < this.extents.length; i += 2) largest = Math.max(largest, this.extents[i])
    return largest
  }

  /** Where a batch from `start` ends: at most `count` payloads, and at most `bytes` of them unless the first is bigger. */
  batchEnd(start: number, count: number, bytes: number): number {
    let end = start
    for (let total = 0; end < this.length && end - start < count; end++) {
      total += this.extents[2 * end + 1]
      if (total > bytes && end > start) break
    }
    return end
  }

  /** The payloads [start, end) as views into the data read (no copy). */
  slice(start = 0, end = this.length): Uint8Array[] {
    const out: Uint8Array[] = []
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++) {
      out.push(new Uint8Array(this.data.buffer, this.data.byteOffset + this.extents[2 * i], this.extents[2 * i + 1]))
    }
    return out
  }
}

export interface ReadFramesResult {
  frames: FrameList
  /** Bytes of complete, valid frames from the start: everything after is torn or damaged. */
  validBytes: number
  /**
   * Where a damaged frame sits: the data after validBytes is not a torn tail (a short final write)
   * but corruption, and must not be cut off. Null when the data is whole or ends in a torn tail.
   */
  corruptAt: number | null
}

/**
 * No frame this project writes comes near this (updates are bounded by MAX_MESSAGE_BYTES, state
 * chunks by STATE_CHUNK_BYTES): a larger length is a damaged header, never a frame cut short.
 */
export const MAX_FRAME_BYTES = 1024 * 1024 * 1024
/** Work the torn-tail check may spend looking for whole frames after a cut one, in checksummed bytes. */
const TAIL_SCAN_BUDGET_BYTES = 256 * 1024 * 1024

/**
 * Reads frames from the start of `data` up to the first incomplete or bad one, and tells a torn
 * tail from corruption. A crash during the log's one write per group commit leaves a prefix of that
 * write: whole frames, then at most one frame cut short (a partial header, or a header whose length
 * runs past the end). So only an incomplete last frame with a plausible length, after which no
 * whole frame follows, is torn. Everything else is corruption: a whole frame with a bad checksum
 * (even the last one: a crash shortens a write, it does not change its bytes), a length no frame
 * can have (0x7fffffff), or a length that runs past the end while whole frames follow it (a
 * damaged header in the middle, which would otherwise cut off half the document as "torn").
 */
export function readFrames(data: Uint8Array, limit = data.length): ReadFramesResult {
  return scanToEnd(scanFrames(data, limit, Infinity))
}

/** Runs a scan that never yields (an infinite slice) to its result. */
function scanToEnd(scan: Generator<void, ReadFramesResult, void>): ReadFramesResult {
  let step = scan.next()
  while (!step.done) step = scan.next()
  return step.value
}

/** Frames checked between two looks at the clock while scanning in slices (a look costs more than a short frame). */
const FRAMES_PER_CLOCK_CHECK = 256
/** Checksummed bytes between two looks at the clock (a big frame's checksum takes a while on its own). */
const BYTES_PER_CLOCK_CHECK = 256 * 1024

/**
 * readFrames, a slice of about `sliceMs` at a time with `pause()` in between, for the main thread:
 * checking every frame of a crash-left log is one pass over all of it (the W5 trace's 7 MB log,
 * 259,778 frames: 50–70 ms of CPU), which in one piece would stall every other document's messages.
 * Same result as readFrames.
 */
export async function readFramesInSlices(
  data: Uint8Array,
  options: { sliceMs: number; pause: () => Promise<void> },
  limit = data.length,
): Promise<ReadFramesResult> {
  const scan = scanFrames(data, limit, options.sliceMs)
  for (let step = scan.next(); ; step = scan.next()) {
    if (step.done) return step.value
    await options.pause()
  }
}

/**
 * The scan behind readFrames: yields (nothing) whenever `sliceMs` has passed since the scan started
 * or last resumed, and returns the result. With an infinite `sliceMs` it never yields.
 */
function* scanFrames(
  data: Uint8Array,
  limit: number,
  sliceMs: number,
  accept?: (payload: Uint8Array) => boolean,
): Generator<void, ReadFramesResult, void> {
  const view = new DataView(data.buffer, data.byteOffset, Math.min(limit, data.length))
  const extents: number[] = []
  const result = (validBytes: number, corruptAt: number | null) => ({ frames: new FrameList(data, extents), validBytes, corruptAt })
  const sliced = Number.isFinite(sliceMs)
  let sliceEnds = sliced ? performance.now() + sliceMs : Infinity
  let framesSinceCheck = 0
  let bytesSinceCheck = 0
  let offset = 0
  while (offset + FRAME_HEADER_BYTES <= view.byteLength) {
    const length = view.getUint32(offset, true)
    const expected = view.getUint32(offset + 4, true)
    const end = offset + FRAME_HEADER_BYTES + length
    if (end > view.byteLength) {
      const torn = length <= MAX_FRAME_BYTES && findWholeFrame(data, view, offset + 1, view.byteLength, accept) === null
      return result(offset, torn ? null : offset)
    }
    if (checksum(data, offset + FRAME_HEADER_BYTES, end) !== expected) return result(offset, offset)
    extents.push(offset + FRAME_HEADER_BYTES, length)
    offset = end
    if (sliced && (++framesSinceCheck >= FRAMES_PER_CLOCK_CHECK || (bytesSinceCheck += length) >= BYTES_PER_CLOCK_CHECK)) {
      framesSinceCheck = 0
      bytesSinceCheck = 0
      if (performance.now() >= sliceEnds) {
        yield
        sliceEnds = performance.now() + sliceMs
      }
    }
  }
  return result(offset, null)
}

/**
 * The first offset in [from, to) where a whole, non-empty frame with a matching checksum (and a
 * payload `accept` takes) starts. A torn tail is the start of one frame: finding a whole frame in it
 * means the header before was damaged, and it is where reading can go on after that damage. Past the
 * budget (a torn tail of hundreds of megabytes), 'over-budget': counted as a whole frame found, since
 * refusing keeps every byte where cutting the tail might not.
 */
function findWholeFrame(
  data: Uint8Array,
  view: DataView,
  from: number,
  to: number,
  accept: (payload: Uint8Array) => boolean = () => true,
): number | 'over-budget' | null {
  let budget = TAIL_SCAN_BUDGET_BYTES
  for (let start = from; start + FRAME_HEADER_BYTES < to; start++) {
    const length = view.getUint32(start, true)
    const end = start + FRAME_HEADER_BYTES + length
    if (length === 0 || end > to) continue
    budget -= length
    if (budget < 0) return 'over-budget'
    if (checksum(data, start + FRAME_HEADER_BYTES, end) === view.getUint32(start + 4, true) && accept(data.subarray(start + FRAME_HEADER_BYTES, end))) return start
  }
  return null
}

export interface ReadAroundDamageResult {
  /** Every whole frame with a matching checksum, in order, before and after damaged stretches. */
  frames: Uint8Array[]
  /** The damaged stretches [start, end), in order; a torn tail is not one. */
  damaged: Array<[number, number]>
  /** Bytes of complete frames, damage and all, before a torn tail (data.length when there is none). */
  validBytes: number
}

/**
 * readFrames that goes on after damage: from each damaged frame, the next offset where a whole frame
 * with a matching checksum starts — and whose payload `accept`s, since frames may hold frames (a
 * journal record holds log frames) — is where reading resumes (a false match of the checksum has
 * odds of 2^-32 per offset tried). For a file shared by many documents (the journal), where one
 * damaged record must not cost the others theirs. Past the scan budget the rest counts as damaged.
 */
export function readFramesAroundDamage(data: Uint8Array, accept?: (payload: Uint8Array) => boolean): ReadAroundDamageResult {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const frames: Uint8Array[] = []
  const damaged: Array<[number, number]> = []
  for (let offset = 0; ; ) {
    const segment = data.subarray(offset)
    const read = scanToEnd(scanFrames(segment, segment.length, Infinity, accept))
    for (const frame of read.frames.slice()) frames.push(frame)
    if (read.corruptAt === null) return { frames, damaged, validBytes: offset + read.validBytes }
    const at = offset + read.corruptAt
    const next = findWholeFrame(data, view, at + 1, data.length, accept)
    if (typeof next !== 'number') {
      damaged.push([at, data.length])
      return { frames, damaged, validBytes: data.length }
    }
    damaged.push([at, next])
    offset = next
  }
}
