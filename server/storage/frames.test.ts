import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { propertyRuns } from '../../shared/testing/propertyRuns'
import { encodeFrame, FRAME_HEADER_BYTES, readFrames, readFramesAroundDamage, readFramesInSlices, type ReadFramesResult } from './frames'

const payloads = fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 12 })
const hex = (data: Uint8Array) => Buffer.from(data).toString('hex')

/** Frames as written, and where each starts. */
function layout(items: Uint8Array[]) {
  const frames = items.map(encodeFrame)
  const starts = frames.map((_, i) => frames.slice(0, i).reduce((sum, frame) => sum + frame.length, 0))
  return { data: Buffer.concat(frames), starts }
}

describe('readFrames: torn tail or corruption', () => {
  it('a write cut anywhere inside the last frame is a torn tail: every whole frame is read, nothing called corrupt', () => {
    fc.assert(
      fc.property(payloads, fc.nat(), (items, cut) => {
        const { data, starts } = layout(items)
        const last = starts.at(-1)!
        const cutAt = last + 1 + (cut % (data.length - last - 1))
        const result = readFrames(data.subarray(0, cutAt))
        expect(result.corruptAt).toBeNull()
        expect(result.validBytes).toBe(last)
        expect(result.frames.slice().map(hex)).toEqual(items.slice(0, -1).map(hex))
      }),
      propertyRuns(300),
    )
  })

  it('one flipped byte is corruption, wherever it is, except a larger length in the last frame (which looks exactly like a cut write and is kept aside)', () => {
    fc.assert(
      fc.property(payloads, fc.nat(), fc.integer({ min: 1, max: 255 }), (items, at, mask) => {
        const { data, starts } = layout(items)
        const index = at % data.length
        const damaged = Buffer.from(data)
        damaged[index] ^= mask
        const result = readFrames(damaged)
        const last = starts.at(-1)!
        const inLastLength = index >= last && index < last + 4 && damaged.readUInt32LE(last) > data.readUInt32LE(last)
        if (inLastLength) {
          expect(result.corruptAt === null || result.corruptAt === last).toBe(true)
          expect(result.validBytes).toBe(last)
        } else {
          expect(result.corruptAt).not.toBeNull()
          // What comes before the damaged frame is intact.
          const frame = starts.findLastIndex((start) => start <= index)
          expect(result.validBytes).toBe(starts[frame])
        }
      }),
      propertyRuns(500),
    )
  })

  it('a length of 0x7fffffff is corruption even in the last frame', () => {
    const { data, starts } = layout([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])])
    data.writeUInt32LE(0x7fffffff, starts[1])
    expect(readFrames(data)).toMatchObject({ validBytes: starts[1], corruptAt: starts[1] })
    expect(FRAME_HEADER_BYTES).toBe(8)
  })
})

describe('readFramesAroundDamage: one damaged frame does not cost the others theirs', () => {
  it('with any frames damaged by a flipped byte, every other frame is read, in order, and the damaged and torn bytes are exactly the damaged frames', () => {
    fc.assert(
      fc.property(
        payloads.filter((items) => items.length >= 2),
        fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (items, picks, at, mask) => {
          const { data, starts } = layout(items)
          const damagedFrames = new Set(picks.map((pick) => pick % items.length))
          const damaged = Buffer.from(data)
          for (const frame of damagedFrames) {
            const size = (starts[frame + 1] ?? data.length) - starts[frame]
            damaged[starts[frame] + (at % size)] ^= mask
          }
          const result = readFramesAroundDamage(damaged)
          expect(result.frames.map(hex)).toEqual(items.filter((_, i) => !damagedFrames.has(i)).map(hex))
          const lost = result.damaged.reduce((sum, [start, end]) => sum + end - start, 0) + (data.length - result.validBytes)
          const expected = [...damagedFrames].reduce((sum, frame) => sum + (starts[frame + 1] ?? data.length) - starts[frame], 0)
          expect(lost).toBe(expected)
        },
      ),
      propertyRuns(400),
    )
  })

  it('frames that hold frames: reading resumes only where the caller accepts the payload', () => {
    const inner = [encodeFrame(new Uint8Array([7, 7, 7])), encodeFrame(new Uint8Array([8, 8]))]
    const outer = [Buffer.concat([Buffer.from('A'), ...inner]), Buffer.concat([Buffer.from('B'), ...inner])]
    const { data } = layout(outer)
    data[FRAME_HEADER_BYTES] ^= 1 // the first outer frame's payload: its checksum no longer matches
    const isOuter = (payload: Uint8Array) => payload[0] === 0x41 || payload[0] === 0x42
    expect(readFramesAroundDamage(data, isOuter).frames.map(hex)).toEqual([hex(outer[1])])
    // Without the check, the inner frames of the damaged one would be read as frames of their own.
    expect(readFramesAroundDamage(data).frames.length).toBeGreaterThan(1)
  })
})

describe('readFramesInSlices: the same scan, with the event loop served in between', () => {
  const summary = (result: ReadFramesResult) => ({ validBytes: result.validBytes, corruptAt: result.corruptAt, frames: result.frames.slice().map(hex) })

  it('finds what readFrames finds in whole, torn and damaged data, pausing after every slice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { minLength: 0, maxLength: 700 }),
        fc.oneof(fc.constant('whole' as const), fc.constant('torn' as const), fc.constant('damaged' as const)),
        fc.nat(),
        async (items, damage, at) => {
          let data: Uint8Array = layout(items).data
          if (data.length > 0 && damage === 'torn') data = data.subarray(0, at % data.length)
          if (data.length > 0 && damage === 'damaged') {
            data = Buffer.from(data)
            data[at % data.length] ^= 0x5a
          }
          let pauses = 0
          const sliced = await readFramesInSlices(data, { sliceMs: 0, pause: async () => void pauses++ })
          expect(summary(sliced)).toEqual(summary(readFrames(data)))
          // With no time allowed per slice, the scan stops every 256 frames (or 256 kB) it has checked.
          const read = sliced.frames.length
          expect(pauses).toBeGreaterThanOrEqual(Math.floor(read / 256))
        },
      ),
      propertyRuns(100),
    )
  })

  it('a log of 100,000 updates is checked in many slices, not in one piece', async () => {
    const data = Buffer.concat(Array.from({ length: 100_000 }, (_, i) => encodeFrame(new Uint8Array([i & 0xff, (i >> 8) & 0xff, 7]))))
    let pauses = 0
    const result = await readFramesInSlices(data, { sliceMs: 0, pause: async () => void pauses++ })
    expect(result.frames.length).toBe(100_000)
    expect(result.corruptAt).toBeNull()
    expect(pauses).toBe(Math.floor(100_000 / 256))
    // readFrames itself never pauses: the compaction worker checks a whole file at once.
    expect(readFrames(data).frames.length).toBe(100_000)
  })
})
