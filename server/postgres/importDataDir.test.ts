// Moving an installation from DATA_DIR's files to PostgreSQL (`npm run import-data`): after the import
// a process on the database (with an empty data directory of its own) shows every person the same
// documents, content, versions, requests and notifications as the embedded server did, and keeps
// them signed in.
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TestContext, api, appendParagraph, createDocument, docText, share, stateFilePath, waitFor, type RunningServer, type Session } from '../testing/harness'
import { createPool } from './pool'
import { ImportRefusedError, importDataDir } from './importDataDir'
import { IMPORT_INCOMPLETE_KEY } from './repositories'
import { postgresForTests } from './testing'

const pg = await postgresForTests()
const ctx = new TestContext()
afterEach(() => ctx.cleanup())

/** What one person sees through the API: the documents, each one's versions and requests, the bell. */
async function seenBy(session: Session) {
  const documents = (await api(session, 'GET', '/api/documents')).body as Array<{ id: string }>
  const perDocument = await Promise.all(
    documents.map(async (doc) => ({
      versions: (await api(session, 'GET', `/api/documents/${doc.id}/versions`)).body,
      requests: (await api(session, 'GET', `/api/documents/${doc.id}/requests`)).body,
    })),
  )
  return { documents, perDocument, requests: (await api(session, 'GET', '/api/requests')).body, notifications: (await api(session, 'GET', '/api/notifications')).body }
}

/**
 * The same, with each document's last-change time as the catalog stored it on shutdown (the embedded
 * server stores the time of the last edit lazily, after the snapshot was taken) and in that order.
 */
function asStored(seen: Awaited<ReturnType<typeof seenBy>>, updatedAt: Map<string, string>) {
  const documents = seen.documents.map((doc) => ({ ...doc, updatedAt: updatedAt.get(doc.id) }))
  const order = documents.map((_, index) => index).sort((a, b) => documents[b].updatedAt!.localeCompare(documents[a].updatedAt!))
  return { ...seen, documents: order.map((index) => documents[index]), perDocument: order.map((index) => seen.perDocument[index]) }
}

async function textOf(running: RunningServer | Session, id: string): Promise<string> {
  const client = await ctx.syncedYClient(running, id)
  const text = docText(client.doc)
  client.destroy()
  return text
}

describe.skipIf(!pg.url)('importing a data directory into PostgreSQL', () => {
  it('a process on the database shows everyone what the embedded server showed, and keeps them signed in', async () => {
    const files = await ctx.startServer()
    const lisi = await files.createUser('lisi', { displayName: '李四' })
    const { id } = await createDocument(files, '2022年度述职报告', '一、主要工作')
    await share(files, id, 'lisi', 'drafter')
    const writer = await ctx.syncedYClient(lisi, id)
    appendParagraph(writer.doc, '全年开展党建活动*次。')
    await waitFor(async () => (await textOf(files, id)).includes('*次'), 10_000, 'the edit to reach the server')
    writer.destroy()
    expect((await api(files, 'POST', `/api/documents/${id}/versions`, { json: { name: '初稿' } })).status).toBe(201)
    expect((await api(lisi, 'POST', `/api/documents/${id}/requests`, { json: { note: '第一部分已定稿' } })).status).toBe(201)
    const second = await createDocument(files, '另一份报告', '正文')
    const before = { admin: await seenBy(files), lisi: await seenBy(lisi), text: await textOf(files, id), second: await textOf(files, second.id) }
    await files.close()
    const catalog = JSON.parse(await fs.readFile(path.join(files.config.dataDir, 'catalog.json'), 'utf8')) as { documents: Array<{ id: string; updatedAt: string }> }
    const updatedAt = new Map(catalog.documents.map((doc) => [doc.id, doc.updatedAt]))
    before.admin = asStored(before.admin, updatedAt)
    before.lisi = asStored(before.lisi, updatedAt)
    // Content no catalog entry names is not imported, and is reported.
    await fs.copyFile(stateFilePath(files.config.dataDir, id), path.join(files.config.dataDir, 'documents', 'stray.state'))

    const lines: string[] = []
    const report = await importDataDir(files.config.dataDir, pg.url!, (line) => lines.push(line))
    expect(report).toMatchObject({ users: 2, documents: 2, versions: 1, requests: 1, unlisted: ['stray'] })
    expect(report.sessions).toBeGreaterThanOrEqual(2)
    expect(report.notifications).toBeGreaterThanOrEqual(1)
    expect(lines.join('\n')).toContain('2022年度述职报告')

    const onPg = await ctx.startServer({ databaseUrl: pg.url })
    // lisi's cookie from the embedded server still signs them in.
    const lisiThere = { ...lisi, base: onPg.base, collabUrl: onPg.collabUrl }
    expect((await api(lisiThere, 'GET', '/api/me')).status).toBe(200)
    const after = { admin: await seenBy(onPg), lisi: await seenBy(lisiThere), text: await textOf(onPg, id), second: await textOf(onPg, second.id) }
    // No sample report was added on the first start: the installation is the imported one.
    expect(after).toEqual(before)
    expect(after.text).toContain('全年开展党建活动*次。')
  })

  it('refuses a database that already holds an installation, and a process refuses a half-imported one', async () => {
    const files = await ctx.startServer()
    await createDocument(files, '报告', '正文')
    await files.close()
    const url = await pg.newDatabase!()
    await importDataDir(files.config.dataDir, url)
    await expect(importDataDir(files.config.dataDir, url)).rejects.toThrow(ImportRefusedError)
    await expect(importDataDir(files.config.dataDir, url)).rejects.toThrow(/already holds 1 accounts and 1 documents/)

    const half = await pg.newDatabase!()
    const pool = createPool(half)
    await pool.query('INSERT INTO installation (key, value) VALUES ($1, now()::text)', [IMPORT_INCOMPLETE_KEY])
    await pool.end()
    await expect(ctx.startServer({ databaseUrl: half })).rejects.toThrow(/unfinished import/)
  })

  it('a damaged content file stops the import with its name, and the database is not served', async () => {
    const files = await ctx.startServer()
    const { id } = await createDocument(files, '报告', '正文')
    await files.close()
    const state = stateFilePath(files.config.dataDir, id)
    const bytes = await fs.readFile(state)
    bytes[bytes.length - 3] ^= 0xff
    await fs.writeFile(state, bytes)
    const url = await pg.newDatabase!()
    await expect(importDataDir(files.config.dataDir, url)).rejects.toMatchObject({ name: 'ImportFailedError', partial: true, message: expect.stringContaining(id) })
    await expect(ctx.startServer({ databaseUrl: url })).rejects.toThrow(/unfinished import/)
  })
})
