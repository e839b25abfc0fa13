import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { propertyRuns } from '../../shared/testing/propertyRuns'
import { encodeFrame, FRAME_HEADER_BYTES, readFrames } from './frames'

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
