// The group commit's journal (Journal.ts) through DocumentStore: one write per tick for every
// document, folded into the documents' logs on flush, compaction, close, checkpoint and recovery.
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { TestContext, logSize } from '../testing/harness'
import { STORE_ORIGIN } from './applyStored'
import { DocumentStore, type DocumentStoreOptions, type PersistedDocument } from './DocumentStore'
import { readFrames } from './frames'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

/** Ticks never fire on their own here: the tests write what is due with journal.writeDue(). */
async function newStore(dir: string, options: Partial<DocumentStoreOptions> = {}) {
  const errors: unknown[] = []
  const store = new DocumentStore(dir, { flushIntervalMs: 60_000, compactAfterBytes: 1 << 30, onError: (error) => errors.push(error), ...options })
  await store.init()
  ctx.defer(() => store.close())
  return { store, errors }
}

const initial = () => Y.encodeStateAsUpdate(new Y.Doc())

async function openLive(store: DocumentStore, id: string) {
  const doc = new Y.Doc()
  const persisted: PersistedDocument = await store.open(id, doc)
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== STORE_ORIGIN) persisted.append(update)
  })
  return { doc, persisted }
}

/** A fresh data directory with a store and these documents open. */
async function storeWith(ids: string[], options: Partial<DocumentStoreOptions> = {}) {
  const dir = await ctx.tempDir('huigao-journal-')
  const { store, errors } = await newStore(dir, options)
  const live = []
  for (const id of ids) {
    await store.create(id, initial())
    live.push(await openLive(store, id))
  }
  return { dir, store, errors, live }
}

const journalDir = (dir: string) => path.join(dir, 'journal')
const journalFiles = async (dir: string) => (await fs.readdir(journalDir(dir)).catch(() => [] as string[])).filter((name) => name.endsWith('.journal')).sort()
const type = (doc: Y.Doc, text: string) => doc.getText('t').insert(doc.getText('t').length, text)
const textOf = (doc: Y.Doc) => doc.getText('t').toString()

/** A copy of the data directory as a crash leaves it (the files as they are on disk now). */
async function crashCopy(dir: string): Promise<string> {
  const copy = await ctx.tempDir('huigao-crash-')
  await fs.cp(dir, copy, { recursive: true })
  return copy
}

/** What a restarted server loads: a store on `dir` (its init folds the journal), then the document. */
async function reload(dir: string, id: string): Promise<string> {
  const { store } = await newStore(dir)
  const doc = new Y.Doc()
  await store.open(id, doc)
  return textOf(doc)
}

