// DocumentStorage (server/collab/storage.ts) through its interface, on both backends: the embedded
// files (DocumentStore) and PostgreSQL (PgDocumentStore). Then what only PostgreSQL has: leases taken
// over by a second owner, and the fencing that refuses a stale owner's writes.
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DocumentOwnedElsewhere, LeaseLostError, type DocumentStorage, type StoredDocument } from '../collab/storage'
import { leaseHolder, releaseLease, renewLeases, takeLease } from '../postgres/documentLeases'
import { createPool } from '../postgres/pool'
import { PgDocumentStore } from '../postgres/PgDocumentStore'
import { postgresForTests } from '../postgres/testing'
import { TestContext, waitFor } from '../testing/harness'
import { DocumentStore } from './DocumentStore'
import { CorruptFileError } from './errors'
import { UpdateLog } from './UpdateLog'
import fs from 'node:fs/promises'
import path from 'node:path'

const pg = await postgresForTests()
const ctx = new TestContext()
afterEach(() => ctx.cleanup())

interface Backend {
  name: string
  /** A storage as one server process has it; each call is another process (another lease owner). */
  process(options?: { leaseMs?: number; onError?: (error: unknown) => void }): Promise<DocumentStorage>
  /** Stored updates not folded into the compacted state. */
  unfolded(id: string): Promise<number>
  /** The compacted state disappears, the updates stay: damaged storage. */
  dropState(id: string): Promise<void>
  /** What a process that died (kill -9) leaves: PostgreSQL, its leases run out; files, nothing to do (the DATA_DIR lock goes with it). */
  afterCrash(id: string): Promise<void>
}

async function filesBackend(): Promise<Backend> {
  const dataDir = await ctx.tempDir('huigao-storage-')
  const docs = path.join(dataDir, 'documents')
  return {
    name: 'files',
    process: async ({ onError } = {}) => {
      const store = new DocumentStore(dataDir, { flushIntervalMs: 10_000, compactAfterBytes: 1 << 30, onError })
      await store.init()
      ctx.defer(() => store.close())
      return store
    },
    unfolded: async (id) => (await new UpdateLog(path.join(docs, `${id}.log`), { flushIntervalMs: 10_000 }).replay()).updates.length,
    dropState: (id) => fs.rm(path.join(docs, `${id}.state`)),
    afterCrash: async () => undefined,
  }
}

async function postgresBackend(): Promise<Backend> {
  const admin = createPool(pg.url!)
  ctx.defer(() => admin.end())
  return {
    name: 'postgres',
    process: async ({ leaseMs = 60_000, onError } = {}) => {
      const pool = createPool(pg.url!, { max: 3 })
      const store = new PgDocumentStore(pool, { flushIntervalMs: 10_000, compactAfterBytes: 1 << 30, owner: `test-${randomUUID()}`, leaseMs, onError })
      await store.init()
      ctx.defer(async () => {
        await store.close()
        await pool.end()
      })
      return store
    },
    unfolded: async (id) => (await admin.query<{ n: number }>('SELECT count(*) AS n FROM document_updates WHERE document_id = $1', [id])).rows[0].n,
    dropState: async (id) => void (await admin.query('DELETE FROM document_states WHERE document_id = $1', [id])),
    afterCrash: (id) => expireLease(admin, id),
  }
}

/** As if the owner had stopped renewing long ago (paused, partitioned, dead). */
async function expireLease(db: { query: (sql: string, values: unknown[]) => Promise<unknown> }, id: string): Promise<void> {
  await db.query(`UPDATE document_leases SET expires_at = now() - interval '1 second' WHERE document_id = $1`, [id])
}

/**
 * Another process takes the document once its owner's lease ran out. The owner renews on a timer and
 * extends a lease that ran out but that nobody took (renewLeases), so a renewal landing between the
 * expiry and the takeover keeps it: expire again and retry, as a real successor would keep trying.
 */
async function takeOver(storage: DocumentStorage, id: string): Promise<{ doc: Y.Doc; stored: StoredDocument }> {
  for (let attempt = 1; ; attempt++) {
    await expireLease(admin(), id)
    try {
      return await load(storage, id)
    } catch (error) {
      if (!(error instanceof DocumentOwnedElsewhere) || attempt === 20) throw error
    }
  }
}

