import { MAX_COMMENT_LENGTH, type CommentMessage, type Person } from './threads'

/**
 * The rules of comment threads (批注), whoever writes them: a thread holds exactly these fields with
 * values of these kinds and sizes; names come from the writer's account; once written, a thread's
 * identity, quote and messages stay as they are, except that anyone may resolve or reopen it (in their
 * own name) and a message's author may delete it. Pure functions: the server applies them to the
 * Yjs items an update writes (server/extensions/UpdateRules.ts).
 */

export const THREAD_FIELDS = ['id', 'authorId', 'authorName', 'createdAt', 'quote', 'resolved', 'resolvedBy', 'resolvedAt', 'messages'] as const
export type ThreadField = (typeof THREAD_FIELDS)[number]
const MESSAGE_FIELDS = ['id', 'authorId', 'authorName', 'createdAt', 'text']

export const THREAD_LIMITS = { idChars: 64, nameChars: 100, quoteChars: 200, messagesPerThread: 500 } as const
/** Fields anyone may change on an existing thread. */
const RESOLUTION_FIELDS = new Set<string>(['resolved', 'resolvedBy', 'resolvedAt'])

export const isThreadField = (key: string): key is ThreadField => (THREAD_FIELDS as readonly string[]).includes(key)

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/
/** An ISO timestamp (as `toISOString` writes it) that is not more than a day ahead of `now`. */
export function validTimestamp(value: unknown, now = Date.now()): boolean {
  return typeof value === 'string' && ISO_DATE.test(value) && Date.parse(value) <= now + 86_400_000
}

export const validId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= THREAD_LIMITS.idChars

/** A message written by `writer`: exactly the message fields, in their name, within the limits. */
export function validOwnMessage(value: unknown, writer: Person): value is CommentMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const message = value as Record<string, unknown>
  const keys = Object.keys(message)
  return (
    keys.length === MESSAGE_FIELDS.length &&
    MESSAGE_FIELDS.every((key) => Object.hasOwn(message, key)) &&
    validId(message.id) &&
    message.authorId === writer.id &&
    message.authorName === writer.name &&
    validTimestamp(message.createdAt) &&
    typeof message.text === 'string' &&
    message.text.length > 0 &&
    message.text.length <= MAX_COMMENT_LENGTH
  )
}

/**
 * Whether `writer` may set field `key` of thread `threadId` to `value`. On a thread they start
 * (`newThread`) every field is written once, in their name; on an existing thread only the resolved
 * state changes. `messages` is a Y.Array (`value` is then 'array').
 */
export function mayWriteThreadField(key: string, value: unknown, context: { threadId: string; newThread: boolean; writer: Person }): boolean {
  const { writer } = context
  if (!context.newThread && !RESOLUTION_FIELDS.has(key)) return false
  switch (key) {
    case 'id':
      return value === context.threadId
    case 'authorId':
      return value === writer.id
    case 'authorName':
      return value === writer.name
    case 'createdAt':
      return validTimestamp(value)
    case 'quote':
      return typeof value === 'string' && value.length <= THREAD_LIMITS.quoteChars
    case 'resolved':
      return typeof value === 'boolean'
    case 'resolvedBy':
      return value === null || value === writer.name
    case 'resolvedAt':
      return value === null || validTimestamp(value)
    case 'messages':
      return value === 'array'
    default:
      return false
  }
}

/** Whether `writer` may delete `message`: only its author may. */
export function mayDeleteMessage(message: unknown, writer: Person): boolean {
  return typeof message === 'object' && message !== null && (message as CommentMessage).authorId === writer.id
}

/** Whether `writer` may delete a whole thread: its author, when every message in it is theirs. */
export function mayDeleteThread(thread: { authorId: unknown; messages: unknown[] }, writer: Person): boolean {
  return thread.authorId === writer.id && thread.messages.every((message) => mayDeleteMessage(message, writer))
}
