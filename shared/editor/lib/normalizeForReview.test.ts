import { describe, expect, it } from 'vitest'
import { schema } from '../schema'
import { normalizeForReview } from './normalizeForReview'

const anchored = (...threadIds: string[]) =>
  schema.nodeFromJSON({
    type: 'doc',
    content: [
      { type: 'reportTitle', content: [{ type: 'text', text: '工作报告' }] },
      { type: 'paragraph', content: [{ type: 'text', text: '认真', marks: threadIds.map((threadId) => ({ type: 'comment', attrs: { threadId } })) }, { type: 'text', text: '研究。' }] },
    ],
  })

describe('normalizeForReview', () => {
  it('compares overlapping comment anchors whatever their order (Yjs rewrites it with the paragraph’s formatting)', () => {
    const first = anchored('t-a', 't-b')
    const second = anchored('t-b', 't-a')
    expect(first.eq(second)).toBe(false)
    const keepAll = () => true
    expect(normalizeForReview(first, 'u-wang', keepAll).eq(normalizeForReview(second, 'u-wang', keepAll))).toBe(true)
    expect(normalizeForReview(first, null, keepAll).eq(normalizeForReview(second, null, keepAll))).toBe(true)
  })

  it('takes out only the anchors it is not told to keep', () => {
    const form = normalizeForReview(anchored('t-b', 't-mine', 't-a'), 'u-wang', (threadId) => threadId !== 't-mine')
    expect(form.child(1).firstChild!.marks.map((mark) => mark.attrs.threadId)).toEqual(['t-a', 't-b'])
    // Nothing to take out or reorder: the same document back.
    const plain = anchored('t-a')
    expect(normalizeForReview(plain, null, () => true)).toBe(plain)
  })
})
