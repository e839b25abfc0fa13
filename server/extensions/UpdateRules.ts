import * as Y from 'yjs'
import { mayDeleteMessage, mayDeleteThread, mayWriteThreadField, THREAD_FIELDS, THREAD_LIMITS, validId, validOwnMessage } from '../../shared/comments/threadModel'
import type { Person } from '../../shared/comments/threads'
import { AUTHORED_MARKS, markNameOf, mayContainElement, mayContainText, TOP_NODE, validFormatting, validNodeAttribute } from '../../shared/editor/lib/contentRules'
import { validOption } from '../../shared/sections/options'
import type { CollabDocument } from '../collab/CollabDocument'
import type { Connection } from '../collab/Connection'
import type { CollabExtension } from '../collab/hooks'
import type { UpdateScan } from '../collab/updateScan'
import { UpdateItems, type Place } from './updateItems'
import { componentLogger } from '../logger'

const log = componentLogger('rules')

/**
 * What any update, from any role, may write: the content only as elements and text of the shared
 * schema with known, bounded attributes and marks (contentRules.ts), comment threads only as the
 * thread model allows (threadModel.ts), the document options as booleans of known keys, suggestion marks and threads in the writer's own name, and
 * nothing else (no other root types, no keys on the content root). Checked on the items the update
 * adds and the items it deletes, without applying it or reading the whole document, so a drafter's
 * keystroke costs a decode of the keystroke. Returns why an update is refused, or null.
 */
export function refusalOf(ydoc: Y.Doc, update: Uint8Array, writer: Person): string | null {
  const items = new UpdateItems(ydoc, update)
  const newThreads = new Map<string, Set<string>>()
  /** Thread fields written by the update (`<thread item>/<key>`): deleting the old value is then an overwrite. */
  const written = new Set<string>()
  /** Where the update puts a new title: 'report' for the report's, else the section's item. */
  const newTitles = new Set<Y.Item | 'report'>()
  for (const item of items.newItems()) {
    const place = items.placeOf(item, true)
    const key = items.parentSubOf(item, true)
    const problem = newItemProblem(item, place, key, writer)
    if (problem) return problem
    const title = titleOf(item)
    if (title === 'reportTitle' && place.kind === 'fragment') newTitles.add('report')
    if (title === 'sectionTitle') newTitles.add(items.parentItemOf(item, true) ?? 'report')
    if (place.kind === 'comments' && !(item.content instanceof Y.ContentDeleted)) newThreads.set(`${item.id.client}:${item.id.clock}`, new Set())
    if (place.kind === 'thread' && key !== null) {
      written.add(`${place.key}/${key}`)
      newThreads.get(place.key)?.add(key)
    }
  }
  for (const fields of newThreads.values()) {
    if (fields.size !== THREAD_FIELDS.length) return 'a comment thread without all its fields'
  }
  const deleted = new Set(items.deletedItems())
  for (const item of deleted) {
    const problem = deletionProblem(item, items.placeOf(item, false), items.parentSubOf(item, false), writer, written)
    if (problem) return problem
    // The schema requires the report's title and each section's: an update may replace one (delete and
    // insert in one go, as a paste over it does) or remove a whole section, but not leave one without.
    const title = titleOf(item)
    if (title === 'reportTitle' && items.placeOf(item, false).kind === 'fragment' && !newTitles.has('report')) return 'removing the report title'
    if (title === 'sectionTitle') {
      const section = items.parentItemOf(item, false)
      if (section && !deleted.has(section) && !newTitles.has(section)) return 'removing a section title'
    }
  }
  return null
}

function titleOf(item: Y.Item): string | null {
  const type = item.content instanceof Y.ContentType ? item.content.type : null
  return type instanceof Y.XmlElement && (type.nodeName === 'reportTitle' || type.nodeName === 'sectionTitle') ? type.nodeName : null
}