/** A person's copy of the document: edits in it become updates appended to `stored`. */
class Editor {
  readonly doc = new Y.Doc()
  private stored: StoredDocument | null = null

  constructor(initial: Uint8Array) {
    Y.applyUpdate(this.doc, initial)
    this.doc.on('update', (update: Uint8Array) => this.stored?.append(update))
  }

  writeTo(stored: StoredDocument): void {
    this.stored = stored
  }

  get text(): string {
    return this.doc.getText('t').toString()
  }

  type(index: number, text: string): void {
    const t = this.doc.getText('t')
    t.insert(Math.min(index, t.length), text)
  }

  erase(index: number, length: number): void {
    const t = this.doc.getText('t')
    if (t.length > 0) t.delete(Math.min(index, t.length - 1), Math.min(length, t.length - Math.min(index, t.length - 1)))
  }
}

function initialState(text: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return Y.encodeStateAsUpdate(doc)
}

async function load(storage: DocumentStorage, id: string): Promise<{ doc: Y.Doc; stored: StoredDocument }> {
  const doc = new Y.Doc()
  const stored = await storage.open(id, doc, {}, { requireContent: true })
  return { doc, stored }
}

const textOf = (doc: Y.Doc) => doc.getText('t').toString()

/**
 * A document on PostgreSQL, open in one process that typed `text` and flushed it; `lost` collects
 * the lease losses that process is told of.
 */
async function ownedDocument(text: string) {
  const backend = await postgresBackend()
  const id = `d${randomUUID()}`
  const first = await backend.process()
  await first.create(id, initialState(''))
  const lost: LeaseLostError[] = []
  const stored = await first.open(id, new Y.Doc(), { onLeaseLost: (error) => lost.push(error) })
  const editor = new Editor(initialState(''))
  editor.writeTo(stored)
  editor.type(0, text)
  await stored.flush()
  return { backend, id, lost, stored, editor }
}


const backends = [
  { name: 'files', make: filesBackend, available: true },
  { name: 'postgres', make: postgresBackend, available: Boolean(pg.url) },
]

