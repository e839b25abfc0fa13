import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createThread, onlyOwnCommentChanges, readThreads, replyToThread, setThreadResolved } from './threads'

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

describe('onlyOwnCommentChanges', () => {
  const base = () => {
    const doc = new Y.Doc()
    createThread(doc, { id: 't1', author: leader, text: '请核实', quote: 'q', messageId: 'm1' })
    return doc
  }
  const check = (change: (doc: Y.Doc) => void, userId: string) => {
    const doc = base()
    const before = readThreads(doc)
    change(doc)
    return onlyOwnCommentChanges(before, readThreads(doc), userId)
  }

  it('allows own new threads, own replies, and resolving', () => {
    expect(check((doc) => createThread(doc, { id: 't2', author: drafter, text: 'x', quote: 'y', messageId: 'm2' }), drafter.id)).toBe(true)
    expect(check((doc) => replyToThread(doc, 't1', drafter, '好', 'm3'), drafter.id)).toBe(true)
    expect(check((doc) => setThreadResolved(doc, 't1', true, drafter), drafter.id)).toBe(true)
  })

  it('refuses deleting a thread, replying or starting a thread in someone else\'s name, and editing a message', () => {
    expect(check((doc) => doc.getMap('comments').delete('t1'), drafter.id)).toBe(false)
    expect(check((doc) => replyToThread(doc, 't1', leader, '冒名', 'm3'), drafter.id)).toBe(false)
    expect(check((doc) => createThread(doc, { id: 't2', author: leader, text: 'x', quote: 'y', messageId: 'm2' }), drafter.id)).toBe(false)
    expect(
      check((doc) => {
        const messages = (doc.getMap('comments').get('t1') as Y.Map<unknown>).get('messages') as Y.Array<unknown>
        messages.delete(0, 1)
        messages.insert(0, [{ id: 'm1', authorId: leader.id, authorName: leader.name, createdAt: 'x', text: '改过' }])
      }, drafter.id),
    ).toBe(false)
  })
})
