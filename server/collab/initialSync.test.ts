import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { createThread, readThreads } from '../../shared/comments/threads'
import { CHUNKED_SYNC_MIN_BYTES } from '../extensions/Persistence'
import { writeStateFile } from '../storage/DocumentStateFile'
import { splitUpdate } from '../storage/splitUpdate'
import { UpdateLog } from '../storage/UpdateLog'
import { randomDocument } from '../testing/randomDocument'
import { TestContext, appendParagraph, createDocument, docText, logFilePath, stateFilePath, waitFor, type RunningServer } from '../testing/harness'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

/** A document past CHUNKED_SYNC_MIN_BYTES: two authors' paragraphs, some bold, a deletion, a map. */
function bigDocument(): Y.Doc {
  const authors = [new Y.Doc(), new Y.Doc()]
  const line = '会议强调，要坚持稳中求进工作总基调。'.repeat(60)
  for (let i = 0; i < 420; i++) {
    const author = authors[i % 2]
    appendParagraph(author, `${i}：${line}`)
    const fragment = author.getXmlFragment('default')
    const text = (fragment.get(fragment.length - 1) as Y.XmlElement).get(0) as Y.XmlText
    if (i % 3 === 0) text.format(2, 8, { bold: true })
    const other = authors[(i + 1) % 2]
    Y.applyUpdate(other, Y.encodeStateAsUpdate(author, Y.encodeStateVector(other)))
  }
  authors[0].getXmlFragment('default').delete(5, 3)
  authors[1].getMap('meta').set('title', '大文档')
  Y.applyUpdate(authors[1], Y.encodeStateAsUpdate(authors[0]))
  return authors[1]
}

const formatted = (doc: Y.Doc) => [doc.getXmlFragment('default').toString(), doc.getMap('meta').toJSON()]

/** A server whose document `id` holds `content` in its state file, not loaded yet. */
async function serverWithBigDocument(content: Y.Doc): Promise<{ running: RunningServer; id: string }> {
  const running = await ctx.startServer({ unloadDelayMs: 60_000 })
  const { id } = await createDocument(running, '大文档')
  const update = Y.encodeStateAsUpdate(content)
  expect(update.length).toBeGreaterThan(CHUNKED_SYNC_MIN_BYTES)
  await writeStateFile(stateFilePath(running.config.dataDir, id), splitUpdate(update, 64 * 1024))
  return { running, id }
}

/** What a fresh client sends first: sync step 1 with an empty state vector. */
function sendEmptySyncStep1(socket: { send(data: Uint8Array): void }): void {
  const step1 = encoding.createEncoder()
  encoding.writeVarUint(step1, 0)
  syncProtocol.writeSyncStep1(step1, new Y.Doc())
  socket.send(encoding.toUint8Array(step1))
}

function decodeSync(data: Uint8Array): { step: number; payload: Uint8Array } | null {
  const decoder = decoding.createDecoder(data)
  if (decoding.readVarUint(decoder) !== 0) return null
  return { step: decoding.readVarUint(decoder), payload: decoding.readVarUint8Array(decoder) }
}

