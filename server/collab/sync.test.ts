import { existsSync } from 'node:fs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { createThread, readThreads } from '../../shared/comments/threads'
import { docJSONToUpdate } from '../../shared/editor/lib/ydoc'
import { plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import { DocumentService } from '../documents/DocumentService'
import { Persistence } from '../extensions/Persistence'
import { Catalog } from '../storage/Catalog'
import { DocumentStore } from '../storage/DocumentStore'
import {
  TestContext,
  appendParagraph,
  blockText,
  createDocument,
  docFromUpdate,
  docText,
  logFilePath,
  sleep,
  stateFilePath,
  waitFor,
  share,
  type RawClient,
  type RunningServer,
  type Session,
} from '../testing/harness'
import { CollabServer } from './CollabServer'
import type { CollabExtension } from './hooks'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

const STEP1 = syncProtocol.messageYjsSyncStep1
const STEP2 = syncProtocol.messageYjsSyncStep2

const syncStep1 = (doc: Y.Doc) => syncMessage((e) => syncProtocol.writeSyncStep1(e, doc))
const updateMessage = (update: Uint8Array) => syncMessage((e) => syncProtocol.writeUpdate(e, update))

type Decoded = { kind: 'sync'; step: number; payload: Uint8Array } | { kind: 'awareness' | 'auth' | 'other'; type: number }

function decodeServerMessage(data: Uint8Array): Decoded {
  const decoder = decoding.createDecoder(data)
  const type = decoding.readVarUint(decoder)
  if (type === 0) {
    const step = decoding.readVarUint(decoder)
    return { kind: 'sync', step, payload: decoding.readVarUint8Array(decoder) }
  }
  return { kind: type === 1 ? 'awareness' : type === 2 ? 'auth' : 'other', type }
}

/** A raw client that has been greeted by the server (so the document is loaded and it is attached). */
async function attachedRaw(session: Session, documentId: string): Promise<RawClient> {
  const raw = ctx.rawFor(session, documentId)
  await raw.opened
  await waitFor(() => raw.messages.length > 0, 10_000, 'the server greeting')
  return raw
}

/** Two synced clients on one document that still exchange edits both ways (typed into the title). */
async function expectStillSyncing(a: { doc: Y.Doc }, b: { doc: Y.Doc }, marker: string): Promise<void> {
  blockText(a.doc, 0).insert(0, `${marker}-a;`)
  blockText(b.doc, 0).insert(0, `${marker}-b;`)
  await waitFor(
    () => [a, b].every((c) => docText(c.doc).includes(`${marker}-a;`) && docText(c.doc).includes(`${marker}-b;`)),
    10_000,
    `edits "${marker}" to cross between the clients`,
  )
  expect(docText(a.doc)).toBe(docText(b.doc))
}

describe('sync over the y-websocket protocol', () => {
  let running: RunningServer

  async function start(overrides = {}) {
    running = await ctx.startServer(overrides)
    return running
  }

  it('two clients converge on concurrent edits', async () => {
    await start()
    const { id } = await createDocument(running, '并发编辑', '并发编辑\n第一段')
    const a = await ctx.syncedProvider(running, id)
    const b = await ctx.syncedProvider(running, id)
    expect(docText(a.doc)).toBe('并发编辑第一段')
    expect(docText(b.doc)).toBe('并发编辑第一段')

    // Concurrent edits on both sides, before either has seen the other's.
    for (let i = 0; i < 10; i++) {
      appendParagraph(a.doc, `甲${i}`)
      appendParagraph(b.doc, `乙${i}`)
      blockText(a.doc, 0).insert(0, 'a')
      blockText(b.doc, 0).insert(blockText(b.doc, 0).length, 'b')
    }
    await waitFor(
      () =>
        Y.encodeStateVector(a.doc).toString() === Y.encodeStateVector(b.doc).toString() &&
        docText(a.doc).includes('乙9') &&
        docText(b.doc).includes('甲9'),
      10_000,
      'convergence',
    )
    expect(docText(a.doc)).toBe(docText(b.doc))
    expect(blockText(a.doc, 0).toString()).toBe(blockText(b.doc, 0).toString())
    expect(blockText(a.doc, 0).length).toBe('并发编辑'.length + 20)
    for (let i = 0; i < 10; i++) {
      expect(docText(a.doc)).toContain(`甲${i}`)
      expect(docText(a.doc)).toContain(`乙${i}`)
    }
    expect(Y.encodeStateAsUpdate(a.doc)).toEqual(Y.encodeStateAsUpdate(b.doc))
  })

  it('a late joiner gets the full state', async () => {
    await start()
    const { id } = await createDocument(running, '后来者', '后来者')
    const a = await ctx.syncedProvider(running, id)
    for (let i = 0; i < 30; i++) appendParagraph(a.doc, `段落${i}`)
    createThread(a.doc, { id: 't1', author: { id: running.user.id, name: running.user.displayName }, text: '批注', quote: '', messageId: 'm1' })
    // Another writer that has left before the late joiner arrives.
    const b = await ctx.syncedProvider(running, id)
    await waitFor(() => docText(b.doc).includes('段落29'))
    appendParagraph(b.doc, '离开者的段落')
    await waitFor(() => docText(a.doc).includes('离开者的段落'))
    b.destroy()

    const late = await ctx.syncedProvider(running, id)
    expect(docText(late.doc)).toBe(docText(a.doc))
    expect(docText(late.doc)).toContain('离开者的段落')
    expect(readThreads(late.doc).map((thread) => thread.id)).toEqual(['t1'])
  })

  it('relays awareness and removes it when its client disconnects', async () => {
    await start()
    const { id } = await createDocument(running, '在线状态')
    // Names in awareness come from the accounts, so A and C are colleagues the document is shared with.
    const zhang = await running.createUser('zhangsan', { displayName: '张三' })
    const wang = await running.createUser('wangwu', { displayName: '王五' })
    await share(running, id, 'zhangsan', 'drafter')
    await share(running, id, 'wangwu', 'drafter')
    const a = await ctx.syncedProvider(zhang, id)
    const b = await ctx.syncedProvider(running, id)
    a.provider.awareness.setLocalStateField('user', { name: '张三', color: '#f00' })
    await waitFor(() => (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name === '张三')

    // A third client joining later is told about the existing presence.
    const c = await ctx.syncedProvider(wang, id)
    // (A first awareness state with clock 0 is ignored by y-protocols receivers, so C announces itself.)
    c.provider.awareness.setLocalStateField('user', { name: '王五', color: '#00f' })
    await waitFor(() => b.provider.awareness.getStates().has(c.doc.clientID), 10_000, "C's awareness at B")
    await waitFor(() => (c.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name === '张三')

    // Kill A's socket without a goodbye: the server must retract A's presence itself.
    const aClientId = a.doc.clientID
    a.provider.shouldConnect = false
    ;(a.provider.ws as unknown as { terminate(): void }).terminate()
    await waitFor(() => !b.provider.awareness.getStates().has(aClientId), 10_000, "A's awareness to be removed at B")
    await waitFor(() => !c.provider.awareness.getStates().has(aClientId), 10_000, "A's awareness to be removed at C")
    expect(b.provider.awareness.getStates().has(c.doc.clientID)).toBe(true)
  })

  it('removes the awareness of a client that reconnected and then left for good', async () => {
    await start()
    const { id } = await createDocument(running, '重连')
    const a = await ctx.syncedProvider(running, id)
    const b = await ctx.syncedProvider(running, id)
    const aId = a.doc.clientID
    // (The user name is always the account's; a field of A's own shows which presence B holds.)
    const nameAtB = () => (b.provider.awareness.getStates().get(aId) as { status?: string } | undefined)?.status
    a.provider.awareness.setLocalStateField('status', '第一次')
    await waitFor(() => nameAtB() === '第一次', 10_000, 'first presence')

    // A network blip: the socket dies, the provider reconnects with the same client id.
    const firstSocket = a.provider.ws
    ;(firstSocket as unknown as { terminate(): void }).terminate()
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 10_000, 'presence removed after the blip')
    await waitFor(() => a.provider.ws !== firstSocket && a.provider.synced && a.provider.wsconnected, 10_000, 'A to reconnect')
    a.provider.awareness.setLocalStateField('status', '第二次')
    await waitFor(() => nameAtB() === '第二次', 10_000, 'presence after reconnecting')

    // Now A leaves for good, again without a goodbye: its presence must not linger.
    a.provider.shouldConnect = false
    ;(a.provider.ws as unknown as { terminate(): void }).terminate()
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 5_000, 'presence removed after leaving')
  })

  it('refuses an unknown document with HTTP 404 before the upgrade', async () => {
    await start()
    const raw = ctx.rawFor(running, 'doesNotExist123')
    const refused = await raw.refused
    expect(refused.status).toBe(404)
    expect(JSON.parse(refused.body)).toEqual({ error: expect.stringContaining('doesNotExist123') })
    expect(running.server.collab.isLoaded('doesNotExist123')).toBe(false)
  })

  it('survives an upgrade with a malformed percent-encoded document name', async () => {
    await start()
    const { id } = await createDocument(running, '正常')
    const raw = ctx.rawFor(running, '%E0%A4%A')
    const refused = await raw.refused
    expect(refused.status).toBe(400)
    expect(JSON.parse(refused.body)).toEqual({ error: expect.any(String) })
    // The server is still up and serving.
    const client = await ctx.syncedProvider(running, id)
    expect(docText(client.doc)).toBe('正常')
  })

  it('does not answer upgrades outside /collab/', async () => {
    await start()
    const raw = ctx.raw(`ws://127.0.0.1:${running.port}/elsewhere/x`)
    await raw.closed
    expect(raw.ws.readyState).toBe(raw.ws.CLOSED)
    expect(raw.messages).toHaveLength(0)
  })

  const malformed: Array<[string, Uint8Array | string, number]> = [
    ['an unknown sync step', new Uint8Array([0, 7]), 1002],
    ['an unknown message type', new Uint8Array([99]), 1002],
    ['a truncated varuint', new Uint8Array([0x80]), 1002],
    ['an empty frame', new Uint8Array([]), 1002],
    ['a sync message whose payload length overruns the frame', new Uint8Array([0, 2, 50, 1, 2, 3]), 1002],
    ['an awareness message with a garbage payload', new Uint8Array([1, 3, 0xff, 0xff, 0xff]), 1007],
    ['a sync update with garbage payload bytes', updateMessage(new Uint8Array(Buffer.from('hello world, not a yjs update'))), 1007],
    ['a sync step 2 with garbage payload bytes', syncMessage((e) => {
      encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2)
      encoding.writeVarUint8Array(e, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))
    }), 1007],
    ['a text frame', 'hello', 1007],
  ]

  it.each(malformed)('closes a connection that sends %s, and nobody else notices', async (_name, frame, expectedCode) => {
    await start()
    const target = await createDocument(running, '目标文档', '目标文档\n内容')
    const other = await createDocument(running, '旁观文档', '旁观文档')
    const sameA = await ctx.syncedProvider(running, target.id)
    const sameB = await ctx.syncedProvider(running, target.id)
    const otherA = await ctx.syncedProvider(running, other.id)
    const otherB = await ctx.syncedProvider(running, other.id)

    const bad = await attachedRaw(running, target.id)
    bad.send(frame)
    const closed = await bad.closed
    expect(closed.code).toBe(expectedCode)

    // The server is still up, the document intact, and both documents keep syncing.
    expect((await fetch(`${running.base}/api/health`)).status).toBe(200)
    expect(docText(sameA.doc)).toBe('目标文档内容')
    await expectStillSyncing(sameA, sameB, 'same')
    await expectStillSyncing(otherA, otherB, 'other')
    const late = await ctx.syncedProvider(running, target.id)
    // The stored content plus the two probes typed into the title, in whatever order they merged.
    expect(docText(late.doc)).toBe(docText(sameA.doc))
    expect(docText(late.doc)).toMatch(/^same-[ab];same-[ab];目标文档内容$/)
  })

  it('queues messages sent before the document loaded and rejects a bad one among them', async () => {
    await start()
    const { id } = await createDocument(running, '早到的消息')
    // Sent immediately on open, before the server has attached the connection.
    const bad = ctx.rawFor(running, id)
    await bad.opened
    bad.send(new Uint8Array([99]))
    expect((await bad.closed).code).toBe(1002)
    const good = await ctx.syncedProvider(running, id)
    expect(docText(good.doc)).toBe('早到的消息')
  })

  it('closes a connection that sends an oversized frame with 1009; others keep working', async () => {
    await start({ maxMessageBytes: 64 * 1024 })
    const { id } = await createDocument(running, '超大消息', '超大消息')
    const a = await ctx.syncedProvider(running, id)
    const b = await ctx.syncedProvider(running, id)

    const big = await attachedRaw(running, id)
    const doc = new Y.Doc()
    doc.getText('big').insert(0, 'x'.repeat(100 * 1024))
    big.send(updateMessage(Y.encodeStateAsUpdate(doc)))
    expect((await big.closed).code).toBe(1009)

    // The oversized update was never applied.
    await sleep(100)
    expect(docText(a.doc)).toBe('超大消息')
    await expectStillSyncing(a, b, 'after-oversize')
    // A message just under the limit is still fine.
    appendParagraph(a.doc, 'y'.repeat(32 * 1024))
    await waitFor(() => docText(b.doc).includes('y'.repeat(32 * 1024)))
  })

  it('answers a raw sync step 1 with the full document in sync step 2', async () => {
    await start()
    const { id } = await createDocument(running, '原始客户端', '原始客户端\n一段正文')
    const raw = ctx.rawFor(running, id)
    await raw.opened
    raw.send(syncStep1(new Y.Doc()))
    await waitFor(() => raw.messages.some((m) => { const d = decodeServerMessage(m); return d.kind === 'sync' && d.step === STEP1 }))
    await waitFor(() => raw.messages.some((m) => { const d = decodeServerMessage(m); return d.kind === 'sync' && d.step === STEP2 }))
    const step2 = raw.messages.map(decodeServerMessage).find((d) => d.kind === 'sync' && d.step === STEP2) as { payload: Uint8Array }
    expect(docText(docFromUpdate(step2.payload))).toBe('原始客户端一段正文')
  })
})

