import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { TestContext, appendParagraph, docText, journalIncludes, logFilePath, logSize, readStateChunks, stateFilePath, waitFor } from '../testing/harness'
import { STORE_ORIGIN } from './applyStored'
import { compactFiles } from './compaction'
import { DocumentStore, type DocumentStoreOptions } from './DocumentStore'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

async function newStore(options: Partial<DocumentStoreOptions> = {}, dataDir?: string) {
  const dir = dataDir ?? (await ctx.tempDir('huigao-compact-'))
  const errors: unknown[] = []
  const store = new DocumentStore(dir, { flushIntervalMs: 30, compactAfterBytes: 1 << 30, onError: (error) => errors.push(error), ...options })
  await store.init()
  ctx.defer(() => store.close())
  return { dir, store, errors }
}

/** Opens a document and logs its changes, as the Persistence extension does. */
async function openLive(store: DocumentStore, id: string) {
  const doc = new Y.Doc()
  const persisted = await store.open(id, doc)
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== STORE_ORIGIN) persisted.append(update)
  })
  ctx.defer(() => doc.destroy())
  return { doc, persisted }
}

async function reload(dir: string, id: string): Promise<Y.Doc> {
  const { store } = await newStore({}, dir)
  const doc = new Y.Doc()
  ctx.defer(() => doc.destroy())
  await store.open(id, doc)
  return doc
}

/** A document of a few MB in many structs, so that its compaction takes a while. */
function bigContent(doc: Y.Doc, paragraphs = 3000): void {
  for (let i = 0; i < paragraphs; i++) appendParagraph(doc, `第${i}段：${'正文内容'.repeat(40)}`)
}

const filesOf = (dir: string, id: string) => ({
  state: stateFilePath(dir, id),
  legacy: path.join(dir, 'documents', `${id}.json`),
  log: logFilePath(dir, id),
})

describe('compaction from files', () => {
  it('folds the log into the state file in the worker and cuts the log', async () => {
    const { dir, store, errors } = await newStore()
    await store.create('doc1', Y.encodeStateAsUpdate(new Y.Doc()))
    const { doc, persisted } = await openLive(store, 'doc1')
    for (let i = 0; i < 50; i++) appendParagraph(doc, `段落${i}`)
    await persisted.compact()
    expect(await logSize(dir, 'doc1')).toBe(0)
    expect((await readStateChunks(dir, 'doc1')).length).toBeGreaterThan(1)
    expect(docText(await reload(dir, 'doc1'))).toBe(docText(doc))
    expect(errors).toEqual([])
    await persisted.close()
  })

  it('keeps the group commit flowing while the worker compacts (a crash still loses ≤ one flush interval)', async () => {
    const { dir, store, errors } = await newStore({ flushIntervalMs: 20 })
    await store.create('doc1', Y.encodeStateAsUpdate(new Y.Doc()))
    const { doc, persisted } = await openLive(store, 'doc1')
    bigContent(doc)
    await persisted.flush()
    const compacting = persisted.compact()
    let done = false
    void compacting.finally(() => (done = true))
    // The log is cut only at the end: edits made meanwhile must reach the disk (the journal) within the interval.
    // (After a turn of I/O: by then the compaction has flushed the log and noted the length it folds.)
    await logSize(dir, 'doc1')
    appendParagraph(doc, '压缩期间的编辑')
    await waitFor(async () => done || (await journalIncludes(dir, '压缩期间的编辑')), 5000, 'the edit to be flushed')
    expect(done).toBe(false)
    for (let i = 0; i < 20; i++) appendParagraph(doc, `压缩期间${i}`)
    await compacting
    // Only the prefix the worker folded in is gone; the edits made during the compaction are still in the log.
    await persisted.flush()
    expect(await logSize(dir, 'doc1')).toBeGreaterThan(0)
    const reloaded = await reload(dir, 'doc1')
    expect(docText(reloaded)).toBe(docText(doc))
    expect(errors).toEqual([])
    await persisted.close()
  })

  it('replays a log that still holds what the state file has (crash between the two steps) without duplicating anything', async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', Y.encodeStateAsUpdate(new Y.Doc()))
    const { doc, persisted } = await openLive(store, 'doc1')
    for (let i = 0; i < 30; i++) appendParagraph(doc, `段落${i}`)
    doc.getText('notes').insert(0, '备注')
    doc.getMap('meta').set('k', 1)
    await persisted.flush()
    const logBytes = await logSize(dir, 'doc1')
    // The worker's step (new state file) happened, the log cut did not: the "process died" here.
    await compactFiles({ ...filesOf(dir, 'doc1'), logBytes, maxChunkBytes: 1024 })
    expect(await logSize(dir, 'doc1')).toBe(logBytes)
    const reloaded = await reload(dir, 'doc1')
    expect(docText(reloaded)).toBe(docText(doc))
    expect(reloaded.getText('notes').toString()).toBe('备注')
    expect(Y.encodeStateVector(reloaded)).toEqual(Y.encodeStateVector(doc))
    expect(reloaded.getXmlFragment('default').length).toBe(30)
  })

  it('does not recreate the files of a document deleted while its compaction runs', async () => {
    const { dir, store, errors } = await newStore()
    await store.create('doc1', Y.encodeStateAsUpdate(new Y.Doc()))
    const { doc, persisted } = await openLive(store, 'doc1')
    bigContent(doc, 2000)
    const compacting = persisted.compact()
    // What DocumentService.remove does: discard, then remove the files.
    await persisted.discard()
    await store.remove('doc1')
    await compacting
    appendParagraph(doc, '删除之后')
    await new Promise((resolve) => setTimeout(resolve, 150))
    for (const file of await fs.readdir(path.join(dir, 'documents'))) expect(file.startsWith('doc1')).toBe(false)
    expect(errors).toEqual([])
  })

  it('skips a queued compaction of a document deleted before its turn', async () => {
    const { dir, store } = await newStore()
    for (const id of ['big', 'small']) await store.create(id, Y.encodeStateAsUpdate(new Y.Doc()))
    const big = await openLive(store, 'big')
    bigContent(big.doc, 2000)
    const small = await openLive(store, 'small')
    appendParagraph(small.doc, '小文档')
    const createdState = await fs.readFile(stateFilePath(dir, 'small'))
    const first = big.persisted.compact()
    // Queued behind the big one in the single worker.
    const second = small.persisted.compact()
    await small.persisted.discard()
    await Promise.all([first, second])
    // Its turn came after the discard: never run, the state file is still the one create() wrote.
    expect(await fs.readFile(stateFilePath(dir, 'small'))).toEqual(createdState)
    await store.remove('small')
    expect(existsSync(stateFilePath(dir, 'small'))).toBe(false)
    expect(existsSync(logFilePath(dir, 'small'))).toBe(false)
    await big.persisted.close()
  })
})
