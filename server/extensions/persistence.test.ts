import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createThread, readThreads } from '../../shared/comments/threads'
import { createHuigaoServer } from '../app'
import { CorruptFileError } from '../storage/errors'
import {
  TestContext,
  api,
  appendParagraph,
  createDocument,
  docText,
  loadFromDisk,
  hasStoredUpdates,
  logSize,
  readStateFile,
  stateFilePath,
  waitFor,
} from '../testing/harness'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

describe('persistence through the running server', () => {
  it('keeps edits across a graceful shutdown (flushed and compacted on close)', async () => {
    // A long flush interval: only the shutdown itself can make the edits durable.
    const first = await ctx.startServer({ flushIntervalMs: 60_000, unloadDelayMs: 60_000 })
    const { id } = await createDocument(first, '关闭测试', '关闭测试\n原有段落')
    const writer = await ctx.syncedProvider(first, id)
    const watcher = await ctx.syncedProvider(first, id)
    appendParagraph(writer.doc, '关闭前写入的段落')
    // Beside the content: a comment thread (another root type would be refused now).
    createThread(writer.doc, { id: 't1', author: { id: first.user.id, name: first.user.displayName }, text: '备注', quote: '', messageId: 'm1' })
    // The second client seeing the edit proves the server has applied it.
    const note = (doc: Parameters<typeof readThreads>[0]) => readThreads(doc)[0]?.messages[0]?.text
    await waitFor(() => docText(watcher.doc).includes('关闭前写入的段落') && note(watcher.doc) === '备注')
    expect(await logSize(first.config.dataDir, id)).toBe(0)

    await first.close()
    writer.destroy()
    watcher.destroy()

    // Compacted on close: the state file alone holds everything and the log is empty.
    const stored = await readStateFile(first.config.dataDir, id)
    expect(docText(stored)).toBe('关闭测试原有段落关闭前写入的段落')
    expect(note(stored)).toBe('备注')
    expect(await logSize(first.config.dataDir, id)).toBe(0)

    const second = await ctx.startServer({}, first.config.dataDir)
    const reader = await ctx.syncedProvider(second, id)
    expect(docText(reader.doc)).toBe('关闭测试原有段落关闭前写入的段落')
    expect(note(reader.doc)).toBe('备注')
    const listed = await api(second, 'GET', '/api/documents')
    expect(listed.body.map((d: { id: string }) => d.id)).toEqual([id])
  })

  it('replays edits that only reached the update log (crash without shutdown)', async () => {
    const dataDir = await ctx.tempDir()
    // The "crashed" server never unloads (and is never closed before the second one reads the files).
    const crashed = await ctx.startServer({ flushIntervalMs: 50, unloadDelayMs: 600_000 }, dataDir)
    const { id } = await createDocument(crashed, '崩溃测试', '崩溃测试\n第一段')
    const stateAfterCreate = await fs.readFile(stateFilePath(dataDir, id))
    const writer = await ctx.syncedProvider(crashed, id)
    appendParagraph(writer.doc, '只在日志里的段落')
    await waitFor(async () => docText(await loadFromDisk(dataDir, id)).includes('只在日志里的段落'), 10_000, 'the group commit')
    writer.destroy()

    // Nothing was compacted: the edit exists only in the update log or the group commit's journal.
    expect(await fs.readFile(stateFilePath(dataDir, id))).toEqual(stateAfterCreate)
    expect(await hasStoredUpdates(crashed, id)).toBe(true)

    // As if the process had died: its lock on the directory no longer counts.
    await crashed.server.releaseDataDirLock()
    const restarted = await ctx.startServer({}, dataDir)
    const reader = await ctx.syncedProvider(restarted, id)
    expect(docText(reader.doc)).toBe('崩溃测试第一段只在日志里的段落')
  })

  it('unloads an idle document after the grace period, compacting it to the state file', async () => {
    const running = await ctx.startServer({ unloadDelayMs: 200 })
    const { dataDir } = running.config
    const { collab } = running.server
    const { id } = await createDocument(running, '卸载测试', '卸载测试')
    expect(collab.isLoaded(id)).toBe(false)

    const client = await ctx.syncedProvider(running, id)
    expect(collab.isLoaded(id)).toBe(true)
    appendParagraph(client.doc, '卸载前的段落')
    await waitFor(() => hasStoredUpdates(running, id), 10_000, 'the edit to reach the disk')
    client.destroy()

    await waitFor(() => !collab.isLoaded(id), 10_000, 'the document to unload')
    await waitFor(async () => docText(await readStateFile(dataDir, id)).includes('卸载前的段落'), 10_000, 'the compaction')
    // The log is cut right after the new state file is in place (and its directory fsynced): wait for that step too.
    await waitFor(async () => (await logSize(dataDir, id)) === 0, 10_000, 'the folded log to be cut')
    expect(docText(await readStateFile(dataDir, id))).toBe('卸载测试卸载前的段落')

    // Loads again from the state file for the next visitor.
    const again = await ctx.syncedProvider(running, id)
    expect(docText(again.doc)).toBe('卸载测试卸载前的段落')
    expect(collab.isLoaded(id)).toBe(true)
  })

  it('keeps a document loaded while someone is connected', async () => {
    const running = await ctx.startServer({ unloadDelayMs: 100 })
    const { id } = await createDocument(running, '保持加载')
    const first = await ctx.syncedProvider(running, id)
    const second = await ctx.syncedProvider(running, id)
    first.destroy()
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(running.server.collab.isLoaded(id)).toBe(true)
    appendParagraph(second.doc, '仍可编辑')
    second.destroy()
    await waitFor(() => !running.server.collab.isLoaded(id), 10_000, 'the document to unload')
    await waitFor(async () => docText(await readStateFile(running.config.dataDir, id)).includes('仍可编辑'), 10_000, 'compaction')
  })

  it('loses nothing across rapid connect / edit / disconnect cycles that race the unload', async () => {
    const running = await ctx.startServer({ unloadDelayMs: 20, flushIntervalMs: 20 })
    const { dataDir } = running.config
    const { id } = await createDocument(running, '循环', '循环')
    let expected = '循环'
    for (let round = 0; round < 8; round++) {
      const client = await ctx.syncedProvider(running, id)
      expect(docText(client.doc)).toBe(expected)
      appendParagraph(client.doc, `第${round}轮`)
      expected += `第${round}轮`
      await waitFor(async () => docText(await loadFromDisk(dataDir, id)) === expected, 10_000, `round ${round} to be durable`)
      client.destroy()
      // Reconnect at varying points: before, during or after the unload.
      await new Promise((resolve) => setTimeout(resolve, (round * 7) % 45))
    }
    const last = await ctx.syncedProvider(running, id)
    expect(docText(last.doc)).toBe(expected)
  })

  it('compacts a busy document while it is open; state and log together stay exact', async () => {
    const running = await ctx.startServer({ compactAfterBytes: 3000, unloadDelayMs: 600_000 })
    const { dataDir } = running.config
    const { id } = await createDocument(running, '压缩', '压缩')
    const stateAfterCreate = await fs.readFile(stateFilePath(dataDir, id), 'utf8')
    const writer = await ctx.syncedProvider(running, id)
    for (let i = 0; i < 80; i++) appendParagraph(writer.doc, `第${i}段：${'正文'.repeat(15)}`)
    await waitFor(async () => (await fs.readFile(stateFilePath(dataDir, id), 'utf8')) !== stateAfterCreate, 10_000, 'a compaction while open')
    expect(running.server.collab.isLoaded(id)).toBe(true)
    appendParagraph(writer.doc, '压缩之后的段落')
    const expected = docText(writer.doc)
    await waitFor(async () => docText(await loadFromDisk(dataDir, id)) === expected, 10_000, 'state + log to match the live document')
    const fromDisk = await loadFromDisk(dataDir, id)
    expect(fromDisk.getXmlFragment('default').length).toBe(writer.doc.getXmlFragment('default').length)
  })

  it('records edit activity in the catalog (updatedAt) by shutdown at the latest', async () => {
    const running = await ctx.startServer()
    const meta = await createDocument(running, '活动')
    const client = await ctx.syncedProvider(running, meta.id)
    await new Promise((resolve) => setTimeout(resolve, 10))
    appendParagraph(client.doc, '编辑')
    await waitFor(() => hasStoredUpdates(running, meta.id), 10_000, 'the edit to arrive')
    await running.close()
    const again = await ctx.startServer({}, running.config.dataDir)
    const stored = (await api(again, 'GET', `/api/documents/${meta.id}`)).body
    expect(stored.createdAt).toBe(meta.createdAt)
    expect(stored.updatedAt > meta.updatedAt).toBe(true)
  })

  it('refuses a document whose state file is corrupt (4500), never overwrites it, and keeps serving the rest', async () => {
    const running = await ctx.startServer()
    const { dataDir } = running.config
    const broken = await createDocument(running, '损坏的文档', '损坏的文档\n正文')
    const healthy = await createDocument(running, '正常的文档', '正常的文档')
    const file = stateFilePath(dataDir, broken.id)
    await fs.writeFile(file, '{not json')
    const before = await fs.readFile(file)

    for (let attempt = 0; attempt < 2; attempt++) {
      const raw = ctx.rawFor(running, broken.id)
      const closed = await raw.closed
      expect(closed.code).toBe(4500)
      // No document content was ever sent for it.
      expect(raw.messages).toHaveLength(0)
    }
    expect(running.server.collab.isLoaded(broken.id)).toBe(false)
    expect(await fs.readFile(file)).toEqual(before)

    // The API keeps working and still lists it.
    const list = await api(running, 'GET', '/api/documents')
    expect(list.status).toBe(200)
    expect(list.body.map((d: { id: string }) => d.id).sort()).toEqual([broken.id, healthy.id].sort())
    expect((await api(running, 'GET', '/api/health')).status).toBe(200)

    // Other documents still sync.
    const a = await ctx.syncedProvider(running, healthy.id)
    const b = await ctx.syncedProvider(running, healthy.id)
    appendParagraph(a.doc, '另一个文档照常同步')
    await waitFor(() => docText(b.doc).includes('另一个文档照常同步'))

    // Even after a graceful shutdown the corrupt file is untouched.
    await running.close()
    expect(await fs.readFile(file)).toEqual(before)
  })

  it('refuses to start on a corrupt catalog.json, naming the file', async () => {
    const dataDir = await ctx.tempDir()
    const file = path.join(dataDir, 'catalog.json')
    await fs.writeFile(file, '{"documents": [{"id": ')
    const error = await createHuigaoServer(ctx.config(dataDir, { seedSample: true })).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(CorruptFileError)
    expect((error as CorruptFileError).file).toBe(file)
    expect((error as Error).message).toContain(file)
    expect(await fs.readFile(file, 'utf8')).toBe('{"documents": [{"id": ')
  })

  it('refuses to start on a catalog.json with the wrong shape', async () => {
    const dataDir = await ctx.tempDir()
    await fs.writeFile(path.join(dataDir, 'catalog.json'), JSON.stringify({ docs: {} }))
    await expect(createHuigaoServer(ctx.config(dataDir))).rejects.toBeInstanceOf(CorruptFileError)
  })
})