/** The real sync core, Persistence and DocumentService, with a gate in front of loading. */
async function startGatedServer() {
  const dataDir = await ctx.tempDir()
  const catalog = await Catalog.open(dataDir)
  const store = new DocumentStore(dataDir, { flushIntervalMs: 50, compactAfterBytes: 4 * 1024 * 1024 })
  await store.init()
  const id = 'slowDoc'
  const content = plainTextToDocJSON('慢慢加载的文档\n' + Array.from({ length: 200 }, (_, i) => `第${i}段正文`).join('\n'))
  await store.create(id, docJSONToUpdate(content))
  await catalog.add({ id, title: '慢', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), ownerId: 'u-test', members: {} })

  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  let loadsStarted = 0
  const slow: CollabExtension = {
    async onLoadDocument() {
      loadsStarted++
      await gate
    },
  }
  const persistence = new Persistence(store, catalog, () => undefined)
  const collab = new CollabServer({
    path: '/collab',
    extensions: [slow, persistence],
    unloadDelayMs: 200,
    maxMessageBytes: 1024 * 1024,
    heartbeatMs: 30_000,
  })
  const url = await ctx.serveCollab(collab)
  // Runs before the shutdown above, so a test that failed early cannot leave loading stuck.
  ctx.defer(() => release())
  const documents = new DocumentService(catalog, store, collab, persistence)
  ctx.defer(() => documents.close())
  return { id, url, dataDir, release, loadsStarted: () => loadsStarted, collab, documents, expectedText: '慢慢加载的文档' + Array.from({ length: 200 }, (_, i) => `第${i}段正文`).join('') }
}