function newItemProblem(item: Y.Item, place: Place, key: string | null, writer: Person): string | null {
  const content = item.content
  if (content instanceof Y.ContentDeleted || place.kind === 'gone') return null
  const type = content instanceof Y.ContentType ? content.type : null
  switch (place.kind) {
    case 'fragment':
      if (key !== null) return `a key "${key.slice(0, 40)}" on the content root`
      if (type instanceof Y.XmlElement && type.constructor === Y.XmlElement && mayContainElement(TOP_NODE, type.nodeName)) return null
      return `${describe(content)} at the top of the content`
    case 'element':
      if (key !== null) {
        if (content instanceof Y.ContentAny && content.arr.length === 1 && validNodeAttribute(place.nodeName, key, content.arr[0])) return null
        return `the attribute "${key.slice(0, 40)}" on ${place.nodeName}`
      }
      if (type instanceof Y.XmlText ? mayContainText(place.nodeName) : type?.constructor === Y.XmlElement && mayContainElement(place.nodeName, (type as Y.XmlElement).nodeName)) return null
      return `${describe(content)} in ${place.nodeName}`
    case 'text':
      if (key !== null) return 'a key on a text'
      if (content instanceof Y.ContentString) return null
      if (content instanceof Y.ContentFormat) return formattingProblem(content.key, content.value, writer)
      return `${describe(content)} in a text`
    case 'options':
      // Who may change them is the section guard's business; here only their form.
      if (key !== null && content instanceof Y.ContentAny && content.arr.length === 1 && validOption(key, content.arr[0])) return null
      return `the option "${String(key).slice(0, 40)}"`
    case 'comments':
      if (key !== null && validId(key) && type?.constructor === Y.Map) return null
      return 'an entry of the comments map that is not a thread'
    case 'thread': {
      const value = type?.constructor === Y.Array ? 'array' : content instanceof Y.ContentAny && content.arr.length === 1 ? content.arr[0] : undefined
      if (key !== null && value !== undefined && mayWriteThreadField(key, value, { threadId: place.threadId, newThread: place.isNew, writer })) return null
      return `the field "${String(key).slice(0, 40)}" of thread ${place.threadId.slice(0, 40)}`
    }
    case 'messages': {
      if (key !== null || !(content instanceof Y.ContentAny)) return 'a message that is not a message'
      if (!content.arr.every((message) => validOwnMessage(message, writer))) return 'a message not in the writer’s name or past the limits'
      const existing = place.isNew ? 0 : ((place.item.content as Y.ContentType).type as Y.Array<unknown>).length
      if (existing + content.arr.length > THREAD_LIMITS.messagesPerThread) return 'too many messages in one thread'
      return null
    }
    case 'foreign':
      return `content in ${place.what}`
  }
}

function formattingProblem(key: string, value: unknown, writer: Person): string | null {
  if (!validFormatting(key, value)) return `the formatting "${key.slice(0, 40)}"`
  const attrs = value as { authorId?: unknown; authorName?: unknown } | null
  if (AUTHORED_MARKS.has(markNameOf(key)) && attrs?.authorId === writer.id && attrs.authorName !== writer.name) return 'a suggestion in one’s own id under another name'
  return null
}

function deletionProblem(item: Y.Item, place: Place, key: string | null, writer: Person, written: Set<string>): string | null {
  switch (place.kind) {
    case 'comments': {
      const thread = item.content instanceof Y.ContentType ? (item.content.type as Y.Map<unknown>) : null
      const messages = thread?.get('messages')
      if (!thread || mayDeleteThread({ authorId: thread.get('authorId'), messages: messages instanceof Y.Array ? messages.toArray() : [] }, writer)) return null
      return 'deleting someone else’s comment thread'
    }
    case 'thread':
      return key !== null && written.has(`${place.key}/${key}`) ? null : `removing the field "${String(key).slice(0, 40)}" of a thread`
    case 'messages':
      if (item.content instanceof Y.ContentAny && item.content.arr.every((message) => mayDeleteMessage(message, writer))) return null
      return 'deleting someone else’s comment'
    default:
      // Content deletions are the role's business (Permissions, ReviewGuard); junk may be cleaned up.
      return null
  }
}

function describe(content: Y.Item['content']): string {
  if (content instanceof Y.ContentType) {
    const type = content.type
    return type instanceof Y.XmlElement ? `an element <${type.nodeName.slice(0, 40)}>` : `a ${type.constructor.name}`
  }
  return `a ${content.constructor.name}`
}

/** Refuses, for every role, updates that break the document model (see refusalOf). */
export class UpdateRules implements CollabExtension {
  beforeApplyUpdate({ document, update, connection, scan }: { document: CollabDocument; update: Uint8Array; connection: Connection; scan?: UpdateScan | null }): boolean {
    const user = connection.context.user
    if (!user) return false
    // Strings typed into existing texts and text deleted: nothing the rules below could refuse
    // (updateRulesFastPath.test.ts checks that the two agree).
    if (scan?.plainText) return true
    const problem = refusalOf(document.ydoc, update, { id: user.id, name: user.name })
    if (problem) log.warn(`${document.name}: refused an update from ${user.id}: ${problem}`)
    return problem === null
  }
}
