import { createHash } from 'node:crypto'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { createThread } from '../../shared/comments/threads'
import { blockText, createDocument, share, waitFor, type ProviderHandle, type RunningServer, type Session, type TestContext } from './harness'

export interface Team {
  running: RunningServer
  doc: { id: string }
  owner: Session
  drafter: Session
  reviewer: Session
  reviewer2: Session
  viewer: Session
  /** Has an account, but the document is not shared with them. */
  outsider: Session
}

/** A document owned by an ordinary user, shared with one person per role (two reviewers). */
export async function startTeam(ctx: TestContext, text = '协作文档\n第一段正文。', overrides = {}): Promise<Team> {
  const running = await ctx.startServer(overrides)
  const owner = await running.createUser('owner', { displayName: '主笔' })
  const drafter = await running.createUser('drafter', { displayName: '起草人' })
  const reviewer = await running.createUser('reviewer', { displayName: '审阅人' })
  const reviewer2 = await running.createUser('reviewer2', { displayName: '另一位审阅人' })
  const viewer = await running.createUser('viewer', { displayName: '查看者' })
  const outsider = await running.createUser('outsider', { displayName: '局外人' })
  const doc = await createDocument(owner, text.split('\n')[0], text)
  for (const [username, role] of [['drafter', 'drafter'], ['reviewer', 'reviewer'], ['reviewer2', 'reviewer'], ['viewer', 'viewer']]) {
    await share(owner, doc.id, username, role)
  }
  return { running, doc, owner, drafter, reviewer, reviewer2, viewer, outsider }
}

/** Suggestion mark attributes as the editor stamps them (stampAuthor.ts). */
export function suggestionBy(id: string, author: Session, overrides: Record<string, unknown> = {}) {
  return { id, authorId: author.user.id, authorName: author.user.displayName, createdAt: new Date().toISOString(), ...overrides }
}

/** An honest reviewer's suggestion: text inserted at the start of block 1 with an insertion mark. */
export function suggestInsertion(doc: Y.Doc, author: Session, id: string, text: string): void {
  blockText(doc, 1).insert(0, text, { insertion: suggestionBy(id, author) })
}

/**
 * The formatting key of a comment anchor. Comment marks may overlap, so the binding stores each under
 * `comment--<8 characters of a hash of the mark>`, never the bare name (which one anchor would overwrite).
 */
export const commentKey = (threadId: string) => `comment--${createHash('sha256').update(threadId).digest('base64').slice(0, 8)}`

/** An honest comment: a thread by `author` anchored on the first characters of block 1. */
export function commentOn(doc: Y.Doc, author: Session, threadId: string, text: string): void {
  doc.transact(() => {
    createThread(doc, { id: threadId, author: { id: author.user.id, name: author.user.displayName }, text, quote: '第一段', messageId: `${threadId}-m1` })
    blockText(doc, 1).format(0, 3, { [commentKey(threadId)]: { threadId } })
  })
}

/** A y-websocket sync "update" frame. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** A y-websocket "sync step 1" frame for `doc`. */
export function syncStep1Frame(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeSyncStep1(encoder, doc)
  return encoding.toUint8Array(encoder)
}

/**
 * An update (about 20 bytes) that can never apply: one character of client `client` at clock 1000,
 * after that client's character 999, which nobody has.
 */
export function updateThatCannotApply(client: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1) // one client
  encoding.writeVarUint(encoder, 1) // one struct
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, 1000) // its clock
  encoding.writeUint8(encoder, 0x84) // an item with an origin, string content
  encoding.writeVarUint(encoder, client) // origin: the same client's clock 999
  encoding.writeVarUint(encoder, 999)
  encoding.writeVarString(encoder, '字')
  encoding.writeVarUint(encoder, 0) // no deletions
  return encoding.toUint8Array(encoder)
}

/**
 * Waits until `watcher` has everything the server applied so far: `marker`, sent by `writer` as
 * awareness (relayed in order with the updates; a marker in a root type of its own would be refused as
 * a junk root), only arrives after whatever the server broadcast before it.
 */
export async function settle(writer: ProviderHandle, watcher: ProviderHandle, marker: string): Promise<void> {
  writer.provider.awareness.setLocalStateField('marker', marker)
  const seen = () => (watcher.provider.awareness.getStates().get(writer.doc.clientID) as { marker?: string } | undefined)?.marker
  await waitFor(() => seen() === marker, 10_000, `marker ${marker}`)
}