describe('a client connecting while the document loads', () => {
  it('sends nothing until loaded; the first sync step 2 already carries the stored content', async () => {
    const gated = await startGatedServer()
    const raw = ctx.raw(`${gated.url}/${gated.id}`)
    await raw.opened
    // The client speaks first, as y-websocket does.
    const local = new Y.Doc()
    raw.send(syncStep1(local))
    await waitFor(() => gated.loadsStarted() === 1, 5000, 'loading to start')
    await sleep(200)
    expect(raw.messages).toHaveLength(0)

    gated.release()
    await waitFor(() => raw.messages.map(decodeServerMessage).some((d) => d.kind === 'sync' && d.step === STEP2), 10_000, 'sync step 2')
    const decoded = raw.messages.map(decodeServerMessage)
    const firstStep2 = decoded.find((d) => d.kind === 'sync' && d.step === STEP2) as { payload: Uint8Array }
    expect(docText(docFromUpdate(firstStep2.payload))).toBe(gated.expectedText)
    // The server's own sync step 1 announces the loaded state, not an empty one.
    const step1 = decoded.find((d) => d.kind === 'sync' && d.step === STEP1) as { payload: Uint8Array }
    expect(Y.decodeStateVector(step1.payload).size).toBeGreaterThan(0)
  })

  it('stock clients that connect during loading are never synced to an empty document', async () => {
    const gated = await startGatedServer()
    const textAtSync: string[] = []
    const clients = [ctx.provider(gated.url, gated.id), ctx.provider(gated.url, gated.id)]
    for (const client of clients) {
      client.provider.on('sync', (synced: boolean) => {
        if (synced) textAtSync.push(docText(client.doc))
      })
    }
    await waitFor(() => clients.every((c) => c.provider.wsconnected), 10_000, 'both sockets to open')
    await waitFor(() => gated.loadsStarted() === 1, 5000, 'loading to start')
    // Edits made offline before the document loads must merge, not be lost or duplicated.
    appendParagraph(clients[0].doc, '加载前的本地编辑')
    await sleep(150)
    expect(clients.some((c) => c.provider.synced)).toBe(false)

    gated.release()
    await waitFor(() => clients.every((c) => c.provider.synced), 10_000, 'both clients to sync')
    expect(textAtSync).toHaveLength(2)
    for (const text of textAtSync) expect(text).toContain('慢慢加载的文档')
    expect(gated.loadsStarted()).toBe(1)
    await waitFor(() => docText(clients[1].doc).includes('加载前的本地编辑'), 10_000, 'the offline edit to arrive')
    await waitFor(() => docText(clients[0].doc) === docText(clients[1].doc), 10_000, 'convergence')
    expect(docText(clients[0].doc).split('慢慢加载的文档').length).toBe(2)
  })
})