describe.each(backends)('DocumentStorage on $name', ({ make, available }) => {
  it.skipIf(!available)('loads what was created, and every update appended, flushed and closed, after a restart', async () => {
    const backend = await make()
    const id = `d${randomUUID()}`
    const storage = await backend.process()
    await storage.create(id, initialState('报告'))
    const { doc, stored } = await load(storage, id)
    expect(textOf(doc)).toBe('报告')
    const editor = new Editor(Y.encodeStateAsUpdate(doc))
    editor.writeTo(stored)
    for (let i = 0; i < 50; i++) editor.type(i, `${i % 10}`)
    await stored.close()
    const restarted = await backend.process()
    expect(textOf((await load(restarted, id)).doc)).toBe(editor.text)
  })

  it.skipIf(!available)('after a crash, every flushed update is loaded once; nothing unflushed is invented', async () => {
    const backend = await make()
    const id = `d${randomUUID()}`
    const storage = await backend.process()
    await storage.create(id, initialState(''))
    const { stored } = await load(storage, id)
    const editor = new Editor(initialState(''))
    editor.writeTo(stored)
    editor.type(0, '已保存')
    await stored.flush()
    const acknowledged = editor.text
    editor.type(99, '未落盘')
    // The process dies: nothing is closed, the queued update is never written.
    await backend.afterCrash(id)
    const next = await backend.process()
    const { doc } = await load(next, id)
    expect(textOf(doc)).toBe(acknowledged)
    expect(await backend.unfolded(id)).toBe(1)
  })

  it.skipIf(!available)('compaction folds the stored updates into the state: none left unfolded, the same content loads', async () => {
    const backend = await make()
    const id = `d${randomUUID()}`
    const storage = await backend.process()
    await storage.create(id, initialState('起'))
    const { doc, stored } = await load(storage, id)
    const editor = new Editor(Y.encodeStateAsUpdate(doc))
    editor.writeTo(stored)
    for (let i = 0; i < 30; i++) editor.type(1, '字')
    editor.erase(3, 5)
    await stored.flush()
    expect(await backend.unfolded(id)).toBe(31)
    await stored.compact()
    expect(await backend.unfolded(id)).toBe(0)
    editor.type(0, '后')
    await stored.flush()
    expect(await backend.unfolded(id)).toBe(1)
    await backend.afterCrash(id)
    expect(textOf((await load(await backend.process(), id)).doc)).toBe(editor.text)
  })

  it.skipIf(!available)('refuses a document whose compacted state is gone while updates are stored, and a removed one', async () => {
    const backend = await make()
    const storage = await backend.process()
    const damaged = `d${randomUUID()}`
    const initial = initialState('正文')
    await storage.create(damaged, initial)
    const { stored } = await load(storage, damaged)
    const editor = new Editor(initial)
    editor.writeTo(stored)
    editor.type(0, '改')
    await stored.flush()
    await backend.afterCrash(damaged)
    await backend.dropState(damaged)
    await expect(load(await backend.process(), damaged)).rejects.toThrow(CorruptFileError)
    expect(await backend.unfolded(damaged)).toBe(1)

    const removed = `d${randomUUID()}`
    await storage.create(removed, initialState('删'))
    await storage.remove(removed)
    await expect(load(storage, removed)).rejects.toThrow(CorruptFileError)
  })

  it.skipIf(!available)('property: any run of edits, flushes, compactions, restarts and crashes loads as the editor has it', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('type' as const), at: fc.nat(40), text: fc.string({ minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('erase' as const), at: fc.nat(40), length: fc.integer({ min: 1, max: 5 }) }),
      fc.constantFrom({ kind: 'flush' as const }, { kind: 'compact' as const }, { kind: 'restart' as const }, { kind: 'crash' as const }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        const backend = await make()
        const id = `d${randomUUID()}`
        let storage = await backend.process()
        // One initial update for both: each initialState() call would be another client's text.
        const initial = initialState('初稿')
        await storage.create(id, initial)
        let { stored } = await load(storage, id)
        const editor = new Editor(initial)
        editor.writeTo(stored)
        for (const step of ops) {
          if (step.kind === 'type') editor.type(step.at, step.text)
          else if (step.kind === 'erase') editor.erase(step.at, step.length)
          else if (step.kind === 'flush') await stored.flush()
          else if (step.kind === 'compact') await stored.compact()
          else {
            // A restart closes cleanly; a crash happens after a flush (what was acknowledged), with no close.
            if (step.kind === 'restart') await stored.close()
            else {
              await stored.flush()
              await backend.afterCrash(id)
            }
            storage = await backend.process()
            const reloaded = await load(storage, id)
            expect(textOf(reloaded.doc)).toBe(editor.text)
            stored = reloaded.stored
            editor.writeTo(stored)
          }
        }
        await stored.close()
        expect(textOf((await load(await backend.process(), id)).doc)).toBe(editor.text)
        await ctx.cleanup()
      }),
      { numRuns: 8 },
    )
    // Each run starts several stores (a compaction worker thread each): slow on a shared 2-core machine.
  }, 180_000)
})

