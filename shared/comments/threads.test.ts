import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createThread, readThreads, replyToThread, setThreadResolved } from './threads'

const leader = { id: 'leader', name: '王局长' }
const drafter = { id: 'drafter', name: '张明' }

describe('comment threads in the Y.Doc', () => {
  it('create, reply, resolve and reopen, and everything syncs to another replica', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update))
    createThread(a, { id: 't1', author: leader, text: '这里的数字请核实', quote: '主持局委会*次', messageId: 'm1' })
    expect(replyToThread(a, 't1', drafter, '已核实，为12次', 'm2')).toBe(true)
    expect(setThreadResolved(a, 't1', true, drafter)).toBe(true)

    const [thread] = readThreads(b)
    expect(thread).toMatchObject({ id: 't1', authorName: '王局长', quote: '主持局委会*次', resolved: true, resolvedBy: '张明' })
    expect(thread.messages.map((m) => [m.authorName, m.text])).toEqual([
      ['王局长', '这里的数字请核实'],
      ['张明', '已核实，为12次'],
    ])
    setThreadResolved(a, 't1', false, leader)
    expect(readThreads(b)[0]).toMatchObject({ resolved: false, resolvedBy: null })
  })

  it('replying to or resolving an unknown thread fails without changing anything', () => {
    const doc = new Y.Doc()
    expect(replyToThread(doc, 'nope', drafter, 'x', 'm')).toBe(false)
    expect(setThreadResolved(doc, 'nope', true, drafter)).toBe(false)
    expect(readThreads(doc)).toEqual([])
  })

  it('concurrent replies from two people are both kept', () => {
    const a = new Y.Doc()
    createThread(a, { id: 't1', author: leader, text: '请补充', quote: 'x', messageId: 'm1' })
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    replyToThread(a, 't1', leader, '甲的回复', 'm2')
    replyToThread(b, 't1', drafter, '乙的回复', 'm3')
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    expect(readThreads(a)[0].messages).toHaveLength(3)
    expect(readThreads(a)).toEqual(readThreads(b))
  })

  it('skips malformed entries written by a foreign client', () => {
    const doc = new Y.Doc()
    doc.getMap('comments').set('bad', 42 as never)
    createThread(doc, { id: 't1', author: leader, text: '正常', quote: 'q', messageId: 'm1' })
    expect(readThreads(doc).map((t) => t.id)).toEqual(['t1'])
  })
})
