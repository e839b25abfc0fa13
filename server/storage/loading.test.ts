import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { TestContext, appendParagraph, docText, legacyStateFilePath, logFilePath, logSize, readStateChunks, stateFilePath } from '../testing/harness'
import { STORE_ORIGIN } from './applyStored'
import { DocumentStore, PRECOMPACT_UPDATE_BYTES, type DocumentStoreOptions } from './DocumentStore'
import { UpdateLog } from './UpdateLog'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

async function newStore(options: Partial<DocumentStoreOptions> = {}, dataDir?: string) {
  const dir = dataDir ?? (await ctx.tempDir('huigao-load-'))
  const store = new DocumentStore(dir, { flushIntervalMs: 30, compactAfterBytes: 1 << 30, ...options })
  await store.init()
  ctx.defer(() => store.close())
  return { dir, store }
}

/** Three people's paragraphs, interleaved, plus formatting, a map and a deletion. */
function sampleDocument(paragraphs: number): Y.Doc {
  const people = [1, 2, 3].map((id) => {
    const doc = new Y.Doc()
    doc.clientID = id * 1000
    return doc
  })
  for (let i = 0; i < paragraphs; i++) {
    const author = people[i % 3]
    appendParagraph(author, `第${i}段，作者${author.clientID}：${'内容'.repeat(30)}`)
    const fragment = author.getXmlFragment('default')
    const text = (fragment.get(fragment.length - 1) as Y.XmlElement).get(0) as Y.XmlText
    if (i % 4 === 0) text.format(0, 3, { bold: true })
    for (const other of people) if (other !== author) Y.applyUpdate(other, Y.encodeStateAsUpdate(author, Y.encodeStateVector(other)))
  }
  people[0].getMap('meta').set('title', '报告')
  people[1].getXmlFragment('default').delete(1, 2)
  const merged = new Y.Doc()
  for (const doc of people) Y.applyUpdate(merged, Y.encodeStateAsUpdate(doc))
  return merged
}

const contentOf = (doc: Y.Doc) => [doc.getXmlFragment('default').toString(), doc.getMap('meta').toJSON()]

