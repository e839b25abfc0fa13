import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CommentThread } from '../../comments/threads'
import { schema } from '../schema'
import { checkReport } from './checkReport'
import { plainTextToDocJSON } from './plainText'

const sample = readFileSync(path.join(__dirname, '../../report/__fixtures__/2022-party-building-report.txt'), 'utf8')
const doc = (text: string) => schema.nodeFromJSON(plainTextToDocJSON(text))

const thread = (id: string, resolved: boolean): CommentThread => ({
  id,
  authorId: 'a',
  authorName: '王局长',
  createdAt: '2026-01-01T00:00:00Z',
  quote: '原文',
  resolved,
  resolvedBy: null,
  resolvedAt: null,
  messages: [{ id: 'm', authorId: 'a', authorName: '王局长', createdAt: '2026-01-01T00:00:00Z', text: '请核实' }],
})

describe('checkReport', () => {
  it('flags the sample\'s 20 unfilled figures and nothing else', () => {
    const result = checkReport(doc(sample), [])
    expect(result.ok).toBe(false)
    expect(result.unfilledPlaceholders).toHaveLength(20)
    expect(result.pendingSuggestions).toEqual([])
    expect(result.openThreads).toEqual([])
    expect(result.emptySections).toEqual([])
  })

  it('passes a complete report with only resolved threads', () => {
    const result = checkReport(doc('标题\n一、总体情况\n全年召开会议12次。'), [thread('t1', true)])
    expect(result).toMatchObject({ ok: true, unfilledPlaceholders: [], openThreads: [], emptySections: [] })
  })

  it('flags open threads, with their quote when the anchor text is gone', () => {
    const result = checkReport(doc('标题\n正文。'), [thread('t1', false), thread('t2', true)])
    expect(result.ok).toBe(false)
    expect(result.openThreads).toEqual([{ id: 't1', authorName: '王局长', quote: '原文', from: null, sectionPath: [], messages: 1 }])
  })

  it('flags sections without a body and sections without a title', () => {
    const json = plainTextToDocJSON('标题\n一、有内容\n正文。\n二、空章节\n三、有子章节\n（一）子章节。正文。')
    // An empty title: blank out the title of 一、.
    const first = (json.content![1].content![0] as { content?: unknown[] })
    first.content = []
    const result = checkReport(schema.nodeFromJSON(json), [])
    expect(result.emptySections.map((s) => [s.label, s.reason])).toEqual([
      ['一、', 'no-title'],
      ['二、空章节', 'no-body'],
    ])
  })

  it('flags pending suggestions', () => {
    const json = plainTextToDocJSON('标题\n正文。')
    json.content![1].content = [
      { type: 'text', text: '新增', marks: [{ type: 'insertion', attrs: { id: 's1', authorId: 'a', authorName: '王局长', createdAt: null } }] },
      { type: 'text', text: '正文。' },
    ]
    const result = checkReport(schema.nodeFromJSON(json), [])
    expect(result.pendingSuggestions).toMatchObject([{ id: 's1', inserted: '新增', authorName: '王局长' }])
    expect(result.ok).toBe(false)
  })
})