describe.skipIf(!pg.url)('PostgreSQL leases and fencing', () => {
  it('a renewal that reaches the database after the lease was given back does not hold the document again', async () => {
    const id = `d${randomUUID()}`
    const taken = await takeLease(admin(), id, 'first', 5_000)
    // The renewal's statement was sent (on another pool connection) before the release committed.
    await releaseLease(admin(), id, taken)
    const renewed = await renewLeases(admin(), new Map([[id, taken]]), 5_000)
    expect(renewed.has(id)).toBe(false)
    expect(await leaseHolder(admin(), id)).toBeNull()
    // So the next process takes it at once.
    expect(await takeLease(admin(), id, 'second', 5_000)).toBeGreaterThan(taken)
  })

  it('a renewal that comes late (the lease ran out, nobody took the document) keeps it; once another process took it, it does not', async () => {
    const id = `d${randomUUID()}`
    const taken = await takeLease(admin(), id, 'first', 50)
    // The owner's event loop was too busy to renew in time (W8: one process overloaded past LEASE_MS).
    await expireLease(admin(), id)
    expect(await leaseHolder(admin(), id)).toBeNull()
    expect(await renewLeases(admin(), new Map([[id, taken]]), 5_000)).toEqual(new Set([id]))
    expect(await leaseHolder(admin(), id)).toMatchObject({ owner: 'first', epoch: taken })
    await expect(takeLease(admin(), id, 'second', 5_000)).rejects.toThrow(DocumentOwnedElsewhere)
    // Run out again, and this time another process takes it first: the late renewal loses it.
    await expireLease(admin(), id)
    const second = await takeLease(admin(), id, 'second', 5_000)
    expect(second).toBeGreaterThan(taken)
    expect(await renewLeases(admin(), new Map([[id, taken]]), 5_000)).toEqual(new Set())
    expect(await leaseHolder(admin(), id)).toMatchObject({ owner: 'second', epoch: second })
  })

  it('a second owner takes the lease only once it expired; the old owner\'s flush is refused and reported, nothing duplicated or lost', async () => {
    const backend = await postgresBackend()
    const id = `d${randomUUID()}`
    const first = await backend.process()
    await first.create(id, initialState(''))
    const lost: LeaseLostError[] = []
    const firstDoc = new Y.Doc()
    const old = await first.open(id, firstDoc, { onLeaseLost: (error) => lost.push(error) }, { requireContent: true })
    const editor = new Editor(initialState(''))
    editor.writeTo(old)
    editor.type(0, 'abc')
    await old.flush()

    const second = await backend.process()
    await expect(second.open(id, new Y.Doc())).rejects.toThrow(DocumentOwnedElsewhere)
    const { doc: takenDoc, stored: taken } = await takeOver(second, id)
    expect(taken.epoch).toBeGreaterThan(old.epoch)
    expect(textOf(takenDoc)).toBe('abc')

    // The old owner goes on as if nothing happened (it was paused): its write is fenced off.
    editor.type(3, 'XYZ')
    await expect(old.flush()).rejects.toThrow(LeaseLostError)
    expect(lost).toHaveLength(1)
    expect(lost[0].refusedUpdates).toBe(1)
    expect(await backend.unfolded(id)).toBe(1)
    // The client reconnects to the new owner and resends what it lacks (its sync step 2), once.
    const resend = Y.encodeStateAsUpdate(editor.doc, Y.encodeStateVector(takenDoc))
    Y.applyUpdate(takenDoc, resend)
    taken.append(resend)
    await taken.flush()
    // The old owner's later appends go nowhere; it lets go.
    editor.type(0, '!')
    await old.abandon()
    await taken.close()
    const final = textOf((await load(await backend.process(), id)).doc)
    expect(final).toBe('abcXYZ')
    const seqs = (await admin().query<{ seq: number }>('SELECT seq FROM document_updates WHERE document_id = $1', [id])).rows
    expect(new Set(seqs.map((row) => row.seq)).size).toBe(seqs.length)
  })

  it('unloading a document whose lease was taken over stores nothing and does not fail (nothing to keep in memory)', async () => {
    const { backend, id, lost, stored: old, editor } = await ownedDocument('旧')
    const { stored: taken } = await takeOver(await backend.process(), id)
    editor.type(1, '迟')
    await old.close()
    expect(lost).toHaveLength(1)
    expect(lost[0].refusedUpdates).toBe(1)
    // Its compaction was refused: the new owner's rows are as they were.
    expect(await backend.unfolded(id)).toBe(1)
    await taken.close()
    expect(textOf((await load(await backend.process(), id)).doc)).toBe('旧')
  })

  it('a renewal that finds the lease taken over lets the document go without any write', async () => {
    const backend = await postgresBackend()
    const id = `d${randomUUID()}`
    const first = await backend.process({ leaseMs: 300 })
    await first.create(id, initialState('正文'))
    const lost: LeaseLostError[] = []
    await first.open(id, new Y.Doc(), { onLeaseLost: (error) => lost.push(error) })
    await takeOver(await backend.process(), id)
    await waitFor(() => lost.length === 1, 10_000, 'the old owner to notice at its next renewal')
  })

  it('a compaction after the lease was lost changes nothing (one transaction under the lease)', async () => {
    const backend = await postgresBackend()
    const id = `d${randomUUID()}`
    const first = await backend.process()
    await first.create(id, initialState(''))
    const { stored: old } = await load(first, id)
    const editor = new Editor(initialState(''))
    editor.writeTo(old)
    editor.type(0, '一二三')
    editor.type(3, '四')
    await old.flush()
    const { stored: taken } = await takeOver(await backend.process(), id)
    await expect(old.compact()).rejects.toThrow(LeaseLostError)
    expect(await backend.unfolded(id)).toBe(2)
    await taken.compact()
    expect(await backend.unfolded(id)).toBe(0)
    await taken.close()
    expect(textOf((await load(await backend.process(), id)).doc)).toBe('一二三四')
  })
})

