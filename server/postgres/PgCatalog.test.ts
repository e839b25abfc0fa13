// The catalog's in-memory copy on PostgreSQL when a read of a document's row is answered late: a read
// sent before a change must never undo that change in the copy, whoever made it.
import type pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CATALOG_CHANNEL, PgCatalog } from './PgCatalog'
import { PgListener } from './PgListener'
import { createPool } from './pool'
import { postgresForTests } from './testing'

const pg_ = await postgresForTests()

/** A pool whose answers to the catalog's reads can be held back (the query has run; its answer waits). */
function delayingPool(pool: pg.Pool) {
  const held: Array<() => void> = []
  let holding = 0
  let answered = 0
  const proxy = Object.create(pool) as pg.Pool
  proxy.query = (async (...args: Parameters<pg.Pool['query']>) => {
    const isCatalogRead = typeof args[0] === 'string' && args[0].startsWith('SELECT d.id')
    const result = await (pool.query as (...a: unknown[]) => Promise<unknown>)(...args)
    if (isCatalogRead && holding > 0) {
      holding--
      await new Promise<void>((resolve) => held.push(resolve))
    }
    if (isCatalogRead) answered++
    return result
  }) as pg.Pool['query']
  return {
    pool: proxy,
    /** Holds the answers to the next `count` reads. */
    hold: (count = 1) => void (holding += count),
    /** How many answers are held. */
    heldCount: () => held.length,
    /** How many of the catalog's reads were answered. */
    answered: () => answered,
    /** Lets the oldest held answer through. */
    releaseOldest: () => held.shift()!(),
    /** Holds nothing more and lets every held answer through (after each test, passed or not). */
    reset: () => {
      holding = 0
      for (const release of held.splice(0)) release()
    },
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe.skipIf(!pg_.url)('PgCatalog with late answers', () => {
  const pool = createPool(pg_.url!)
  const listener = new PgListener(pg_.url!)
  const delaying = delayingPool(pool)
  let catalog: PgCatalog

  beforeAll(async () => {
    for (const id of ['owner', 'viewer', 'drafter']) await pool.query(`INSERT INTO users (id, username, display_name, password_hash) VALUES ($1, $1, $1, 'x')`, [id])
    catalog = await PgCatalog.open(delaying.pool, listener)
  })
  afterEach(() => delaying.reset())
  afterAll(async () => {
    await catalog.close()
    await listener.close()
    await pool.end()
  })

  /** Adds a document, then waits for the read its own notice causes, so that no read is under way. */
  const newDocument = async (id: string) => {
    const now = new Date().toISOString()
    const before = delaying.answered()
    await catalog.add({ id, title: id, createdAt: now, updatedAt: now, ownerId: 'owner', members: {}, status: 'draft', submission: null })
    await until(() => delaying.answered() > before, 'the read of its own notice')
  }

  it('a read sent before this process shares the document does not take the new member away', async () => {
    await newDocument('doc-a')
    // Another process's change is announced: this process reads the row, and the answer comes late.
    delaying.hold(2)
    await pool.query(`SELECT pg_notify($1, 'doc-a')`, [CATALOG_CHANNEL])
    await until(() => delaying.heldCount() === 1, 'the held read')
    // Meanwhile this process shares the document (written and announced; that notice's read is held too).
    await catalog.setMember('doc-a', 'viewer', 'viewer')
    expect(catalog.get('doc-a')!.members).toEqual({ viewer: 'viewer' })
    await until(() => delaying.heldCount() === 2, 'the read of the share’s notice')
    // The late answer, from before the share, arrives.
    const answered = delaying.answered()
    delaying.releaseOldest()
    await until(() => delaying.answered() > answered, 'the late answer')
    expect(catalog.get('doc-a')!.members).toEqual({ viewer: 'viewer' })
    delaying.releaseOldest()
    await until(() => delaying.answered() > answered + 1, 'the last answer')
    expect(catalog.get('doc-a')!.members).toEqual({ viewer: 'viewer' })
  })

  it('an older read answered after a newer one does not undo another process’s change', async () => {
    await newDocument('doc-b')
    // Another process shares the document: its notice's read is held.
    delaying.hold()
    await pool.query(`INSERT INTO document_members (document_id, user_id, role) VALUES ('doc-b', 'drafter', 'drafter')`)
    await pool.query(`SELECT pg_notify($1, 'doc-b')`, [CATALOG_CHANNEL])
    await until(() => delaying.heldCount() === 1, 'the held read')
    // …and then removes the share again; that notice's read is answered at once.
    await pool.query(`DELETE FROM document_members WHERE document_id = 'doc-b' AND user_id = 'drafter'`)
    await pool.query(`SELECT pg_notify($1, 'doc-b')`, [CATALOG_CHANNEL])
    await until(() => !('drafter' in catalog.get('doc-b')!.members), 'the newer read')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(catalog.get('doc-b')!.members).toEqual({})
    // The older answer, from when the drafter was a member, arrives last.
    delaying.releaseOldest()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(catalog.get('doc-b')!.members).toEqual({})
  })

  it('a full read sent before this process shares a document does not take the member away either', async () => {
    await newDocument('doc-c')
    delaying.hold()
    const reload = catalog.reloadAll()
    await until(() => delaying.heldCount() === 1, 'the held full read')
    await catalog.setMember('doc-c', 'viewer', 'viewer')
    delaying.releaseOldest()
    await reload
    expect(catalog.get('doc-c')!.members).toEqual({ viewer: 'viewer' })
  })
})
