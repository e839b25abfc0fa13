import { describe, expect, it } from 'vitest'
import { Schema } from '@tiptap/pm/model'
import { changedRange, isInsideOneTextblock, mapOfChange } from './changedRange'

const schema = new Schema({
  nodes: { doc: { content: 'block+' }, paragraph: { group: 'block', content: 'text*' }, text: {} },
})
const doc = (...paragraphs: string[]) =>
  schema.node('doc', null, paragraphs.map((p) => schema.node('paragraph', null, p ? [schema.text(p)] : [])))

describe('changedRange', () => {
  it('answers the same pair once for all who ask (several plugins, every transaction), and each new pair afresh', () => {
    const before = doc('abc', 'x')
    const typed = doc('abXc', 'x')
    const first = changedRange(before, typed)
    expect(changedRange(before, typed)).toBe(first)
    expect(changedRange(before, doc('abc', 'xY'))).toEqual({ start: 7, endA: 7, endB: 8 })
    expect(changedRange(before, typed)).toEqual({ start: 3, endA: 3, endB: 4 })
  })

  it('is null for equal documents', () => {
    expect(changedRange(doc('甲乙', '丙'), doc('甲乙', '丙'))).toBeNull()
  })

  it('finds one inserted character, also among repeated ones', () => {
    expect(changedRange(doc('abc', 'x'), doc('abXc', 'x'))).toEqual({ start: 3, endA: 3, endB: 4 })
    const r = changedRange(doc('aa'), doc('aaa'))!
    expect(r.endB - r.start - (r.endA - r.start)).toBe(1)
    expect(r.endA).toBeGreaterThanOrEqual(r.start)
    expect(r.endB).toBeGreaterThanOrEqual(r.start)
  })

  it('finds a deletion among repeated characters', () => {
    const r = changedRange(doc('aaa'), doc('aa'))!
    expect(r.endA - r.endB).toBe(1)
    expect(r.endB).toBeGreaterThanOrEqual(r.start)
  })

  it('maps positions after the change by its size and leaves earlier ones alone', () => {
    const a = doc('一二三', '四五六')
    const b = doc('一二三', '四X五六')
    const map = mapOfChange(changedRange(a, b)!)
    expect(map.map(2)).toBe(2)
    expect(map.map(8)).toBe(9)
  })

  it('tells typing inside one paragraph from a change across paragraphs', () => {
    const a = doc('一二三', '四五六')
    expect(isInsideOneTextblock(a, doc('一二X三', '四五六'), changedRange(a, doc('一二X三', '四五六'))!)).toBe(true)
    expect(isInsideOneTextblock(a, doc('一二三四五六'), changedRange(a, doc('一二三四五六'))!)).toBe(false)
    expect(isInsideOneTextblock(a, doc('一二三', '四五六', ''), changedRange(a, doc('一二三', '四五六', ''))!)).toBe(false)
  })
})