describe.skipIf(!pg.url)('PostgreSQL: damaged content', () => {
  it('an update row that is not a valid Yjs update refuses the document, naming the table, and is kept as it is', async () => {
    const backend = await postgresBackend()
    const id = `d${randomUUID()}`
    const storage = await backend.process()
    await storage.create(id, initialState('正文'))
    await admin().query('INSERT INTO document_updates (document_id, seq, epoch, data) VALUES ($1, 1, 0, $2)', [id, Buffer.from([0xff, 0xff, 0xff, 0x07])])
    const refused = load(storage, id)
    await expect(refused).rejects.toThrow(CorruptFileError)
    await expect(refused).rejects.toThrow(/postgres:document_updates/)
    expect(await backend.unfolded(id)).toBe(1)
    // Refused, not owned: the lease is handed back for whoever repairs it.
    expect((await admin().query(`SELECT 1 FROM document_leases WHERE document_id = $1 AND expires_at > now()`, [id])).rows).toEqual([])
  })
})

describe.skipIf(!pg.url)('PostgreSQL: a flush the database does not take', () => {
  it('rejects, keeps the updates queued in order, and the next flush stores each of them once', async () => {
    const backend = await postgresBackend()
    const id = `d${randomUUID()}`
    const storage = await backend.process()
    await storage.create(id, initialState(''))
    const { stored } = await load(storage, id)
    const editor = new Editor(initialState(''))
    editor.writeTo(stored)
    editor.type(0, '甲')
    await stored.flush()
    // The table is unreachable for a moment (as a failing database would be): the INSERT cannot commit.
    await admin().query('ALTER TABLE document_updates RENAME TO document_updates_away')
    try {
      editor.type(1, '乙')
      editor.type(2, '丙')
      await expect(stored.flush()).rejects.toThrow(/document_updates/)
    } finally {
      await admin().query('ALTER TABLE document_updates_away RENAME TO document_updates')
    }
    editor.type(3, '丁')
    await stored.flush()
    expect(await backend.unfolded(id)).toBe(4)
    await backend.afterCrash(id)
    expect(textOf((await load(await backend.process(), id)).doc)).toBe('甲乙丙丁')
  })
})

describe.skipIf(!pg.url)('PostgreSQL: deleting a document another process has open', () => {
  it('its owner\'s next flush is refused (the document moves away, then is gone) and no row is left behind', async () => {
    const { backend, id, lost, stored, editor } = await ownedDocument('一')
    await (await backend.process()).remove(id)
    editor.type(1, '二')
    await expect(stored.flush()).rejects.toThrow(LeaseLostError)
    expect(lost).toHaveLength(1)
    for (const table of ['document_updates', 'document_states', 'document_leases']) {
      const rows = await admin().query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE document_id = $1`, [id])
      expect(rows.rows[0].n, table).toBe(0)
    }
  })
})

let adminPool: ReturnType<typeof createPool> | null = null
/** A pool for the tests' own statements, closed after the file. */
function admin() {
  if (!adminPool) {
    adminPool = createPool(pg.url!)
    const pool = adminPool
    ctx.defer(async () => {
      adminPool = null
      await pool.end()
    })
  }
  return adminPool
}
