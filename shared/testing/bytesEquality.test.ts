import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { bytesEqual } from './bytesEquality'

describe('toEqual on typed arrays (bytesEqual, installed by the setup file vitestSetup.ts)', () => {
  it('answers as Vitest does: bytes, length and kind decide', () => {
    const bytes = new Uint8Array([1, 2, 3, 4])
    expect(new Uint8Array([1, 2, 3, 4])).toEqual(bytes)
    expect(new Uint8Array([1, 2, 3, 5])).not.toEqual(bytes)
    expect(new Uint8Array([1, 2, 3])).not.toEqual(bytes)
    expect(Buffer.from(bytes)).not.toEqual(bytes)
    expect(Buffer.from(bytes)).toEqual(Buffer.from([1, 2, 3, 4]))
    // A view compares its own bytes, not the rest of its buffer.
    expect(new Uint8Array([9, 1, 2, 3, 4, 9]).subarray(1, 5)).toEqual(bytes)
    expect(new Uint16Array([1, 0x200])).toEqual(new Uint16Array([1, 0x200]))
    expect(new Uint16Array([1, 0x200])).not.toEqual(new Uint16Array([1, 0x201]))
    expect({ update: new Uint8Array([7]) }).toEqual({ update: new Uint8Array([7]) })
    expect({ update: new Uint8Array([7]) }).not.toEqual({ update: new Uint8Array([8]) })
    // Floats (NaN, -0) and non-arrays are left to Vitest.
    expect(bytesEqual(new Float64Array([Number.NaN]), new Float64Array([Number.NaN]))).toBeUndefined()
    expect(bytesEqual([1, 2], [1, 2])).toBeUndefined()
  })

  it('compares two equal Yjs updates without a pair of entries per byte (the setup file is installed)', () => {
    const doc = new Y.Doc()
    doc.getText('text').insert(0, '会议强调，要坚持稳中求进工作总基调。'.repeat(6_000))
    const update = Y.encodeStateAsUpdate(doc)
    expect(update.length).toBeGreaterThan(300_000)
    // Vitest's own walk ends with Object.entries() of both arrays (millions of [index, value] pairs).
    const entries = vi.spyOn(Object, 'entries')
    try {
      expect(Y.encodeStateAsUpdate(doc)).toEqual(update)
      expect(entries.mock.calls.filter(([value]) => ArrayBuffer.isView(value))).toEqual([])
    } finally {
      entries.mockRestore()
    }
  })
})
