import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TEST_USER_PASSWORD, TestContext, createDocument, type RunningServer } from '../testing/harness'
import { rawLogin, rawRequest } from './rawHttp'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

/** A server with a stand-in built client (index.html and one hashed asset). */
async function serverWithClient(overrides: Parameters<TestContext['startServer']>[0] = {}): Promise<RunningServer> {
  const dataDir = await ctx.tempDir()
  const clientDir = path.join(dataDir, 'client')
  await fs.mkdir(path.join(clientDir, 'assets'), { recursive: true })
  await fs.writeFile(path.join(clientDir, 'index.html'), '<!doctype html><script type="module" src="/assets/app-abc.js"></script>')
  await fs.writeFile(path.join(clientDir, 'assets', 'app-abc.js'), 'console.log(1)')
  return ctx.startServer({ clientDir, ...overrides }, dataDir)
}

const directives = (csp: string) => new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]))

describe('security headers (finding 7)', () => {
  it('pages, assets and API answers carry CSP, nosniff, frame and referrer policies', async () => {
    const running = await serverWithClient()
    for (const route of ['/', '/documents/x', '/assets/app-abc.js', '/api/health', '/api/me', '/api/nothing-here']) {
      const response = await rawRequest(running.base, 'GET', route, { headers: { cookie: running.cookie } })
      expect(response.headers['x-content-type-options'], route).toBe('nosniff')
      expect(response.headers['x-frame-options'], route).toBe('DENY')
      expect(response.headers['referrer-policy'], route).toBe('same-origin')
      const csp = directives(String(response.headers['content-security-policy']))
      expect(csp.get('default-src'), route).toEqual(["'self'"])
      // Scripts only from the server itself: no inline script, no eval.
      expect(csp.get('script-src'), route).toEqual(["'self'"])
      expect(csp.get('connect-src'), route).toEqual(["'self'"])
      expect(csp.get('frame-ancestors'), route).toEqual(["'none'"])
      expect(csp.get('object-src'), route).toEqual(["'none'"])
      // Plain-HTTP installations on an intranet address must keep loading their own assets.
      expect(csp.has('upgrade-insecure-requests'), route).toBe(false)
    }
  })

  it('API answers, successful or not, are never cached; hashed assets still are', async () => {
    const running = await serverWithClient()
    const doc = await createDocument(running, '缓存')
    for (const [method, route, cookie] of [
      ['GET', '/api/health', running.cookie],
      ['GET', '/api/me', running.cookie],
      ['GET', '/api/documents', running.cookie],
      ['GET', `/api/documents/${doc.id}`, running.cookie],
      ['GET', '/api/me', ''],
      ['GET', '/api/documents/unknown', running.cookie],
    ]) {
      const response = await rawRequest(running.base, method, route, { headers: cookie ? { cookie } : {} })
      expect(response.headers['cache-control'], `${route} ${response.status}`).toBe('no-store')
    }
    const login = await rawLogin(running.base, 'admin', 'wrong-password')
    expect(login.headers['cache-control']).toBe('no-store')
    expect((await rawRequest(running.base, 'GET', '/assets/app-abc.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable')
  })
})

describe('Secure session cookie behind an HTTPS proxy (finding 7)', () => {
  const secureFlag = (setCookie: string[] | undefined) => (setCookie ?? []).find((line) => line.startsWith('huigao_session='))?.split(';').some((part) => part.trim().toLowerCase() === 'secure')

  it('with TRUST_PROXY, a sign-in forwarded as https gets a Secure cookie; a plain one does not', async () => {
    const running = await ctx.startServer({ trustProxy: 'loopback' })
    await running.createUser('alice')
    const viaHttps = await rawLogin(running.base, 'alice', TEST_USER_PASSWORD, { 'x-forwarded-proto': 'https' })
    expect(viaHttps.status).toBe(200)
    expect(secureFlag(viaHttps.headers['set-cookie'])).toBe(true)
    const plain = await rawLogin(running.base, 'alice', TEST_USER_PASSWORD)
    expect(plain.status).toBe(200)
    expect(secureFlag(plain.headers['set-cookie'])).toBe(false)
    // HSTS only where it means something: answers that went out over HTTPS.
    expect(viaHttps.headers['strict-transport-security']).toMatch(/^max-age=\d+$/)
    expect(plain.headers['strict-transport-security']).toBeUndefined()
  })

  it('without TRUST_PROXY a forged X-Forwarded-Proto changes nothing', async () => {
    const running = await ctx.startServer()
    await running.createUser('alice')
    const forged = await rawLogin(running.base, 'alice', TEST_USER_PASSWORD, { 'x-forwarded-proto': 'https' })
    expect(forged.status).toBe(200)
    expect(secureFlag(forged.headers['set-cookie'])).toBe(false)
  })

  it('TRUST_PROXY as a hop count works (TRUST_PROXY=1)', async () => {
    const running = await ctx.startServer({ trustProxy: '1' })
    await running.createUser('alice')
    expect(secureFlag((await rawLogin(running.base, 'alice', TEST_USER_PASSWORD, { 'x-forwarded-proto': 'https' })).headers['set-cookie'])).toBe(true)
  })
})

describe('the Origin check compares scheme, host and port (finding 7)', () => {
  it('a page of the same host over another scheme is foreign, for API writes and for the WebSocket', async () => {
    const running = await ctx.startServer()
    const doc = await createDocument(running, '同主机')
    const write = (origin: string, extra: Record<string, string> = {}) =>
      rawRequest(running.base, 'POST', '/api/documents', {
        headers: { cookie: running.cookie, origin, 'content-type': 'application/json', ...extra },
        body: JSON.stringify({ title: '跨协议' }),
      })
    expect((await write(`https://127.0.0.1:${running.port}`)).status).toBe(403)
    expect((await write(`ws://127.0.0.1:${running.port}`)).status).toBe(403)
    expect((await write(`http://127.0.0.1:${running.port}`)).status).toBe(201)
    // Without a trusted proxy, a forwarded scheme is not believed.
    expect((await write(`https://127.0.0.1:${running.port}`, { 'x-forwarded-proto': 'https' })).status).toBe(403)

    expect((await ctx.rawFor(running, doc.id, { headers: { origin: `https://127.0.0.1:${running.port}` } }).refused).status).toBe(403)
    await ctx.rawFor(running, doc.id, { headers: { origin: `http://127.0.0.1:${running.port}` } }).opened
  })

  it('behind a trusted HTTPS proxy the expected origin is https', async () => {
    const running = await ctx.startServer({ trustProxy: 'loopback' })
    const doc = await createDocument(running, '代理')
    const write = (origin: string) =>
      rawRequest(running.base, 'POST', '/api/documents', {
        headers: { cookie: running.cookie, origin, 'x-forwarded-proto': 'https', 'content-type': 'application/json' },
        body: JSON.stringify({ title: '代理后' }),
      })
    expect((await write(`http://127.0.0.1:${running.port}`)).status).toBe(403)
    expect((await write(`https://127.0.0.1:${running.port}`)).status).toBe(201)
    const viaProxy = (origin: string) =>
      ctx.rawFor(running, doc.id, { headers: { origin, 'x-forwarded-proto': 'https' } })
    expect((await viaProxy(`http://127.0.0.1:${running.port}`).refused).status).toBe(403)
    await viaProxy(`https://127.0.0.1:${running.port}`).opened
  })
})
