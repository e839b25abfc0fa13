// Two server processes' sync cores on one PostgreSQL database (each its own CollabServer, Persistence
// and PgDocumentStore, as app.ts wires them): a document is served by its lease owner only; when
// another process takes the lease over, the old owner's writes are fenced off, its clients are closed
// with the "moved" code and the document is unloaded there.
import { randomUUID } from 'node:crypto'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes'
import { CollabServer } from '../collab/CollabServer'
import { Persistence } from '../extensions/Persistence'
import { FileCatalog } from '../storage/Catalog'
import { TestContext, waitFor } from '../testing/harness'
import { leaseHolder } from './documentLeases'
import { PgDocumentStore } from './PgDocumentStore'
import { createPool } from './pool'
import { postgresForTests } from './testing'

const pg = await postgresForTests()
const ctx = new TestContext()
afterEach(() => ctx.cleanup())

/** One server process's sync core, with its own pool and lease owner name. */
async function startProcess(name: string, catalog: FileCatalog, leaseMs: number) {
  const pool = createPool(pg.url!, { max: 4 })
  const errors: string[] = []
  const store = new PgDocumentStore(pool, { flushIntervalMs: 20, compactAfterBytes: 1 << 30, owner: name, leaseMs, onError: (error) => errors.push(String(error)) })
  await store.init()
  const persistence = new Persistence(store, catalog, () => undefined)
  const collab = new CollabServer({ path: '/collab', extensions: [persistence], unloadDelayMs: 60_000, maxMessageBytes: 1 << 20, heartbeatMs: 30_000 })
  persistence.handLeaseLossTo(collab)
  ctx.defer(async () => {
    await store.close()
    await pool.end()
  })
  const url = await ctx.serveCollab(collab)
  return { store, errors, url }
}

/** A raw y-websocket client: records what arrives and how the connection ends. */
function connect(url: string, id: string) {
  const socket = new WebSocket(`${url}/${id}`)
  const client = { socket, messages: 0, closed: null as number | null }
  socket.on('message', () => client.messages++)
  socket.on('close', (code) => (client.closed = code))
  socket.on('error', () => undefined)
  ctx.defer(() => socket.terminate())
  return client
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

describe.skipIf(!pg.url)('one owner per document across processes', () => {
  it('refuses a second process while the lease runs; after a takeover the old owner is fenced, closes its clients with Moved and unloads', async () => {
    const admin = createPool(pg.url!)
    ctx.defer(() => admin.end())
    const catalog = await FileCatalog.open(await ctx.tempDir())
    const id = `d${randomUUID().slice(0, 8)}`
    const now = new Date().toISOString()
    const initial = new Y.Doc()
    initial.getText('t').insert(0, '正文')
    const p1 = await startProcess('p1', catalog, 5_000)
    const p2 = await startProcess('p2', catalog, 5_000)
    await p1.store.create(id, Y.encodeStateAsUpdate(initial))
    await catalog.add({ id, title: '测试', createdAt: now, updatedAt: now, ownerId: 'u', members: {}, status: 'draft', submission: null })

    const first = connect(p1.url, id)
    await waitFor(() => first.messages > 0, 10_000, 'p1 to load the document and greet the client')
    expect((await leaseHolder(admin, id))?.owner).toBe('p1')
    const oldEpoch = (await leaseHolder(admin, id))!.epoch

    // p2 may not serve it while p1's lease runs: the client is told to go elsewhere.
    const refused = connect(p2.url, id)
    await waitFor(() => refused.closed !== null, 10_000, 'p2 to refuse the connection')
    expect(refused.closed).toBe(CloseCode.Moved)

    // p1 stops renewing (paused): its lease runs out and p2 takes the document.
    await admin.query(`UPDATE document_leases SET expires_at = now() - interval '1 second' WHERE document_id = $1`, [id])
    const second = connect(p2.url, id)
    await waitFor(() => second.messages > 0, 10_000, 'p2 to take the lease and load the document')
    expect((await leaseHolder(admin, id))?.owner).toBe('p2')

    // p1 still believes it owns it: an edit arriving there is not stored, and its client is sent away.
    const edit = new Y.Doc()
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(initial))
    edit.getText('t').insert(0, '旧主')
    first.socket.send(updateMessage(Y.encodeStateAsUpdate(edit, Y.encodeStateVector(initial))))
    await waitFor(() => first.closed !== null, 10_000, 'p1 to close its client when it finds its lease lost')
    expect(first.closed).toBe(CloseCode.Moved)
    const written = await admin.query<{ n: number }>('SELECT count(*) AS n FROM document_updates WHERE document_id = $1 AND epoch = $2', [id, oldEpoch])
    expect(written.rows[0].n).toBe(0)

    // Unloaded on p1: a new connection there is not served from a stale copy but sent to the owner.
    const again = connect(p1.url, id)
    await waitFor(() => again.closed !== null, 10_000, 'p1 to refuse a new connection')
    expect(again.closed).toBe(CloseCode.Moved)
    expect(second.closed).toBeNull()
  })
})
