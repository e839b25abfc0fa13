import { describe, expect, it } from 'vitest'
import { mayDeleteMessage, mayDeleteThread, mayWriteThreadField, validOwnMessage, validTimestamp } from './threadModel'

const me = { id: 'u1', name: '审阅人' }
const now = new Date().toISOString()
const message = (overrides: Record<string, unknown> = {}) => ({ id: 'm1', authorId: me.id, authorName: me.name, createdAt: now, text: '意见', ...overrides })

describe('the thread model', () => {
  it('a message is exactly its fields, in the writer’s name, at most 4,000 characters', () => {
    expect(validOwnMessage(message(), me)).toBe(true)
    expect(validOwnMessage(message({ text: '长'.repeat(4_000) }), me)).toBe(true)
    expect(validOwnMessage(message({ text: '长'.repeat(4_001) }), me)).toBe(false)
    expect(validOwnMessage(message({ text: '' }), me)).toBe(false)
    expect(validOwnMessage(message({ authorName: '主笔' }), me)).toBe(false)
    expect(validOwnMessage(message({ authorId: 'u2' }), me)).toBe(false)
    expect(validOwnMessage(message({ extra: 'x' }), me)).toBe(false)
    expect(validOwnMessage(message({ createdAt: 'yesterday' }), me)).toBe(false)
    expect(validOwnMessage(42, me)).toBe(false)
    expect(validOwnMessage([message()], me)).toBe(false)
  })

  it('a new thread is written once in the writer’s name; afterwards only its resolved state changes, in the writer’s name', () => {
    const created = { threadId: 't1', newThread: true, writer: me }
    const existing = { threadId: 't1', newThread: false, writer: me }
    expect(mayWriteThreadField('id', 't1', created)).toBe(true)
    expect(mayWriteThreadField('id', 't2', created)).toBe(false)
    expect(mayWriteThreadField('authorId', 'u1', created)).toBe(true)
    expect(mayWriteThreadField('authorName', '主笔', created)).toBe(false)
    expect(mayWriteThreadField('quote', 'x'.repeat(201), created)).toBe(false)
    expect(mayWriteThreadField('messages', 'array', created)).toBe(true)
    expect(mayWriteThreadField('x-extra', 'x', created)).toBe(false)
    for (const field of ['id', 'authorId', 'authorName', 'createdAt', 'quote', 'messages']) expect(mayWriteThreadField(field, 'x', existing), field).toBe(false)
    expect(mayWriteThreadField('resolved', true, existing)).toBe(true)
    expect(mayWriteThreadField('resolved', 'yes', existing)).toBe(false)
    expect(mayWriteThreadField('resolvedBy', '审阅人', existing)).toBe(true)
    expect(mayWriteThreadField('resolvedBy', '主笔', existing)).toBe(false)
    expect(mayWriteThreadField('resolvedAt', now, existing)).toBe(true)
  })

  it('only a message’s author deletes it; a thread only its author, when every message is theirs', () => {
    expect(mayDeleteMessage(message(), me)).toBe(true)
    expect(mayDeleteMessage(message({ authorId: 'u2' }), me)).toBe(false)
    expect(mayDeleteThread({ authorId: me.id, messages: [message()] }, me)).toBe(true)
    expect(mayDeleteThread({ authorId: me.id, messages: [message(), message({ authorId: 'u2' })] }, me)).toBe(false)
    expect(mayDeleteThread({ authorId: 'u2', messages: [] }, me)).toBe(false)
  })

  it('timestamps are ISO strings not more than a day ahead', () => {
    expect(validTimestamp('1999-01-01T00:00:00.000Z')).toBe(true)
    expect(validTimestamp(new Date(Date.now() + 2 * 86_400_000).toISOString())).toBe(false)
    expect(validTimestamp('2026-13-01')).toBe(false)
  })
})
