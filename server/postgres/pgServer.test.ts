// The whole server on DATABASE_URL: a document's content lives in PostgreSQL, not in DATA_DIR, and a
// server started on another (empty) data directory with the same database serves it after the first
// one stopped and handed its lease back.
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { TestContext, appendParagraph, createDocument, docText, stateFilePath, waitFor } from '../testing/harness'
import { leaseHolder } from './documentLeases'
import { createPool } from './pool'
import { postgresForTests } from './testing'

const pg = await postgresForTests()
const ctx = new TestContext()
afterEach(() => ctx.cleanup())

describe.skipIf(!pg.url)('documents on PostgreSQL', () => {
  it('edits are stored in the database and served by another process after a graceful stop', async () => {
    const admin = createPool(pg.url!)
    ctx.defer(() => admin.end())
    const first = await ctx.startServer({ databaseUrl: pg.url, instanceId: 'first' })
    const { id } = await createDocument(first, '数据库中的报告', '第一段')
    const client = await ctx.syncedYClient(first, id)
    appendParagraph(client.doc, '存进数据库的段落')
    await waitFor(
      async () => (await admin.query<{ n: number }>('SELECT count(*) AS n FROM document_updates WHERE document_id = $1', [id])).rows[0].n > 0,
      10_000,
      'the group commit to insert the update',
    )
    expect((await leaseHolder(admin, id))?.owner).toBe('first')
    await first.close()
    // Handed back on shutdown: nobody holds it, and nothing was written to the data directory.
    expect(await leaseHolder(admin, id)).toBeNull()
    expect(existsSync(stateFilePath(first.config.dataDir, id))).toBe(false)

    const second = await ctx.startServer({ databaseUrl: pg.url, instanceId: 'second' })
    const reader = await ctx.syncedYClient(second, id)
    expect(docText(reader.doc)).toContain('第一段')
    expect(docText(reader.doc)).toContain('存进数据库的段落')
    expect((await leaseHolder(admin, id))?.owner).toBe('second')
  })
})