describe('loading a document', () => {
  it('applies a multi-chunk state a slice at a time, serving other work in between', async () => {
    // Big enough to take several time slices even on a fast machine.
    const { store } = await newStore({ maxChunkBytes: 4096 })
    const original = sampleDocument(2000)
    await store.create('doc1', Y.encodeStateAsUpdate(original))
    const doc = new Y.Doc()
    let slicesApplied = 0
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.origin === STORE_ORIGIN) slicesApplied++
    })
    // A callback that keeps rescheduling itself, as other documents' messages would keep arriving.
    const seenBetween: number[] = []
    let ticking = true
    const tick = () => {
      seenBetween.push(slicesApplied)
      if (ticking) setImmediate(tick)
    }
    setImmediate(tick)
    await store.open('doc1', doc)
    ticking = false
    expect(slicesApplied).toBeGreaterThan(20)
    // It ran while some, but not all, chunks were applied.
    expect(seenBetween.filter((n) => n > 0 && n < slicesApplied).length).toBeGreaterThan(2)
    expect(contentOf(doc)).toEqual(contentOf(original))
    expect(doc.store.pendingStructs).toBeNull()
  })

  it('loads exactly the stored content, formatting included, and the log on top', async () => {
    const { dir, store } = await newStore({ maxChunkBytes: 1024 })
    const original = sampleDocument(60)
    await store.create('doc1', Y.encodeStateAsUpdate(original))
    const live = new Y.Doc()
    const persisted = await store.open('doc1', live)
    live.on('update', (update: Uint8Array, origin: unknown) => origin !== STORE_ORIGIN && persisted.append(update))
    appendParagraph(live, '日志里的段落')
    await persisted.flush()
    const reloaded = new Y.Doc()
    await (await newStore({}, dir)).store.open('doc1', reloaded)
    expect(contentOf(reloaded)).toEqual(contentOf(live))
    expect(Y.encodeStateAsUpdate(reloaded)).toEqual(Y.encodeStateAsUpdate(live))
    await persisted.close()
  })

  it('replays a raw log (a crash before any compaction) in slices, update batches between yields', async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', Y.encodeStateAsUpdate(new Y.Doc()))
    // A raw log as a crash leaves it: one update per keystroke.
    const typist = new Y.Doc()
    const log = new UpdateLog(logFilePath(dir, 'doc1'), { flushIntervalMs: 10_000 })
    typist.on('update', (update: Uint8Array) => log.append(update))
    const text = typist.getText('typed')
    for (let i = 0; i < 20_000; i++) text.insert(i % 7 === 0 ? 0 : text.length, String.fromCharCode(0x4e00 + (i % 500)))
    await log.close()
    const doc = new Y.Doc()
    let batches = 0
    doc.on('afterTransaction', (transaction: Y.Transaction) => transaction.origin === STORE_ORIGIN && batches++)
    await store.open('doc1', doc)
    expect(doc.getText('typed').toString()).toBe(text.toString())
    expect(batches).toBeGreaterThanOrEqual(20)
    // Left for the next compaction (an append past compactAfterBytes, or the unload).
    expect(await logSize(dir, 'doc1')).toBeGreaterThan(0)
  })

  it(`compacts in the worker first when the log holds an update over ${PRECOMPACT_UPDATE_BYTES} bytes (it could not be sliced)`, async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', Y.encodeStateAsUpdate(new Y.Doc()))
    const paster = new Y.Doc()
    const log = new UpdateLog(logFilePath(dir, 'doc1'), { flushIntervalMs: 10_000 })
    paster.on('update', (update: Uint8Array) => log.append(update))
    paster.transact(() => {
      for (let i = 0; i < 400; i++) appendParagraph(paster, `第${i}段：${'粘贴进来的长文'.repeat(200)}`)
    })
    appendParagraph(paster, '之后的一段')
    await log.close()
    expect(await logSize(dir, 'doc1')).toBeGreaterThan(PRECOMPACT_UPDATE_BYTES)
    const stateBefore = await fs.readFile(stateFilePath(dir, 'doc1'))

    const doc = new Y.Doc()
    await store.open('doc1', doc)
    expect(docText(doc)).toBe(docText(paster))
    // Folded into the state file (in chunks), the log emptied.
    expect(await logSize(dir, 'doc1')).toBe(0)
    expect(await fs.readFile(stateFilePath(dir, 'doc1'))).not.toEqual(stateBefore)
    const chunks = await readStateChunks(dir, 'doc1')
    expect(chunks.length).toBeGreaterThan(10)
    const fromState = new Y.Doc()
    for (const chunk of chunks) Y.applyUpdate(fromState, chunk)
    expect(docText(fromState)).toBe(docText(paster))
  })

  it('reads a legacy JSON state file, and the next compaction migrates it to a chunked one', async () => {
    const { dir, store } = await newStore()
    const original = sampleDocument(30)
    // A data directory from before chunked state files: lowdb JSON with the base64 state, plus a log.
    const legacy = legacyStateFilePath(dir, 'doc1')
    await fs.writeFile(legacy, JSON.stringify({ format: 1, state: Buffer.from(Y.encodeStateAsUpdate(original)).toString('base64'), compactedAt: '' }))
    const edit = new Y.Doc()
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(original))
    const log = new UpdateLog(logFilePath(dir, 'doc1'), { flushIntervalMs: 10_000 })
    edit.on('update', (update: Uint8Array) => log.append(update))
    appendParagraph(edit, '日志里的段落')
    await log.close()

    const doc = new Y.Doc()
    const persisted = await store.open('doc1', doc)
    expect(contentOf(doc)).toEqual(contentOf(edit))
    expect(existsSync(stateFilePath(dir, 'doc1'))).toBe(false)
    await persisted.close()
    expect(existsSync(legacy)).toBe(false)
    expect(await logSize(dir, 'doc1')).toBe(0)
    const again = new Y.Doc()
    await (await newStore({}, dir)).store.open('doc1', again)
    expect(contentOf(again)).toEqual(contentOf(edit))
    expect(docText(again)).toContain('日志里的段落')
  })

  it('removes every file of a document, the legacy one included', async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', Y.encodeStateAsUpdate(sampleDocument(3)))
    await fs.writeFile(legacyStateFilePath(dir, 'doc1'), '{}')
    await fs.writeFile(logFilePath(dir, 'doc1'), '')
    await store.remove('doc1')
    expect(await fs.readdir(`${dir}/documents`)).toEqual([])
  })
})