describe('deleting a document while it loads', () => {
  it('closes the waiting connection with 4404 and leaves no files behind', async () => {
    const gated = await startGatedServer()
    const raw = ctx.raw(`${gated.url}/${gated.id}`)
    await raw.opened
    raw.send(syncStep1(new Y.Doc()))
    await waitFor(() => gated.loadsStarted() === 1, 5000, 'loading to start')
    const removal = gated.documents.remove(gated.id)
    await sleep(50)
    gated.release()
    expect(await removal).toBe(true)
    expect((await raw.closed).code).toBe(4404)
    // It never received the content of the deleted document.
    expect(raw.messages.map(decodeServerMessage).filter((d) => d.kind === 'sync')).toEqual([])
    expect(gated.collab.isLoaded(gated.id)).toBe(false)
    await sleep(200)
    expect(existsSync(stateFilePath(gated.dataDir, gated.id))).toBe(false)
    expect(existsSync(logFilePath(gated.dataDir, gated.id))).toBe(false)
  })
})

describe('heartbeat', () => {
  it('terminates a connection that stops answering pings, and only that one', async () => {
    const running = await ctx.startServer({ heartbeatMs: 300 })
    const { id } = await createDocument(running, '心跳')
    const healthy = await ctx.syncedProvider(running, id)
    const mute = ctx.rawFor(running, id, { autoPong: false })
    await mute.opened
    await waitFor(() => mute.messages.length > 0, 10_000, 'the greeting')
    const closed = await mute.closed
    expect(closed.code).toBe(1006)
    // The healthy client answered every ping and is still connected and syncing.
    expect(healthy.provider.wsconnected).toBe(true)
    const other = await ctx.syncedProvider(running, id)
    await expectStillSyncing(healthy, other, 'heartbeat')
  })
})

describe('awareness protocol details', () => {
  it('answers a query-awareness with the current states', async () => {
    const running = await ctx.startServer()
    const { id } = await createDocument(running, '查询在线')
    const li = await running.createUser('lisi', { displayName: '李四' })
    await share(running, id, 'lisi', 'viewer')
    const a = await ctx.syncedProvider(li, id)
    a.provider.awareness.setLocalStateField('user', { name: '李四' })
    const raw = await attachedRaw(running, id)
    const countBefore = raw.messages.length
    raw.send(new Uint8Array([3]))
    await waitFor(() => raw.messages.slice(countBefore).some((m) => decodeServerMessage(m).kind === 'awareness'))
    const message = raw.messages.slice(countBefore).find((m) => decodeServerMessage(m).kind === 'awareness')!
    const decoder = decoding.createDecoder(message)
    decoding.readVarUint(decoder)
    const observer = new awarenessProtocol.Awareness(new Y.Doc())
    awarenessProtocol.applyAwarenessUpdate(observer, decoding.readVarUint8Array(decoder), 'test')
    expect((observer.getStates().get(a.doc.clientID) as { user: { name: string } }).user.name).toBe('李四')
    observer.destroy()
  })
})
