import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chunkByWeight, isChunkShown } from './chunks'

describe('chunkByWeight', () => {
  it('keeps every item once, in order, each run within the limit unless it is one heavy item, and closes a run only when the next item does not fit', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 50 }), { maxLength: 200 }), fc.integer({ min: 1, max: 60 }), (weights, max) => {
        const items = weights.map((w, index) => ({ index, w }))
        const chunks = chunkByWeight(items, (item) => item.w, max)
        expect(chunks.flat()).toEqual(items)
        const sum = (chunk: typeof items) => chunk.reduce((s, item) => s + item.w, 0)
        chunks.forEach((chunk, i) => {
          expect(chunk.length).toBeGreaterThan(0)
          if (chunk.length > 1) expect(sum(chunk)).toBeLessThanOrEqual(max)
          // Greedy: the next run's first item would have overflowed this one.
          if (i + 1 < chunks.length) expect(sum(chunk) + chunks[i + 1][0].w).toBeGreaterThan(max)
        })
      }),
    )
  })

  it('leaves the earlier runs alone when items change after them', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 100 }), fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 30 }), (weights, tail) => {
        const before = chunkByWeight(weights, (w) => w, 30)
        const after = chunkByWeight([...weights, ...tail], (w) => w, 30)
        expect(after.slice(0, before.length - 1)).toEqual(before.slice(0, -1))
      }),
    )
  })

  it('gives a 1,000-figure list in runs of the given size', () => {
    const groups = Array.from({ length: 100 }, (_, i) => ({ key: `s${i}`, entries: 10 }))
    const chunks = chunkByWeight(groups, (g) => g.entries + 1, 33)
    expect(chunks).toHaveLength(34)
    expect(chunks[0].map((g) => g.key)).toEqual(['s0', 's1', 's2'])
  })
})

describe('isChunkShown', () => {
  it('shows the first chunk at once and another once any of its items was revealed', () => {
    expect(isChunkShown(0, ['a'], new Set())).toBe(true)
    expect(isChunkShown(3, ['b', 'c'], new Set())).toBe(false)
    expect(isChunkShown(3, ['b', 'c'], new Set(['c']))).toBe(true)
  })
})