describe('Journal', () => {
  it('writes every document\'s updates of a tick in one journal file, not in their logs, and a restart folds them in', async () => {
    const ids = ['a', 'b', 'c']
    const { dir, store, live } = await storeWith(ids)
    live.forEach(({ doc }, i) => type(doc, `文档${i}的第一次输入`))
    await store.journal.writeDue()
    expect(await journalFiles(dir)).toHaveLength(1)
    for (const id of ids) expect(await logSize(dir, id)).toBe(0)

    const copy = await crashCopy(dir)
    for (const [i, id] of ids.entries()) expect(await reload(copy, id)).toBe(`文档${i}的第一次输入`)
    // Folded into the logs, durably, and the journal is gone.
    expect(await journalFiles(copy)).toEqual([])
    for (const id of ids) expect(await logSize(copy, id)).toBeGreaterThan(0)
  })

  it('flush() writes the journaled updates to the document\'s own log', async () => {
    const {
      dir,
      store,
      live: [{ doc, persisted }],
    } = await storeWith(['a'])
    type(doc, '先进日志')
    await store.journal.writeDue()
    type(doc, '后直接写')
    await persisted.flush()
    const copy = await crashCopy(dir)
    await fs.rm(journalDir(copy), { recursive: true })
    expect(await reload(copy, 'a')).toBe('先进日志后直接写')
  })

  it('a closed store leaves no journal behind and everything is in the logs', async () => {
    const {
      dir,
      store,
      live: [{ doc }],
    } = await storeWith(['a'])
    type(doc, '关闭前')
    await store.journal.writeDue()
    await store.close()
    expect(await journalFiles(dir)).toEqual([])
    expect(await reload(dir, 'a')).toBe('关闭前')
  })

  it('a checkpoint writes the journaled updates to the logs and deletes the old journal file', async () => {
    const {
      dir,
      store,
      errors,
      live: [a, b],
    } = await storeWith(['a', 'b'], { journalCheckpointBytes: 2000 })
    for (let i = 0; i < 40; i++) {
      type(a.doc, `甲${i}`)
      type(b.doc, `乙${i}`)
      await store.journal.writeDue()
    }
    await store.journal.checkpoint()
    expect((await journalFiles(dir)).length).toBeLessThanOrEqual(1)
    const copy = await crashCopy(dir)
    await fs.rm(journalDir(copy), { recursive: true })
    // Without any journal, the logs alone hold everything written before the last checkpoint.
    expect(await reload(copy, 'a')).toBe(textOf(a.doc))
    expect(await reload(copy, 'b')).toBe(textOf(b.doc))
    expect(errors).toEqual([])
  })

  it('sets a torn final record aside (kept beside the journal) and restores every whole one', async () => {
    const {
      dir,
      store,
      live: [a, b],
    } = await storeWith(['a', 'b'])
    type(a.doc, '第一批')
    type(b.doc, '第一批')
    await store.journal.writeDue()
    const [name] = await journalFiles(dir)
    const firstWrite = (await fs.stat(path.join(journalDir(dir), name))).size
    type(a.doc, '第二批')
    await store.journal.writeDue()
    const copy = await crashCopy(dir)
    const file = path.join(journalDir(copy), name)
    const whole = await fs.readFile(file)
    await fs.truncate(file, firstWrite + 5)
    expect(await reload(copy, 'a')).toBe('第一批')
    expect(await reload(copy, 'b')).toBe('第一批')
    const torn = (await fs.readdir(journalDir(copy))).filter((n) => n.includes('.torn-'))
    expect(torn).toHaveLength(1)
    expect(await fs.readFile(path.join(journalDir(copy), torn[0]))).toEqual(whole.subarray(firstWrite, firstWrite + 5))
  })

  it('a damaged record costs no other record its updates, keeps the file aside as it was, and the server starts; a client holding the lost updates restores them', async () => {
    const { dir, store, live } = await storeWith(['a', 'b'])
    const [a, b] = live
    type(a.doc, '第一批')
    await store.journal.writeDue()
    type(b.doc, '乙一')
    await store.journal.writeDue()
    type(a.doc, '第二批')
    type(b.doc, '乙二')
    await store.journal.writeDue()
    const copy = await crashCopy(dir)
    const [name] = await journalFiles(copy)
    const file = path.join(journalDir(copy), name)
    const data = await fs.readFile(file)
    data[12] ^= 0xff // inside a's first record
    await fs.writeFile(file, data)

    const { store: restarted } = await newStore(copy)
    expect(await journalFiles(copy)).toEqual([])
    const aside = (await fs.readdir(journalDir(copy))).filter((n) => n.startsWith(`${name}.damaged-`))
    expect(aside).toHaveLength(1)
    expect(await fs.readFile(path.join(journalDir(copy), aside[0]))).toEqual(data)
    const docB = new Y.Doc()
    await restarted.open('b', docB)
    expect(textOf(docB)).toBe('乙一乙二')
    // a's second batch depends on the lost first one: it waits (pending), nothing of a is shown wrong…
    const docA = new Y.Doc()
    const persistedA = await restarted.open('a', docA)
    expect(textOf(docA)).toBe('')
    expect(docA.store.pendingStructs).not.toBeNull()
    // …until a client that holds a's updates syncs: everything is there, and stored.
    docA.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== STORE_ORIGIN) persistedA.append(update)
    })
    Y.applyUpdate(docA, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(docA)))
    expect(textOf(docA)).toBe('第一批第二批')
    await persistedA.flush()
    await restarted.close()
    expect(await reload(copy, 'a')).toBe('第一批第二批')
  })

  it('a document whose close failed is opened again with every journaled update (written first), or not at all', async () => {
    const { dir, store, live } = await storeWith(['a'])
    const [a] = live
    type(a.doc, '期刊里的改动')
    await store.journal.writeDue()
    // The log cannot be written (here: a directory where the file goes): the close fails.
    const logFile = path.join(dir, 'documents', 'a.log')
    await fs.mkdir(logFile)
    await expect(a.persisted.close()).rejects.toThrow()
    // Still failing when opened again: refused, not served without the change.
    await expect(store.open('a', new Y.Doc())).rejects.toThrow()
    await fs.rmdir(logFile)
    const again = new Y.Doc()
    await store.open('a', again)
    expect(textOf(again)).toBe('期刊里的改动')
    expect(await logSize(dir, 'a')).toBeGreaterThan(0)
  })

  it('does not bring back a document deleted after its updates were journaled', async () => {
    const {
      dir,
      store,
      live: [a],
    } = await storeWith(['a'])
    type(a.doc, '将被删除')
    await store.journal.writeDue()
    await a.persisted.discard()
    await store.remove('a')
    const copy = await crashCopy(dir)
    await newStore(copy)
    expect(existsSync(path.join(copy, 'documents', 'a.log'))).toBe(false)
    expect(await journalFiles(copy)).toEqual([])
    // Not restored, but not dropped either: kept aside (the state file might have been lost, not deleted).
    const aside = (await fs.readdir(path.join(copy, 'journal'))).filter((name) => name.startsWith('a.without-state-'))
    expect(aside).toHaveLength(1)
    expect(readFrames(await fs.readFile(path.join(copy, 'journal', aside[0]))).frames.length).toBeGreaterThan(0)
  })

  it('appends after a log\'s torn tail only once it is set aside (no damage in the middle)', async () => {
    const {
      dir,
      store,
      live: [a],
    } = await storeWith(['a'])
    type(a.doc, '在日志里')
    await a.persisted.flush()
    type(a.doc, '在期刊里')
    await store.journal.writeDue()
    const copy = await crashCopy(dir)
    // A crash while a log write was under way: half a frame at its end.
    await fs.appendFile(path.join(copy, 'documents', 'a.log'), Buffer.from([40, 0, 0, 0, 1, 2, 3]))
    expect(await reload(copy, 'a')).toBe('在日志里在期刊里')
    expect((await fs.readdir(path.join(copy, 'documents'))).filter((n) => n.startsWith('a.log.torn-'))).toHaveLength(1)
  })

  it('keeps the updates of a document whose log is damaged beside it and still starts', async () => {
    const {
      dir,
      store,
      live: [a, b],
    } = await storeWith(['a', 'b'])
    type(a.doc, '甲')
    await a.persisted.flush()
    type(a.doc, '甲二')
    type(b.doc, '乙')
    await store.journal.writeDue()
    const copy = await crashCopy(dir)
    const log = path.join(copy, 'documents', 'a.log')
    const data = await fs.readFile(log)
    data[data.length - 1] ^= 0xff
    await fs.writeFile(log, data)
    expect(await reload(copy, 'b')).toBe('乙')
    const aside = (await fs.readdir(path.join(copy, 'documents'))).filter((n) => n.startsWith('a.log.journal-'))
    expect(aside).toHaveLength(1)
    expect(await fs.readFile(log)).toEqual(data)
  })

  it('property: after any mix of typing, ticks, flushes, compactions and checkpoints, a crash loses nothing written and a torn last write loses at most that write', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('type' as const), doc: fc.nat(2), text: fc.string({ minLength: 1, maxLength: 6 }) }),
            fc.record({ op: fc.constant('tick' as const) }),
            fc.record({ op: fc.constant('flush' as const), doc: fc.nat(2) }),
            fc.record({ op: fc.constant('compact' as const), doc: fc.nat(2) }),
            fc.record({ op: fc.constant('checkpoint' as const) }),
          ),
          { minLength: 1, maxLength: 25 },
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (ops, cut) => {
          const ids = ['d0', 'd1', 'd2']
          const { dir, store, errors, live } = await storeWith(ids, { journalCheckpointBytes: 600 })
          for (const step of ops) {
            if (step.op === 'type') type(live[step.doc].doc, step.text)
            else if (step.op === 'tick') await store.journal.writeDue()
            else if (step.op === 'flush') await live[step.doc].persisted.flush()
            else if (step.op === 'compact') await live[step.doc].persisted.compact()
            else await store.journal.checkpoint()
          }
          await store.journal.writeDue()
          await store.journal.idle()
          const before = live.map(({ doc }) => textOf(doc))
          const files = await journalFiles(dir)
          const last = files.length > 0 ? path.join(journalDir(dir), files[files.length - 1]) : null
          const sizeBefore = last ? (await fs.stat(last)).size : 0
          // The last write before the crash: whatever was typed since the last tick.
          for (const [i, { doc }] of live.entries()) type(doc, `末${i}`)
          await store.journal.writeDue()
          await store.journal.idle()
          const after = live.map(({ doc }) => textOf(doc))

          const whole = await crashCopy(dir)
          for (const [i, id] of ids.entries()) expect(await reload(whole, id)).toBe(after[i])

          // The same crash, mid-write: the last write cut at `cut` of its length.
          const torn = await crashCopy(dir)
          const names = await journalFiles(torn)
          // (No journal file: a checkpoint after the last write put everything in the logs.)
          if (names.length > 0) {
            const newest = path.join(journalDir(torn), names[names.length - 1])
            const size = (await fs.stat(newest)).size
            const start = last && path.basename(newest) === path.basename(last) ? sizeBefore : 0
            await fs.truncate(newest, start + Math.floor(cut * (size - start)))
          }
          for (const [i, id] of ids.entries()) expect([before[i], after[i]]).toContain(await reload(torn, id))
          expect(errors).toEqual([])
          await store.close()
        },
      ),
      { numRuns: 25 },
    )
    // 25 runs of real file I/O: ~6 s on an idle machine, several times that on a shared one.
  }, 180_000)
})