describe('first sync of a big document', () => {
  it('gives a stock y-websocket client the whole document, formatting included, and it reports synced', { timeout: 90_000 }, async () => {
    const original = bigDocument()
    const { running, id } = await serverWithBigDocument(original)
    const client = await ctx.syncedProvider(running, id)
    expect(formatted(client.doc)).toEqual(formatted(original))
    expect(docText(client.doc)).toBe(docText(original))
    // Answered from the stored chunks.
    const lease = await running.server.collab.lease(id)
    expect(lease.document.initialState).not.toBeNull()
    // The client sent nothing back: no formatting "cleanup" of a partial state turned into edits.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(formatted(lease.document.ydoc)).toEqual(formatted(original))
    expect(Y.encodeStateAsUpdate(lease.document.ydoc)).toEqual(Y.encodeStateAsUpdate(original))
    lease.release()
  })

  it('keeps concurrent formatting intact where a chunk-by-chunk answer would have a client delete some', async () => {
    // The document of splitUpdate.test's guard test (seed 33), stored in small chunks, padded past
    // CHUNKED_SYNC_MIN_BYTES in a separate text: a client applying these chunks one message at a time
    // runs Yjs's formatting cleanup on partial states and deletes live format markers.
    const original = randomDocument(33, 150, 3, true)
    original.getText('padding').insert(0, '填充'.repeat(200_000))
    const running = await ctx.startServer({ unloadDelayMs: 60_000 })
    const { id } = await createDocument(running, '格式')
    await writeStateFile(stateFilePath(running.config.dataDir, id), splitUpdate(Y.encodeStateAsUpdate(original), 200))
    const client = await ctx.syncedProvider(running, id)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(client.doc.getText('text').toDelta()).toEqual(original.getText('text').toDelta())
    const lease = await running.server.collab.lease(id)
    expect(lease.document.ydoc.getText('text').toDelta()).toEqual(original.getText('text').toDelta())
    lease.release()
  })

  it('answers with the stored content as one update, then a SyncStep2 with what changed since loading', async () => {
    const original = bigDocument()
    const { running, id } = await serverWithBigDocument(original)
    const writer = await ctx.syncedProvider(running, id)
    appendParagraph(writer.doc, '加载之后的新段落')
    createThread(writer.doc, { id: 't1', author: { id: running.user.id, name: running.user.displayName }, text: '加载之后的批注', quote: '', messageId: 'm1' })
    // Deletions after the load: of stored paragraphs, of stored text, of the new paragraph's text.
    const fragment = writer.doc.getXmlFragment('default')
    fragment.delete(10, 2)
    ;((fragment.get(20) as Y.XmlElement).get(0) as Y.XmlText).delete(3, 40)
    ;((fragment.get(fragment.length - 1) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 2)
    await waitFor(async () => {
      const lease = await running.server.collab.lease(id)
      const has = docText(lease.document.ydoc).includes('之后的新段落') && !docText(lease.document.ydoc).includes('加载之后')
      lease.release()
      return has
    })

    const raw = ctx.rawFor(running, id)
    await raw.opened
    sendEmptySyncStep1(raw)
    await waitFor(() => raw.messages.some((m) => decodeSync(m)?.step === syncProtocol.messageYjsSyncStep2))
    const sync = raw.messages.map(decodeSync).filter((m) => m !== null && m.step !== syncProtocol.messageYjsSyncStep1)
    expect(sync.map((m) => m!.step)).toEqual([syncProtocol.messageYjsUpdate, syncProtocol.messageYjsSyncStep2])
    // The update alone is the stored document; with the SyncStep2, the live one.
    const doc = new Y.Doc()
    Y.applyUpdate(doc, sync[0]!.payload)
    expect(formatted(doc)).toEqual(formatted(original))
    expect(sync[1]!.payload.length).toBeLessThan(20_000)
    Y.applyUpdate(doc, sync[1]!.payload)
    expect(formatted(doc)).toEqual(formatted(writer.doc))
    expect(docText(doc)).toBe(docText(writer.doc))
    expect(readThreads(doc).map((thread) => thread.messages[0].text)).toEqual(['加载之后的批注'])
  })

  it('brings a returning client with part of the document and edits of its own up to date, both ways', async () => {
    const original = bigDocument()
    const { running, id } = await serverWithBigDocument(original)
    // The client has an older copy (the first half of the history) plus an offline edit.
    const older = new Y.Doc()
    const chunks = splitUpdate(Y.encodeStateAsUpdate(original), 64 * 1024)
    for (const chunk of chunks.slice(0, Math.floor(chunks.length / 2))) Y.applyUpdate(older, chunk)
    appendParagraph(older, '离线时写的段落')
    const returning = await ctx.syncedProvider(running, id, older)
    const fresh = await ctx.syncedProvider(running, id)
    await waitFor(() => docText(fresh.doc).includes('离线时写的段落'))
    expect(docText(returning.doc)).toBe(docText(fresh.doc))
    expect(formatted(returning.doc)).toEqual(formatted(fresh.doc))
    expect(fresh.doc.getXmlFragment('default').length).toBe(original.getXmlFragment('default').length + 1)
    expect(docText(fresh.doc).replace('离线时写的段落', '')).toBe(docText(original))
  })

  it('answers a client of a document still loading at once when its state file is the whole document', async () => {
    const original = bigDocument()
    const { running, id } = await serverWithBigDocument(original)
    const raw = ctx.rawFor(running, id)
    await raw.opened
    sendEmptySyncStep1(raw)
    await waitFor(() => raw.messages.some((m) => decodeSync(m)?.step === syncProtocol.messageYjsSyncStep1))
    const sync = raw.messages.map(decodeSync).filter((m) => m !== null)
    // The stored document came first, before the server's own sync step 1 (sent once loaded).
    expect(sync[0]!.step).toBe(syncProtocol.messageYjsSyncStep2)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, sync[0]!.payload)
    expect(formatted(doc)).toEqual(formatted(original))
  })

  it('gets clients answered before the load ends everything that happens until they are attached', async () => {
    const original = bigDocument()
    const { running, id } = await serverWithBigDocument(original)
    // Two clients of the cold document; the first types the moment it has the content.
    const first = ctx.provider(running, id)
    first.provider.on('sync', (synced: boolean) => synced && appendParagraph(first.doc, '第一个客户端刚同步就写的'))
    const second = ctx.provider(running, id)
    await waitFor(() => docText(second.doc).includes('第一个客户端刚同步就写的'), 10_000, 'the edit to reach the other client')
    appendParagraph(second.doc, '第二个客户端的回应')
    await waitFor(() => docText(first.doc).includes('第二个客户端的回应'), 10_000, 'the reply')
    expect(formatted(first.doc)).toEqual(formatted(second.doc))
    const fresh = await ctx.syncedProvider(running, id)
    expect(formatted(fresh.doc)).toEqual(formatted(first.doc))
  })

  it('sends a client answered before the load ends the edits applied before it is attached', async () => {
    const original = bigDocument()
    const { running, id } = await serverWithBigDocument(original)
    // A writer whose edit reaches the server while the document is still loading (held back until
    // its connection is attached, then applied before the reader's connection is attached).
    const writerDoc = new Y.Doc()
    Y.applyUpdate(writerDoc, Y.encodeStateAsUpdate(original))
    let edit: Uint8Array | null = null
    writerDoc.on('update', (update: Uint8Array) => (edit = update))
    appendParagraph(writerDoc, '加载期间到达的编辑')
    const writer = ctx.rawFor(running, id)
    await writer.opened
    const message = encoding.createEncoder()
    encoding.writeVarUint(message, 0)
    syncProtocol.writeUpdate(message, edit!)
    writer.send(encoding.toUint8Array(message))
    // The reader asks for the document at once: answered from the state file, before the edit is applied.
    const reader = ctx.rawFor(running, id)
    await reader.opened
    sendEmptySyncStep1(reader)
    const readerDoc = new Y.Doc()
    await waitFor(() => {
      for (const m of reader.messages.splice(0)) {
        const sync = decodeSync(m)
        if (sync && sync.step !== syncProtocol.messageYjsSyncStep1) Y.applyUpdate(readerDoc, sync.payload)
      }
      return docText(readerDoc).includes('加载期间到达的编辑')
    })
    expect(formatted(readerDoc)).toEqual(formatted(writerDoc))
  })

  it('includes what the log adds to the state file, deletions too, by the time a client is synced', async () => {
    const original = bigDocument()
    const running = await ctx.startServer({ unloadDelayMs: 60_000 })
    const { id } = await createDocument(running, '大文档')
    const { dataDir } = running.config
    await writeStateFile(stateFilePath(dataDir, id), splitUpdate(Y.encodeStateAsUpdate(original), 64 * 1024))
    // Edits that reached only the log (a crash before compaction): a new paragraph, deletions of stored content.
    const edited = new Y.Doc()
    Y.applyUpdate(edited, Y.encodeStateAsUpdate(original))
    const log = new UpdateLog(logFilePath(dataDir, id), { flushIntervalMs: 10_000 })
    edited.on('update', (update: Uint8Array) => log.append(update))
    appendParagraph(edited, '只在日志里的段落')
    edited.getXmlFragment('default').delete(3, 2)
    ;((edited.getXmlFragment('default').get(7) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 30)
    await log.close()

    const client = ctx.provider(running, id)
    let atSync: unknown = null
    client.provider.on('sync', (synced: boolean) => {
      if (synced && atSync === null) atSync = formatted(client.doc)
    })
    await waitFor(() => atSync !== null)
    expect(atSync).toEqual(formatted(edited))
  })
})
