import * as Y from 'yjs'

/** Name of the Y.Map beside the content fragment that holds comment threads (批注), keyed by thread id. */
export const COMMENTS_MAP = 'comments'

export interface Person {
  id: string
  name: string
}

export interface CommentMessage {
  id: string
  authorId: string
  authorName: string
  createdAt: string
  text: string
}

export interface CommentThread {
  id: string
  authorId: string
  authorName: string
  createdAt: string
  /** The text the thread was started on, kept even if that text is later deleted. */
  quote: string
  resolved: boolean
  resolvedBy: string | null
  resolvedAt: string | null
  /** The first message opens the thread; the rest are replies. */
  messages: CommentMessage[]
}

export const MAX_COMMENT_LENGTH = 4000

const threadsOf = (ydoc: Y.Doc) => ydoc.getMap<Y.Map<unknown>>(COMMENTS_MAP)

function message(id: string, author: Person, text: string, now: string): CommentMessage {
  return { id, authorId: author.id, authorName: author.name, createdAt: now, text: text.slice(0, MAX_COMMENT_LENGTH) }
}

/** Starts a thread; the caller marks the commented text with a `comment` mark carrying the same id. */
export function createThread(ydoc: Y.Doc, args: { id: string; author: Person; text: string; quote: string; messageId: string }): void {
  const now = new Date().toISOString()
  ydoc.transact(() => {
    const thread = new Y.Map<unknown>()
    thread.set('id', args.id)
    thread.set('authorId', args.author.id)
    thread.set('authorName', args.author.name)
    thread.set('createdAt', now)
    thread.set('quote', args.quote.slice(0, 200))
    thread.set('resolved', false)
    thread.set('resolvedBy', null)
    thread.set('resolvedAt', null)
    const messages = new Y.Array<CommentMessage>()
    messages.push([message(args.messageId, args.author, args.text, now)])
    thread.set('messages', messages)
    threadsOf(ydoc).set(args.id, thread)
  })
}

export function replyToThread(ydoc: Y.Doc, threadId: string, author: Person, text: string, messageId: string): boolean {
  const messages = threadsOf(ydoc).get(threadId)?.get('messages')
  if (!(messages instanceof Y.Array)) return false
  messages.push([message(messageId, author, text, new Date().toISOString())])
  return true
}

export function setThreadResolved(ydoc: Y.Doc, threadId: string, resolved: boolean, by: Person): boolean {
  const thread = threadsOf(ydoc).get(threadId)
  if (!thread) return false
  ydoc.transact(() => {
    thread.set('resolved', resolved)
    thread.set('resolvedBy', resolved ? by.name : null)
    thread.set('resolvedAt', resolved ? new Date().toISOString() : null)
  })
  return true
}

const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback)

/** Every thread, oldest first. Tolerates malformed entries from foreign clients by skipping them. */
export function readThreads(ydoc: Y.Doc): CommentThread[] {
  const threads: CommentThread[] = []
  threadsOf(ydoc).forEach((thread, id) => {
    if (!(thread instanceof Y.Map)) return
    const messages = thread.get('messages')
    threads.push({
      id,
      authorId: str(thread.get('authorId')),
      authorName: str(thread.get('authorName')),
      createdAt: str(thread.get('createdAt')),
      quote: str(thread.get('quote')),
      resolved: thread.get('resolved') === true,
      resolvedBy: (thread.get('resolvedBy') as string | null) ?? null,
      resolvedAt: (thread.get('resolvedAt') as string | null) ?? null,
      messages: messages instanceof Y.Array ? (messages.toArray() as CommentMessage[]).filter((m) => m && typeof m.text === 'string') : [],
    })
  })
  return threads.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}

/**
 * Whether going from `before` to `after` only adds what `userId` may add without edit rights: new
 * threads and replies of their own, resolving or reopening, and deleting their own messages (the
 * thread model, threadModel.ts). Nobody else's thread or message disappears or changes, and nobody
 * writes in someone else's name.
 */
export function onlyOwnCommentChanges(before: CommentThread[], after: CommentThread[], userId: string): boolean {
  const next = new Map(after.map((thread) => [thread.id, thread]))
  const same = (a: CommentMessage, b: CommentMessage | undefined) => b !== undefined && a.id === b.id && a.text === b.text && a.authorId === b.authorId
  for (const old of before) {
    const now = next.get(old.id)
    if (!now || now.authorId !== old.authorId || now.quote !== old.quote || now.createdAt !== old.createdAt) return false
    const kept = new Map(now.messages.map((message) => [message.id, message]))
    if (old.messages.some((message) => message.authorId !== userId && !same(message, kept.get(message.id)))) return false
    const oldIds = new Set(old.messages.map((message) => message.id))
    if (now.messages.some((message) => !oldIds.has(message.id) && message.authorId !== userId)) return false
    // Kept messages stay in their order (a deleted own message leaves a gap, nothing moves).
    const order = now.messages.filter((message) => oldIds.has(message.id)).map((message) => message.id)
    if (order.join('\n') !== old.messages.filter((message) => kept.has(message.id)).map((message) => message.id).join('\n')) return false
    next.delete(old.id)
  }
  for (const added of next.values()) {
    if (added.authorId !== userId || added.messages.some((message) => message.authorId !== userId)) return false
  }
  return true
}
