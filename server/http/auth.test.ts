import { afterEach, describe, expect, it } from 'vitest'
import { TEST_USER_PASSWORD, TestContext, api, createDocument, docText, share, type RunningServer } from '../testing/harness'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const FOREIGN = 'http://evil.example'

describe('the API requires a session', () => {
  it('answers 401 JSON to anonymous callers and to an unknown or garbled cookie, on every route but health and login', async () => {
    const running = await ctx.startServer()
    const doc = await createDocument(running, '需要登录')
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/me'],
      ['GET', '/api/users'],
      ['GET', '/api/documents'],
      ['POST', '/api/documents', { title: '匿名' }],
      ['POST', '/api/documents/import'],
      ['GET', `/api/documents/${doc.id}`],
      ['PATCH', `/api/documents/${doc.id}`, { title: '改' }],
      ['DELETE', `/api/documents/${doc.id}`],
      ['GET', `/api/documents/${doc.id}/placeholders`],
      ['GET', `/api/documents/${doc.id}/outline`],
      ['GET', `/api/documents/${doc.id}/review`],
      ['GET', `/api/documents/${doc.id}/members`],
      ['PUT', `/api/documents/${doc.id}/members/admin`, { role: 'viewer' }],
      ['DELETE', `/api/documents/${doc.id}/members/admin`],
      // An unknown document must not be told apart from a known one before signing in.
      ['GET', '/api/documents/unknownId'],
    ]
    for (const cookie of [null, 'huigao_session=forged-token', 'huigao_session=', 'huigao_session=%E0%A4%A', 'other=1']) {
      for (const [method, route, json] of routes) {
        const response = await api(running.base, method, route, { json, cookie })
        expect(response.status, `${method} ${route} with ${cookie}`).toBe(401)
        expect(response.body).toEqual({ error: expect.any(String) })
      }
    }
    expect((await api(running.base, 'GET', '/api/health')).status).toBe(200)
    // Nothing happened to the document.
    expect((await api(running, 'GET', `/api/documents/${doc.id}`)).body.title).toBe('需要登录')
    expect((await api(running, 'GET', '/api/documents')).body).toHaveLength(1)
  })

  it('GET /api/me answers who is signed in', async () => {
    const running = await ctx.startServer()
    const alice = await running.createUser('alice', { displayName: '爱丽丝' })
    expect((await api(alice, 'GET', '/api/me')).body).toEqual({ id: alice.user.id, username: 'alice', displayName: '爱丽丝', isAdmin: false })
    expect((await api(running, 'GET', '/api/me')).body).toMatchObject({ username: 'admin', isAdmin: true })
  })
})

describe('cross-site requests (CSRF)', () => {
  let running: RunningServer
  const sameOrigin = () => `http://127.0.0.1:${running.port}`

  it('refuses a cookie-carrying write with a foreign Origin (403) and lets the same origin through', async () => {
    running = await ctx.startServer()
    const doc = await createDocument(running, '原标题')
    const forged = { origin: FOREIGN }
    for (const [method, route, json] of [
      ['POST', '/api/documents', { title: '伪造' }],
      ['PATCH', `/api/documents/${doc.id}`, { title: '被篡改' }],
      ['DELETE', `/api/documents/${doc.id}`, undefined],
      ['POST', '/api/users', { username: 'mallory', displayName: 'M', password: 'password-123' }],
      ['PATCH', '/api/users/admin', { password: 'taken-over-1' }],
      ['PUT', `/api/documents/${doc.id}/members/admin`, { role: 'viewer' }],
      ['POST', '/api/logout', undefined],
    ] as Array<[string, string, unknown]>) {
      const response = await api(running, method, route, { json, headers: forged })
      expect(response.status, `${method} ${route}`).toBe(403)
      expect(response.body).toEqual({ error: expect.stringMatching(/origin/i) })
    }
    // Other malformed origins are foreign too.
    for (const origin of ['null', `http://127.0.0.1:${running.port}.evil.example`, 'http://localhost', 'not a url']) {
      expect((await api(running, 'POST', '/api/documents', { json: { title: '伪造' }, headers: { origin } })).status, origin).toBe(403)
    }
    // Nothing changed, and the session was not ended by the forged logout.
    const list = await api(running, 'GET', '/api/documents')
    expect(list.status).toBe(200)
    expect(list.body.map((d: { title: string }) => d.title)).toEqual(['原标题'])
    expect(await running.server.accounts.byUsername('mallory')).toBeUndefined()

    // The same request from the app's own pages works.
    const created = await api(running, 'POST', '/api/documents', { json: { title: '同源' }, headers: { origin: sameOrigin() } })
    expect(created.status).toBe(201)
    const renamed = await api(running, 'PATCH', `/api/documents/${doc.id}`, { json: { title: '同源改名' }, headers: { origin: sameOrigin() } })
    expect(renamed.status).toBe(200)
  })

  it('refuses a login from a foreign page (login CSRF)', async () => {
    running = await ctx.startServer()
    await running.createUser('alice')
    const forged = await api(running.base, 'POST', '/api/login', { json: { username: 'alice', password: TEST_USER_PASSWORD }, headers: { origin: FOREIGN } })
    expect(forged.status).toBe(403)
    expect(forged.headers.getSetCookie()).toEqual([])
    const own = await api(running.base, 'POST', '/api/login', { json: { username: 'alice', password: TEST_USER_PASSWORD }, headers: { origin: sameOrigin() } })
    expect(own.status).toBe(200)
  })

  it('refuses a websocket upgrade with a foreign Origin before upgrading (403), even with a valid cookie', async () => {
    running = await ctx.startServer()
    const doc = await createDocument(running, '跨站连接', '跨站连接\n正文')
    const forged = ctx.rawFor(running, doc.id, { headers: { origin: FOREIGN } })
    const refused = await forged.refused
    expect(refused.status).toBe(403)
    expect(JSON.parse(refused.body)).toEqual({ error: expect.stringMatching(/origin/i) })
    expect(forged.messages).toEqual([])
    expect(running.server.collab.isLoaded(doc.id)).toBe(false)

    // With ws's `origin` option too, and with a stock provider (which never gets to sync).
    expect((await ctx.rawFor(running, doc.id, { origin: 'https://intranet.evil.example' }).refused).status).toBe(403)
    const provider = ctx.provider(running, doc.id, undefined, { headers: { origin: FOREIGN } })
    const error = await new Promise<string>((resolve) =>
      provider.provider.once('connection-error', (event: Event) => resolve(String((event as unknown as { message?: string }).message))),
    )
    expect(error).toMatch(/Unexpected server response: 403/)
    expect(provider.provider.synced).toBe(false)
    provider.destroy()

    // The app's own origin connects.
    const own = ctx.rawFor(running, doc.id, { headers: { origin: `http://127.0.0.1:${running.port}` } })
    await own.opened
    const alice = await running.createUser('alice')
    await share(running, doc.id, 'alice', 'viewer')
    const client = await ctx.syncedProvider(alice, doc.id)
    expect(docText(client.doc)).toBe('跨站连接正文')
  })
})
