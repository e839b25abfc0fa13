import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/closeCodes'
import { plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import { docJSONToUpdate } from '../../shared/editor/lib/ydoc'
import pg from 'pg'
import { hashToken } from './AccountStore'
import { testBackends } from '../postgres/testing'
import { DocumentStore } from '../storage/DocumentStore'
import {
  TEST_ADMIN_PASSWORD,
  TEST_USER_PASSWORD,
  TestContext,
  api,
  createDocument,
  docText,
  sessionCookieOf,
  sessionOn,
  share,
  sleep,
  waitFor,
  type ApiResponse,
  type RunningServer,
  type Session,
} from '../testing/harness'

// Every test runs on the embedded files and on PostgreSQL (DATABASE_URL).
for (const backend of await testBackends()) {
  describe.skipIf(backend.skipReason !== undefined)(`on ${backend.name}`, () => {
    const ctx = new TestContext({ database: backend.database })
    afterEach(() => ctx.cleanup())

    /** Everything stored about accounts and sessions, as text. */
    async function storedAccounts(running: RunningServer): Promise<string> {
      if (!running.config.databaseUrl) return fs.readFile(path.join(running.config.dataDir, 'accounts.json'), 'utf8')
      const client = new pg.Client({ connectionString: running.config.databaseUrl })
      await client.connect()
      try {
        const users = await client.query('SELECT * FROM users')
        const sessions = await client.query('SELECT * FROM sessions')
        return JSON.stringify([users.rows, sessions.rows])
      } finally {
        await client.end()
      }
    }

    const INITIAL_PASSWORD_FILE = 'initial-admin-password'

    const me = (session: Session, cookie?: string | null) => api(session, 'GET', '/api/me', { cookie })

    function loginAs(running: RunningServer, username: string, password: string, from?: string): Promise<ApiResponse> {
      return api(running.base, 'POST', '/api/login', { json: { username, password }, headers: from ? { 'x-forwarded-for': from } : {} })
    }

    /** A websocket connection attempt with `cookie`: the refusal status, or 'open'. */
    async function connectStatus(running: RunningServer, documentId: string, cookie: string | null): Promise<number | 'open'> {
      const raw = ctx.raw(`${running.collabUrl}/${documentId}`, cookie ? { headers: { cookie } } : {})
      const outcome = await Promise.race([raw.refused.then((r) => r.status), raw.opened.then(() => 'open' as const)])
      raw.terminate()
      return outcome
    }

    function expectUnauthorized(response: ApiResponse): void {
      expect(response.status).toBe(401)
      // A refused sign-in says why with its code (the client's Chinese text); a request without a session has none.
      expect(response.body).toEqual({ error: expect.any(String), ...('code' in response.body ? { code: 'wrong-credentials' } : {}) })
    }

    describe('the first start', () => {
      it('creates the administrator with ADMIN_PASSWORD and writes no password file', async () => {
        const running = await ctx.startServer({ adminPassword: 'from-the-environment' })
        expect(running.user).toMatchObject({ username: 'admin', isAdmin: true })
        expect(existsSync(path.join(running.config.dataDir, INITIAL_PASSWORD_FILE))).toBe(false)
        expect((await me(running)).body).toEqual({ id: running.user.id, username: 'admin', displayName: expect.any(String), isAdmin: true })
        expect((await running.server.accounts.list()).map((user) => user.username)).toEqual(['admin'])
      })

      it('without ADMIN_PASSWORD writes a random password to initial-admin-password (mode 0600) that signs in', async () => {
        const dataDir = await ctx.tempDir()
        const first = await ctx.startServer({ adminPassword: undefined }, dataDir)
        const file = path.join(dataDir, INITIAL_PASSWORD_FILE)
        const stat = await fs.stat(file)
        expect(stat.mode & 0o777).toBe(0o600)
        const password = (await fs.readFile(file, 'utf8')).trim()
        expect(password.length).toBeGreaterThanOrEqual(12)
        expect(password).not.toBe(TEST_ADMIN_PASSWORD)

        const signedIn = await loginAs(first, 'admin', password)
        expect(signedIn.status).toBe(200)
        expect(signedIn.body).toMatchObject({ username: 'admin', isAdmin: true })
        expect(signedIn.body.passwordHash).toBeUndefined()
        const adminBefore = { ...(await first.server.accounts.byUsername('admin'))! }
        await first.close()

        // A restart (even with ADMIN_PASSWORD set now) neither recreates the administrator nor changes the password.
        const contentBefore = await fs.readFile(file, 'utf8')
        const second = await ctx.startServer({ adminPassword: 'set-after-the-first-start' }, dataDir)
        expect(await fs.readFile(file, 'utf8')).toBe(contentBefore)
        expect((await fs.stat(file)).mtimeMs).toBe(stat.mtimeMs)
        expect(await second.server.accounts.list()).toEqual([adminBefore])
        expect((await loginAs(second, 'admin', password)).status).toBe(200)
        expect((await loginAs(second, 'admin', 'set-after-the-first-start')).status).toBe(401)
      }, 30_000)

      // catalog.json from before accounts existed: an upgrade of the embedded files only.
      it.runIf(backend.name === 'files')('gives documents from before accounts existed to the administrator', async () => {
        const dataDir = await ctx.tempDir()
        const store = new DocumentStore(dataDir, { flushIntervalMs: 50, compactAfterBytes: 4 * 1024 * 1024 })
        await store.init()
        await store.create('legacyDoc', docJSONToUpdate(plainTextToDocJSON('旧文档\n升级前的正文')))
        const at = '2024-01-01T00:00:00.000Z'
        await fs.writeFile(path.join(dataDir, 'catalog.json'), JSON.stringify({ documents: [{ id: 'legacyDoc', title: '旧文档', createdAt: at, updatedAt: at }] }))

        const running = await ctx.startServer({ seedSample: true }, dataDir)
        const list = (await api(running, 'GET', '/api/documents')).body
        expect(list).toEqual([{ id: 'legacyDoc', title: '旧文档', createdAt: at, updatedAt: at, ownerId: running.user.id, members: {}, status: 'draft', submission: null, role: 'owner' }])
        const client = await ctx.syncedProvider(running, 'legacyDoc')
        expect(docText(client.doc)).toBe('旧文档升级前的正文')
        // The owner can share them as usual.
        await running.createUser('alice')
        await share(running, 'legacyDoc', 'alice', 'viewer')
      })

      it('creates the sample report owned by the administrator', async () => {
        const running = await ctx.startServer({ seedSample: true })
        const list = (await api(running, 'GET', '/api/documents')).body
        expect(list).toHaveLength(1)
        expect(list[0]).toMatchObject({ ownerId: running.user.id, role: 'owner', members: {} })
      })
    })

    describe('sessions', () => {
      it('sets an HttpOnly, SameSite=Lax session cookie and stores only a hash of its token', async () => {
        const running = await ctx.startServer()
        await running.createUser('alice')
        const response = await loginAs(running, 'alice', TEST_USER_PASSWORD)
        expect(response.status).toBe(200)
        const line = response.headers.getSetCookie().find((l) => l.startsWith('huigao_session='))!
        expect(line).toMatch(/;\s*HttpOnly/i)
        expect(line).toMatch(/;\s*SameSite=Lax/i)
        expect(line).toMatch(/;\s*Path=\//i)
        // Plain http here: a Secure cookie would never come back.
        expect(line).not.toMatch(/;\s*Secure/i)
        const token = sessionCookieOf(response.headers)!.split('=')[1]
        expect(token.length).toBeGreaterThanOrEqual(32)
        const stored = await storedAccounts(running)
        expect(stored).not.toContain(token)
        expect(stored).toContain(hashToken(token))
        expect(stored).not.toContain(TEST_USER_PASSWORD)
      })

      it('survive a server restart: the same cookie still works for the API and for a websocket', async () => {
        const first = await ctx.startServer()
        const alice = await first.createUser('alice', { displayName: '爱丽丝' })
        const doc = await createDocument(alice, '重启后的会话', '重启后的会话\n正文')
        await first.close()

        const second = await ctx.startServer({}, first.config.dataDir)
        const again = sessionOn(alice, second)
        const who = await me(again)
        expect(who.status).toBe(200)
        expect(who.body).toMatchObject({ username: 'alice', displayName: '爱丽丝' })
        const client = await ctx.syncedProvider(again, doc.id)
        expect(docText(client.doc)).toBe('重启后的会话正文')
      })

      it('logout ends the session: the cookie no longer works for the API or a websocket', async () => {
        const running = await ctx.startServer()
        const alice = await running.createUser('alice')
        const other = await running.login('alice', TEST_USER_PASSWORD)
        const doc = await createDocument(alice, '登出')
        expect(await connectStatus(running, doc.id, alice.cookie)).toBe('open')

        const out = await api(alice, 'POST', '/api/logout')
        expect(out.status).toBe(204)
        expect(out.headers.getSetCookie().some((l) => /^huigao_session=;/.test(l) && /Expires=Thu, 01 Jan 1970/i.test(l))).toBe(true)
        expectUnauthorized(await me(alice))
        expectUnauthorized(await api(alice, 'GET', '/api/documents'))
        expect(await connectStatus(running, doc.id, alice.cookie)).toBe(401)
        // Only that session: alice's other sign-in still works.
        expect((await me(other)).status).toBe(200)
        // Logging out without a session is harmless.
        expect((await api(running.base, 'POST', '/api/logout')).status).toBe(204)
      })

      it('expire after inactivity, and activity keeps them alive', async () => {
        const idle = 1_500
        const running = await ctx.startServer({ sessionIdleMs: idle })
        const alice = await running.createUser('alice')
        const doc = await createDocument(alice, '过期')
        for (let i = 0; i < 3; i++) {
          await sleep(idle * 0.6)
          expect((await me(alice)).status).toBe(200)
        }
        await sleep(idle + 300)
        expectUnauthorized(await me(alice))
        expect(await connectStatus(running, doc.id, alice.cookie)).toBe(401)
        // Signing in again works.
        const fresh = await running.login('alice', TEST_USER_PASSWORD)
        expect((await me(fresh)).status).toBe(200)
      }, 30_000)
    })

    describe('signing in', () => {
      it('answers 401 for a wrong password or an unknown user, with no cookie', async () => {
        const running = await ctx.startServer()
        await running.createUser('alice')
        for (const [username, password] of [
          ['alice', 'wrong-password'],
          ['alice', ''.padEnd(8, 'x')],
          ['nobody', TEST_USER_PASSWORD],
          ['Alice', TEST_USER_PASSWORD],
        ]) {
          const response = await loginAs(running, username, password)
          expectUnauthorized(response)
          expect(response.body.error).toBe('Wrong username or password')
          expect(response.body.code).toBe('wrong-credentials')
          expect(sessionCookieOf(response.headers)).toBeNull()
        }
      })

      it('validates the login body', async () => {
        const running = await ctx.startServer()
        expect((await api(running.base, 'POST', '/api/login', { json: { username: 'admin' } })).status).toBe(400)
        expect((await api(running.base, 'POST', '/api/login', { json: { username: 'admin', password: 5 } })).status).toBe(400)
        expect((await api(running.base, 'POST', '/api/login', { json: { username: 'admin', password: 'x', remember: true } })).status).toBe(400)
        expect((await api(running.base, 'POST', '/api/login', { rawBody: '{' })).status).toBe(400)
      })

      it('throttles one account after 5 failures: then even the right password gets 429 with Retry-After', async () => {
        const running = await ctx.startServer()
        await running.createUser('alice')
        for (let i = 0; i < 5; i++) expect((await loginAs(running, 'alice', `wrong-${i}`)).status).toBe(401)
        const throttled = await loginAs(running, 'alice', TEST_USER_PASSWORD)
        expect(throttled.status).toBe(429)
        expect(throttled.body).toEqual({ error: expect.stringMatching(/try again/i), code: 'sign-in-throttled', retryAfterSeconds: expect.any(Number) })
        const retryAfter = Number(throttled.headers.get('retry-after'))
        expect(retryAfter).toBeGreaterThan(0)
        expect(retryAfter).toBeLessThanOrEqual(30)
        expect(sessionCookieOf(throttled.headers)).toBeNull()
      })

      describe('behind a trusted proxy (per-address keys from X-Forwarded-For)', () => {

        it('locks the account from every address, while other accounts from elsewhere still sign in', async () => {
          const running = await ctx.startServer({ trustProxy: 'loopback' })
          await running.createUser('alice')
          await running.createUser('bob')
          for (let i = 0; i < 5; i++) expect((await loginAs(running, 'alice', `wrong-${i}`, '10.0.0.1')).status).toBe(401)
          expect((await loginAs(running, 'alice', TEST_USER_PASSWORD, '10.0.0.2')).status).toBe(429)
          expect((await loginAs(running, 'bob', TEST_USER_PASSWORD, '10.0.0.2')).status).toBe(200)
        })

        it('locks an address that tries many usernames, while the same accounts still sign in from elsewhere', async () => {
          const running = await ctx.startServer({ trustProxy: 'loopback' })
          await running.createUser('bob')
          for (const name of ['u1', 'u2', 'admin', 'bob', 'u5']) expect((await loginAs(running, name, 'guess-123', '10.0.0.66')).status).toBe(401)
          const throttled = await loginAs(running, 'bob', TEST_USER_PASSWORD, '10.0.0.66')
          expect(throttled.status).toBe(429)
          expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0)
          expect((await loginAs(running, 'bob', TEST_USER_PASSWORD, '10.0.0.7')).status).toBe(200)
        })
      })

      it('a disabled account cannot sign in, and its existing sessions and connections end', async () => {
        const running = await ctx.startServer()
        const alice = await running.createUser('alice')
        const doc = await createDocument(running, '停用')
        await share(running, doc.id, 'alice', 'drafter')
        const live = await ctx.syncedYClient(alice, doc.id)

        const disabled = await api(running, 'PATCH', '/api/users/alice', { json: { disabled: true } })
        expect(disabled.status).toBe(200)
        expect(disabled.body).toMatchObject({ username: 'alice', disabled: true })
        expectUnauthorized(await me(alice))
        expectUnauthorized(await loginAs(running, 'alice', TEST_USER_PASSWORD))
        expect(await connectStatus(running, doc.id, alice.cookie)).toBe(401)
        expect((await live.closed).code).toBe(CloseCode.AccountDisabled)
        // Hidden from colleagues, still listed (as disabled) for administrators.
        expect((await api(running, 'GET', '/api/users')).body).toContainEqual(expect.objectContaining({ username: 'alice', disabled: true }))
        // And cannot be given documents.
        expect((await api(running, 'PUT', `/api/documents/${doc.id}/members/alice`, { json: { role: 'viewer' } })).status).toBe(404)

        expect((await api(running, 'PATCH', '/api/users/alice', { json: { disabled: false } })).status).toBe(200)
        expect((await loginAs(running, 'alice', TEST_USER_PASSWORD)).status).toBe(200)
      })

      it('a password reset by an administrator signs that person out everywhere', async () => {
        const running = await ctx.startServer()
        const alice = await running.createUser('alice')
        const elsewhere = await running.login('alice', TEST_USER_PASSWORD)
        const bob = await running.createUser('bob')
        const doc = await createDocument(alice, '重置密码')
        const live = await ctx.syncedYClient(alice, doc.id)

        const reset = await api(running, 'PATCH', '/api/users/alice', { json: { password: 'brand-new-password' } })
        expect(reset.status).toBe(200)
        expect(reset.body.passwordHash).toBeUndefined()
        expectUnauthorized(await me(alice))
        expectUnauthorized(await me(elsewhere))
        expect((await live.closed).code).toBe(CloseCode.SessionEnded)
        expectUnauthorized(await loginAs(running, 'alice', TEST_USER_PASSWORD))
        expect((await loginAs(running, 'alice', 'brand-new-password')).status).toBe(200)
        // Nobody else was signed out.
        expect((await me(bob)).status).toBe(200)
        expect((await me(running)).status).toBe(200)
      })
    })

    describe('the users API', () => {
      it('lets an administrator create accounts; the new person can sign in', async () => {
        const running = await ctx.startServer()
        const created = await api(running, 'POST', '/api/users', { json: { username: 'zhang.san', displayName: ' 张三 ', password: '12345678' } })
        expect(created.status).toBe(201)
        expect(created.body).toEqual({ id: expect.any(String), username: 'zhang.san', displayName: '张三', isAdmin: false })
        const zhang = await running.login('zhang.san', '12345678')
        expect(zhang.user).toEqual(created.body)
        // A password is kept exactly as typed (no trimming).
        expect((await api(running, 'POST', '/api/users', { json: { username: 'li', displayName: '李', password: ' spaced  ' } })).status).toBe(201)
        expect((await running.login('li', ' spaced  ')).user.username).toBe('li')
      })

      it('refuses account changes from non-administrators (403) and from anonymous callers (401)', async () => {
        const running = await ctx.startServer()
        const alice = await running.createUser('alice')
        const body = { username: 'mallory', displayName: 'M', password: 'password-123' }
        expect((await api(alice, 'POST', '/api/users', { json: body })).status).toBe(403)
        expect((await api(alice, 'POST', '/api/users', { json: { ...body, isAdmin: true } })).status).toBe(403)
        expect((await api(alice, 'PATCH', '/api/users/alice', { json: { isAdmin: true } })).status).toBe(403)
        expect((await api(alice, 'PATCH', '/api/users/admin', { json: { password: 'taken-over-1' } })).status).toBe(403)
        expect((await api(running.base, 'POST', '/api/users', { json: body })).status).toBe(401)
        expect((await api(running.base, 'GET', '/api/users')).status).toBe(401)
        expect(await running.server.accounts.byUsername('mallory')).toBeUndefined()
        expect((await running.server.accounts.byUsername('alice'))!.isAdmin).toBe(false)
        expect((await loginAs(running, 'admin', TEST_ADMIN_PASSWORD)).status).toBe(200)
      })

      it('lists colleagues for everyone signed in, without secrets; details for administrators', async () => {
        const running = await ctx.startServer()
        const alice = await running.createUser('alice', { displayName: '爱丽丝' })
        await running.createUser('gone')
        await api(running, 'PATCH', '/api/users/gone', { json: { disabled: true } })
        const seen = (await api(alice, 'GET', '/api/users')).body
        expect(seen.map((u: { username: string }) => u.username)).toEqual(['admin', 'alice'])
        for (const user of seen) expect(Object.keys(user).sort()).toEqual(['displayName', 'id', 'isAdmin', 'username'])
        const full = (await api(running, 'GET', '/api/users')).body
        expect(full.map((u: { username: string }) => u.username)).toEqual(['admin', 'alice', 'gone'])
        for (const user of full) {
          expect(user.passwordHash).toBeUndefined()
          expect(typeof user.disabled).toBe('boolean')
        }
      })

      it('validates new accounts: duplicate 409, bad username 400, short password 400', async () => {
        const running = await ctx.startServer()
        const create = (json: Record<string, unknown>) => api(running, 'POST', '/api/users', { json })
        await running.createUser('alice')
        const taken = await create({ username: 'alice', displayName: '另一个', password: 'password-123' })
        expect([taken.status, taken.body.code]).toEqual([409, 'username-taken'])
        expect((await create({ username: 'admin', displayName: '管理员二', password: 'password-123' })).status).toBe(409)
        for (const username of ['a', 'has space', '张三', 'x'.repeat(33), '../etc', 'semi;colon', '']) {
          const response = await create({ username, displayName: '某人', password: 'password-123' })
          expect(response.status, username).toBe(400)
          expect(response.body.error).toMatch(/username|Username/)
          if (username && username.length <= 32) expect(response.body.code, username).toBe('username-invalid')
        }
        const short = await create({ username: 'bob', displayName: 'Bob', password: '1234567' })
        expect(short.status).toBe(400)
        expect(short.body.error).toMatch(/8/)
        expect(short.body).toMatchObject({ code: 'password-too-short', minLength: 8 })
        expect((await create({ username: 'bob', displayName: 'Bob' })).status).toBe(400)
        expect((await create({ username: 'bob', password: 'password-123' })).status).toBe(400)
        expect((await create({ username: 'bob', displayName: 'Bob', password: 'password-123', isAdmin: 'yes' })).status).toBe(400)
        expect((await create({ username: 'bob', displayName: 'Bob', password: 'password-123', role: 'admin' })).status).toBe(400)
        expect(await running.server.accounts.byUsername('bob')).toBeUndefined()
        expect((await api(running, 'PATCH', '/api/users/alice', { json: { password: 'short' } })).status).toBe(400)
        expect((await api(running, 'PATCH', '/api/users/nobody', { json: { displayName: 'x' } })).status).toBe(404)
      })

      it('an administrator cannot disable or demote themselves', async () => {
        const running = await ctx.startServer()
        expect((await api(running, 'PATCH', '/api/users/admin', { json: { disabled: true } })).status).toBe(400)
        expect((await api(running, 'PATCH', '/api/users/admin', { json: { isAdmin: false } })).status).toBe(400)
        expect((await me(running)).body.isAdmin).toBe(true)
      })

      it('a promoted administrator can manage accounts', async () => {
        const running = await ctx.startServer()
        const alice = await running.createUser('alice')
        expect((await api(running, 'PATCH', '/api/users/alice', { json: { isAdmin: true } })).status).toBe(200)
        const created = await api(alice, 'POST', '/api/users', { json: { username: 'bob', displayName: 'Bob', password: 'password-123' } })
        expect(created.status).toBe(201)
        await waitFor(async () => (await me(alice)).body.isAdmin === true)
      })
    })
  })
}
