import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { yDocToNode } from '../../shared/editor/lib/ydoc'
import { SAMPLE_TITLE } from '../seed'
import {
  TestContext,
  api,
  appendParagraph,
  createDocument,
  docText,
  hasStoredUpdates,
  sleep,
  storedDocumentIds,
  waitFor,
  type ApiResponse,
  type RunningServer,
} from '../testing/harness'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

function expectJsonError(response: ApiResponse, status: number, message?: RegExp | string): void {
  expect(response.status).toBe(status)
  expect(response.contentType).toMatch(/application\/json/)
  expect(response.body).toEqual({ error: expect.any(String) })
  expect(response.body.error.length).toBeGreaterThan(0)
  if (message !== undefined) expect(response.body.error).toMatch(message)
}

describe('HTTP API', () => {
  let running: RunningServer
  beforeEach(async () => {
    running = await ctx.startServer()
  })

  it('GET /api/health answers ok', async () => {
    const response = await api(running, 'GET', '/api/health')
    expect(response.status).toBe(200)
    expect(response.body.status).toBe('ok')
    expect(typeof response.body.uptimeSeconds).toBe('number')
  })

  it('creates, lists, gets, renames and deletes a document', async () => {
    const created = await api(running, 'POST', '/api/documents', { json: { title: '  工作总结  ' } })
    expect(created.status).toBe(201)
    const meta = created.body
    expect(meta).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      title: '工作总结',
      createdAt: expect.stringMatching(ISO_DATE),
      updatedAt: meta.createdAt,
      // The creator owns it; nobody else has it yet.
      ownerId: running.user.id,
      members: {},
      status: 'draft',
      submission: null,
      role: 'owner',
    })

    const list = await api(running, 'GET', '/api/documents')
    expect(list.status).toBe(200)
    expect(list.body).toEqual([meta])

    const got = await api(running, 'GET', `/api/documents/${meta.id}`)
    expect(got.status).toBe(200)
    expect(got.body).toEqual(meta)

    await sleep(5)
    const renamed = await api(running, 'PATCH', `/api/documents/${meta.id}`, { json: { title: '工作总结（修改稿）' } })
    expect(renamed.status).toBe(200)
    expect(renamed.body).toMatchObject({ id: meta.id, title: '工作总结（修改稿）', createdAt: meta.createdAt })
    expect(renamed.body.updatedAt > meta.updatedAt).toBe(true)
    expect((await api(running, 'GET', `/api/documents/${meta.id}`)).body.title).toBe('工作总结（修改稿）')

    const deleted = await api(running, 'DELETE', `/api/documents/${meta.id}`)
    expect(deleted.status).toBe(204)
    expect(deleted.body).toBe('')
    expectJsonError(await api(running, 'GET', `/api/documents/${meta.id}`), 404, meta.id)
    expectJsonError(await api(running, 'DELETE', `/api/documents/${meta.id}`), 404)
    expect((await api(running, 'GET', '/api/documents')).body).toEqual([])
  })

  it('keeps the catalog (titles) across a restart', async () => {
    const a = await createDocument(running, '甲')
    const b = await createDocument(running, '乙')
    await api(running, 'PATCH', `/api/documents/${a.id}`, { json: { title: '甲（改）' } })
    await api(running, 'DELETE', `/api/documents/${b.id}`)
    await running.close()
    const again = await ctx.startServer({}, running.config.dataDir)
    const list = await api(again, 'GET', '/api/documents')
    expect(list.body.map((d: { id: string; title: string }) => [d.id, d.title])).toEqual([[a.id, '甲（改）']])
  })

  it('imports `text` as a title and paragraphs', async () => {
    const text = '关于某某工作的报告\r\n\r\n\u3000\u3000第一段正文。\n  第二段正文。  \n\n第三段'
    const meta = await createDocument(running, '导入测试', text)
    const client = await ctx.syncedProvider(running, meta.id)
    const node = yDocToNode(client.doc)
    const blocks: Array<[string, string]> = []
    node.forEach((child) => blocks.push([child.type.name, child.textContent]))
    // The title's node type belongs to the (evolving) editor schema; the body must be plain paragraphs.
    expect(blocks.map(([, blockText]) => blockText)).toEqual(['关于某某工作的报告', '第一段正文。', '第二段正文。', '第三段'])
    expect(blocks.slice(1).map(([type]) => type)).toEqual(['paragraph', 'paragraph', 'paragraph'])
    expect(blocks[0][0]).not.toBe('paragraph')
  })

  it('starts a document without `text` with its title as the title block', async () => {
    const meta = await createDocument(running, '只有标题')
    const client = await ctx.syncedProvider(running, meta.id)
    const node = yDocToNode(client.doc)
    expect(node.firstChild?.textContent).toBe('只有标题')
    expect(node.firstChild?.type.name).not.toBe('paragraph')
    expect(docText(client.doc)).toBe('只有标题')
  })

  it('deleting a document closes its connections with 4404, removes its stored content, and nothing recreates it', async () => {
    const meta = await createDocument(running, '将被删除', '将被删除\n正文')
    const other = await createDocument(running, '保留')
    const closeCodes: Array<number | undefined> = []
    const client = await ctx.syncedProvider(running, meta.id)
    client.provider.on('connection-close', (event: CloseEvent | null) => closeCodes.push(event?.code))
    const raw = ctx.rawFor(running, meta.id)
    await raw.opened
    const survivor = await ctx.syncedProvider(running, other.id)

    // Edits still waiting for the group commit when the delete arrives.
    appendParagraph(client.doc, '删除前最后的编辑')
    await waitFor(() => hasStoredUpdates(running, meta.id), 10_000, 'the update to be stored')
    appendParagraph(client.doc, '未刷写的编辑')

    expect((await api(running, 'DELETE', `/api/documents/${meta.id}`)).status).toBe(204)
    expect((await raw.closed).code).toBe(4404)
    await waitFor(() => closeCodes.includes(4404), 10_000, 'the provider to see 4404')
    // 4404 is permanent for y-websocket: it stops reconnecting.
    await waitFor(() => client.provider.shouldConnect === false, 5_000, 'the provider to give up')
    expect(running.server.collab.isLoaded(meta.id)).toBe(false)

    expect(await storedDocumentIds(running)).not.toContain(meta.id)
    await sleep(running.config.flushIntervalMs * 5)
    expect(await storedDocumentIds(running)).not.toContain(meta.id)

    // New connections are refused before the upgrade.
    const late = ctx.rawFor(running, meta.id)
    expect((await late.refused).status).toBe(404)
    // The other document is unaffected.
    expect(docText(survivor.doc)).toBe('保留')

    // And a graceful shutdown does not bring them back.
    await running.close()
    expect(await storedDocumentIds(running)).toEqual([other.id])
  })

  describe('validation', () => {
    it('rejects a body that is not valid JSON', async () => {
      expectJsonError(await api(running, 'POST', '/api/documents', { rawBody: '{"title": ' }), 400, /JSON/)
    })

    it('rejects a body that is not JSON at all (text/plain)', async () => {
      expectJsonError(await api(running, 'POST', '/api/documents', { rawBody: 'title=x', contentType: 'text/plain' }), 400)
    })

    it('rejects a JSON body that is not an object', async () => {
      expectJsonError(await api(running, 'POST', '/api/documents', { json: ['title'] }), 400)
      expectJsonError(await api(running, 'POST', '/api/documents', { json: 'title' }), 400)
      expectJsonError(await api(running, 'POST', '/api/documents', { rawBody: 'null' }), 400)
    })

    it('rejects a missing title', async () => {
      expectJsonError(await api(running, 'POST', '/api/documents', { json: {} }), 400, /title/)
      expectJsonError(await api(running, 'POST', '/api/documents', { json: { text: '正文' } }), 400, /title/)
    })

    it('rejects a title that is not a string', async () => {
      expectJsonError(await api(running, 'POST', '/api/documents', { json: { title: 42 } }), 400, /title/)
      expectJsonError(await api(running, 'POST', '/api/documents', { json: { title: null } }), 400, /title/)
      expectJsonError(await api(running, 'POST', '/api/documents', { json: { title: ['a'] } }), 400, /title/)
    })

    it('rejects an empty or blank title', async () => {
      expectJsonError(await api(running, 'POST', '/api/documents', { json: { title: '' } }), 400, /title/)
      expectJsonError(await api(running, 'POST', '/api/documents', { json: { title: ' \t ' } }), 400, /title/)
    })

    it('rejects text that is not a string', async () => {
      expectJsonError(await api(running, 'POST', '/api/documents', { json: { title: 't', text: 5 } }), 400, /text/)
    })

    it('rejects unknown fields', async () => {
      expectJsonError(await api(running, 'POST', '/api/documents', { json: { title: 't', owner: 'me' } }), 400, /owner/)
    })

    it('rejects a title over 200 characters and accepts exactly 200', async () => {
      expectJsonError(await api(running, 'POST', '/api/documents', { json: { title: '题'.repeat(201) } }), 400, /title/)
      expect((await api(running, 'POST', '/api/documents', { json: { title: '题'.repeat(200) } })).status).toBe(201)
    })

    it('rejects a body over 2 MB with 413', async () => {
      const response = await api(running, 'POST', '/api/documents', { json: { title: 't', text: 'x'.repeat(2 * 1024 * 1024 + 10) } })
      expectJsonError(response, 413)
    })

    it('creates nothing when validation fails', async () => {
      await api(running, 'POST', '/api/documents', { json: { title: 't', bogus: 1 } })
      await api(running, 'POST', '/api/documents', { rawBody: '{' })
      expect((await api(running, 'GET', '/api/documents')).body).toEqual([])
      expect(await storedDocumentIds(running)).toEqual([])
    })

    it('validates PATCH bodies', async () => {
      const meta = await createDocument(running, '原标题')
      expectJsonError(await api(running, 'PATCH', `/api/documents/${meta.id}`, { json: {} }), 400, /title/)
      expectJsonError(await api(running, 'PATCH', `/api/documents/${meta.id}`, { json: { title: 1 } }), 400, /title/)
      expectJsonError(await api(running, 'PATCH', `/api/documents/${meta.id}`, { json: { title: 'x', text: 'y' } }), 400, /text/)
      expectJsonError(await api(running, 'PATCH', `/api/documents/${meta.id}`, { rawBody: 'nope' }), 400)
      expectJsonError(await api(running, 'PATCH', `/api/documents/${meta.id}`, { json: { title: 'x'.repeat(201) } }), 400)
      expect((await api(running, 'GET', `/api/documents/${meta.id}`)).body.title).toBe('原标题')
    })

    it('rejects ids with characters outside [A-Za-z0-9_-] or too long with 400', async () => {
      for (const id of ['bad.id', 'bad%20id', '%E4%B8%AD%E6%96%87', 'a'.repeat(65), 'x%27%3B', '%E0%A4%A']) {
        expectJsonError(await api(running, 'GET', `/api/documents/${id}`), 400, /id|param/i)
        expectJsonError(await api(running, 'PATCH', `/api/documents/${id}`, { json: { title: 't' } }), 400)
        expectJsonError(await api(running, 'DELETE', `/api/documents/${id}`), 400)
      }
    })

    it('answers 404 for unknown ids', async () => {
      expectJsonError(await api(running, 'GET', '/api/documents/unknownId'), 404, /unknownId/)
      expectJsonError(await api(running, 'PATCH', '/api/documents/unknownId', { json: { title: 't' } }), 404)
      expectJsonError(await api(running, 'DELETE', '/api/documents/unknownId'), 404)
    })

    it('answers 404 JSON for unknown API routes', async () => {
      expectJsonError(await api(running, 'GET', '/api/nope'), 404, /nope/)
      expectJsonError(await api(running, 'POST', '/api/health'), 404)
      expectJsonError(await api(running, 'GET', '/api/documents/abc/extra'), 404)
      expectJsonError(await api(running, 'PUT', '/api/documents'), 404)
    })
  })

  it('serves a plain 503 for app routes when the client is not built', async () => {
    const response = await fetch(`${running.base}/documents/abc`)
    expect(response.status).toBe(503)
    expect(await response.text()).toContain('npm start')
  })
})

