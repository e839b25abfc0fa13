import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { docJSONToUpdate } from '../../shared/editor/lib/ydoc'
import { plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import {
  TestContext,
  appendParagraph,
  docText,
  legacyStateFilePath,
  loadFromDisk,
  logFilePath,
  logSize,
  readStateFile,
  stateFilePath,
  waitFor,
} from '../testing/harness'
import { Catalog } from './Catalog'
import { STORE_ORIGIN } from './applyStored'
import { DocumentStore, type DocumentStoreOptions, type PersistedDocument } from './DocumentStore'
import { CorruptFileError } from './errors'
import { encodeFrame } from './frames'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

async function newStore(options: Partial<DocumentStoreOptions> = {}, dataDir?: string) {
  const dir = dataDir ?? (await ctx.tempDir('huigao-store-'))
  const errors: unknown[] = []
  const store = new DocumentStore(dir, {
    flushIntervalMs: 50,
    compactAfterBytes: 4 * 1024 * 1024,
    onError: (error) => errors.push(error),
    ...options,
  })
  await store.init()
  ctx.defer(() => store.close())
  return { dir, store, errors }
}

/** Opens a document and wires its updates into the log, as the Persistence extension does. */
async function openLive(store: DocumentStore, id: string) {
  const doc = new Y.Doc()
  const persisted: PersistedDocument = await store.open(id, doc)
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== STORE_ORIGIN) persisted.append(update)
  })
  ctx.defer(() => doc.destroy())
  // Releases the log's file handle (compacting once more is harmless after the assertions).
  ctx.defer(() => persisted.close().catch(() => undefined))
  return { doc, persisted }
}

async function openFresh(store: DocumentStore, id: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  ctx.defer(() => doc.destroy())
  await store.open(id, doc)
  return doc
}

async function captureError(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  )
}