describe('serving the built client', () => {
  it('revalidates the page on every load and lets the browser keep content-named assets', async () => {
    // Installed under a folder that happens to be called assets: only the client's own assets/ is content-named.
    const clientDir = path.join(await ctx.tempDir('huigao-client-'), 'assets', 'dist')
    await fs.mkdir(path.join(clientDir, 'assets'), { recursive: true })
    await fs.writeFile(path.join(clientDir, 'robots.txt'), 'User-agent: *')
    await fs.writeFile(path.join(clientDir, 'index.html'), '<!doctype html><title>会稿</title>')
    await fs.writeFile(path.join(clientDir, 'assets', 'index-AbC123.js'), 'console.log(1)')
    const running = await ctx.startServer({ clientDir })

    for (const route of ['/', '/d/some-document']) {
      const page = await fetch(`${running.base}${route}`)
      expect(page.status).toBe(200)
      expect(page.headers.get('cache-control')).toBe('no-cache')
      expect(await page.text()).toContain('会稿')
    }
    // The page's first API reads go out with its headers (server/http/preloadLinks.ts): signed out,
    // the account alone (a 401 for the report would be handed to the page after signing in).
    const meOnly = '</api/me>; rel=preload; as=fetch; crossorigin'
    for (const cookie of [undefined, 'huigao_session=forged', `${running.cookie}x`]) {
      const page = await fetch(`${running.base}/d/some-document`, { headers: cookie ? { cookie } : {} })
      expect(page.headers.get('link')).toBe(meOnly)
    }
    const signedIn = { headers: { cookie: running.cookie } }
    expect((await fetch(`${running.base}/d/some-document`, signedIn)).headers.get('link')).toBe(
      `${meOnly}, </api/documents/some-document>; rel=preload; as=fetch; crossorigin`,
    )
    expect((await fetch(`${running.base}/`, signedIn)).headers.get('link')).toBe(`${meOnly}, </api/documents>; rel=preload; as=fetch; crossorigin`)
    expect((await fetch(`${running.base}/login`, signedIn)).headers.get('link')).toBe(meOnly)
    const script = await fetch(`${running.base}/assets/index-AbC123.js`)
    expect(script.status).toBe(200)
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect((await fetch(`${running.base}/robots.txt`)).headers.get('cache-control')).toBe('public, max-age=3600')
    expect((await fetch(`${running.base}/assets/missing-XyZ.js`)).status).toBe(404)
  })
})

describe('seeding the sample report', () => {
  it('creates exactly one sample document on a new data directory, and never again', async () => {
    const dataDir = await ctx.tempDir()
    const first = await ctx.startServer({ seedSample: true }, dataDir)
    const list = (await api(first, 'GET', '/api/documents')).body as Array<{ id: string; title: string }>
    expect(list).toHaveLength(1)
    expect(list[0].title).toBe(SAMPLE_TITLE)
    expect(SAMPLE_TITLE).toBe('2022年度党建工作述职')
    const client = await ctx.syncedProvider(first, list[0].id)
    expect(yDocToNode(client.doc).firstChild?.textContent).toBe('2022年度党建工作述职')
    expect(docText(client.doc)).toContain('强化政治引领')
    client.destroy()
    await first.close()

    // A restart on the same directory does not add a second copy.
    const second = await ctx.startServer({ seedSample: true }, dataDir)
    const again = (await api(second, 'GET', '/api/documents')).body as Array<{ id: string }>
    expect(again.map((d) => d.id)).toEqual([list[0].id])

    // Nor does it come back after the user deleted it.
    expect((await api(second, 'DELETE', `/api/documents/${list[0].id}`)).status).toBe(204)
    await second.close()
    const third = await ctx.startServer({ seedSample: true }, dataDir)
    expect((await api(third, 'GET', '/api/documents')).body).toEqual([])
  })

  it('does not seed when seedSample is off', async () => {
    const running = await ctx.startServer({ seedSample: false })
    expect((await api(running, 'GET', '/api/documents')).body).toEqual([])
  })
})