describe('DocumentStore', () => {
  it('creates a document and loads its initial content', async () => {
    const { store } = await newStore()
    await store.create('doc1', docJSONToUpdate(plainTextToDocJSON('标题\n第一段\n第二段')))
    const doc = await openFresh(store, 'doc1')
    expect(docText(doc)).toBe('标题第一段第二段')
  })

  it('does not echo loaded content back into the log', async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', docJSONToUpdate(plainTextToDocJSON('标题\n正文')))
    const { persisted } = await openLive(store, 'doc1')
    await persisted.flush()
    expect(await logSize(dir, 'doc1')).toBe(0)
  })

  it('replays updates that only reached the log (crash before compaction)', async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', docJSONToUpdate(plainTextToDocJSON('标题\n原有段落')))
    const stateBefore = await fs.readFile(stateFilePath(dir, 'doc1'))
    const { doc, persisted } = await openLive(store, 'doc1')
    appendParagraph(doc, '新增第一段')
    appendParagraph(doc, '新增第二段')
    doc.getText('notes').insert(0, 'side note')
    await persisted.flush()
    // No close(): the process "dies" here. The state file was never rewritten.
    expect(await fs.readFile(stateFilePath(dir, 'doc1'))).toEqual(stateBefore)
    expect(await logSize(dir, 'doc1')).toBeGreaterThan(0)

    const { store: restarted } = await newStore({}, dir)
    const reloaded = await openFresh(restarted, 'doc1')
    expect(docText(reloaded)).toBe('标题原有段落新增第一段新增第二段')
    expect(reloaded.getText('notes').toString()).toBe('side note')
  })

  it('persists the group commit on its own, without an explicit flush', async () => {
    const { dir, store } = await newStore({ flushIntervalMs: 30 })
    await store.create('doc1', docJSONToUpdate(plainTextToDocJSON('标题')))
    const { doc } = await openLive(store, 'doc1')
    appendParagraph(doc, '定时写入')
    await waitFor(async () => docText(await loadFromDisk(dir, 'doc1')).includes('定时写入'), 5000, 'the update to reach the log')
  })

  it('close() compacts: the state file holds everything and the log is empty', async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', docJSONToUpdate(plainTextToDocJSON('标题')))
    const { doc, persisted } = await openLive(store, 'doc1')
    for (let i = 0; i < 20; i++) appendParagraph(doc, `段落${i}`)
    await persisted.close()
    expect(await logSize(dir, 'doc1')).toBe(0)
    const stored = await readStateFile(dir, 'doc1')
    expect(docText(stored)).toBe(docText(doc))
    expect(docText(stored)).toContain('段落19')

    const { store: restarted } = await newStore({}, dir)
    expect(docText(await openFresh(restarted, 'doc1'))).toBe(docText(doc))
  })

  it('compacts once the log grows past compactAfterBytes, without losing or duplicating content', async () => {
    const { dir, store, errors } = await newStore({ compactAfterBytes: 2000 })
    await store.create('doc1', docJSONToUpdate(plainTextToDocJSON('标题')))
    const { doc, persisted } = await openLive(store, 'doc1')
    const stateBefore = await fs.readFile(stateFilePath(dir, 'doc1'))
    for (let i = 0; i < 60; i++) appendParagraph(doc, `第${i}段：${'内容'.repeat(20)}`)
    await waitFor(async () => !(await fs.readFile(stateFilePath(dir, 'doc1'))).equals(stateBefore), 5000, 'a compaction')
    // More edits after (and possibly during) compaction.
    for (let i = 60; i < 70; i++) appendParagraph(doc, `第${i}段`)
    await persisted.flush()
    expect(errors).toEqual([])

    const { store: restarted } = await newStore({}, dir)
    const reloaded = await openFresh(restarted, 'doc1')
    expect(docText(reloaded)).toBe(docText(doc))
    expect(reloaded.getXmlFragment('default').length).toBe(doc.getXmlFragment('default').length)
    await persisted.close()
  })

  it('reports a state file with a damaged chunk as CorruptFileError and does not overwrite it', async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', docJSONToUpdate(plainTextToDocJSON('标题')))
    const file = stateFilePath(dir, 'doc1')
    const data = await fs.readFile(file)
    data[data.length - 2] ^= 0xff
    await fs.writeFile(file, data)
    const error = await captureError(store.open('doc1', new Y.Doc()))
    expect(error).toBeInstanceOf(CorruptFileError)
    expect((error as CorruptFileError).file).toBe(file)
    expect((error as Error).message).toContain(file)
    expect(await fs.readFile(file)).toEqual(data)
  })

  it('reports a truncated or empty state file as CorruptFileError (it is only ever written whole)', async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', docJSONToUpdate(plainTextToDocJSON('标题')))
    const file = stateFilePath(dir, 'doc1')
    const data = await fs.readFile(file)
    await fs.writeFile(file, data.subarray(0, data.length - 1))
    expect(await captureError(store.open('doc1', new Y.Doc()))).toBeInstanceOf(CorruptFileError)
    await fs.writeFile(file, Buffer.alloc(0))
    expect(await captureError(store.open('doc1', new Y.Doc()))).toBeInstanceOf(CorruptFileError)
  })

  it('reports a chunk that is not a Yjs update as CorruptFileError naming the state file', async () => {
    const { dir, store } = await newStore()
    await fs.writeFile(stateFilePath(dir, 'doc1'), encodeFrame(Buffer.from('hello world, this is not a yjs update')))
    const error = await captureError(store.open('doc1', new Y.Doc()))
    expect(error).toBeInstanceOf(CorruptFileError)
    expect((error as CorruptFileError).file).toBe(stateFilePath(dir, 'doc1'))
  })

  it('reports a legacy state file that is not JSON as CorruptFileError and does not overwrite it', async () => {
    const { dir, store } = await newStore()
    const file = legacyStateFilePath(dir, 'doc1')
    await fs.writeFile(file, '{not json')
    const error = await captureError(store.open('doc1', new Y.Doc()))
    expect(error).toBeInstanceOf(CorruptFileError)
    expect((error as CorruptFileError).file).toBe(file)
    expect((error as Error).message).toContain(file)
    expect(await fs.readFile(file, 'utf8')).toBe('{not json')
  })

  it('reports a legacy state file with the wrong shape as CorruptFileError', async () => {
    const { dir, store } = await newStore()
    await fs.writeFile(legacyStateFilePath(dir, 'doc1'), JSON.stringify({ format: 2, data: [] }))
    expect(await captureError(store.open('doc1', new Y.Doc()))).toBeInstanceOf(CorruptFileError)
  })

  it('reports a legacy state file whose content is not a Yjs update as CorruptFileError', async () => {
    const { dir, store } = await newStore()
    const garbage = Buffer.from('hello world, this is not a yjs update').toString('base64')
    await fs.writeFile(legacyStateFilePath(dir, 'doc1'), JSON.stringify({ format: 1, state: garbage, compactedAt: '' }))
    const error = await captureError(store.open('doc1', new Y.Doc()))
    expect(error).toBeInstanceOf(CorruptFileError)
    expect((error as CorruptFileError).file).toBe(legacyStateFilePath(dir, 'doc1'))
  })

  it('reports a log with a damaged middle frame as CorruptFileError naming the log', async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', docJSONToUpdate(plainTextToDocJSON('标题')))
    const { doc, persisted } = await openLive(store, 'doc1')
    appendParagraph(doc, '一')
    await persisted.flush()
    appendParagraph(doc, '二')
    await persisted.flush()
    appendParagraph(doc, '三')
    await persisted.flush()
    const data = await fs.readFile(logFilePath(dir, 'doc1'))
    data[10] ^= 0xff
    await fs.writeFile(logFilePath(dir, 'doc1'), data)
    const error = await captureError(store.open('doc1', new Y.Doc()))
    expect(error).toBeInstanceOf(CorruptFileError)
    expect((error as CorruptFileError).file).toBe(logFilePath(dir, 'doc1'))
  })

  it('loads the good part of a log with a torn tail', async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', docJSONToUpdate(plainTextToDocJSON('标题')))
    const { doc, persisted } = await openLive(store, 'doc1')
    appendParagraph(doc, '保留')
    await persisted.flush()
    await fs.appendFile(logFilePath(dir, 'doc1'), Buffer.from([0x20, 0, 0, 0, 1, 2, 3, 4, 5, 6]))
    const { store: restarted } = await newStore({}, dir)
    expect(docText(await openFresh(restarted, 'doc1'))).toBe('标题保留')
    const torn = (await fs.readdir(path.join(dir, 'documents'))).filter((name) => name.includes('.torn-'))
    expect(torn).toHaveLength(1)
  })

  it('remove() deletes both files', async () => {
    const { dir, store } = await newStore()
    await store.create('doc1', docJSONToUpdate(plainTextToDocJSON('标题')))
    const { doc, persisted } = await openLive(store, 'doc1')
    appendParagraph(doc, 'x')
    await persisted.flush()
    expect(existsSync(logFilePath(dir, 'doc1'))).toBe(true)
    await persisted.discard()
    await store.remove('doc1')
    expect(existsSync(stateFilePath(dir, 'doc1'))).toBe(false)
    expect(existsSync(logFilePath(dir, 'doc1'))).toBe(false)
  })
})

describe('Catalog', () => {
  it('is new only on the first open and keeps its entries', async () => {
    const dir = await ctx.tempDir('huigao-catalog-')
    const first = await Catalog.open(dir)
    expect(first.isNew).toBe(true)
    await first.add({ id: 'a', title: 'A', createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', ownerId: 'u1', members: { u2: 'reviewer' } })
    const second = await Catalog.open(dir)
    expect(second.isNew).toBe(false)
    expect(second.get('a')?.title).toBe('A')
    expect(second.get('a')).toMatchObject({ ownerId: 'u1', members: { u2: 'reviewer' } })
  })

  it('reports a corrupt catalog.json as CorruptFileError and leaves it alone', async () => {
    const dir = await ctx.tempDir('huigao-catalog-')
    const file = path.join(dir, 'catalog.json')
    await fs.writeFile(file, '{"documents": [')
    const error = await captureError(Catalog.open(dir))
    expect(error).toBeInstanceOf(CorruptFileError)
    expect((error as CorruptFileError).file).toBe(file)
    expect(await fs.readFile(file, 'utf8')).toBe('{"documents": [')
  })
})
