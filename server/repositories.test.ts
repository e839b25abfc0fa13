// The repositories' contract, run against both backends: the embedded files and PostgreSQL. The
// PostgreSQL backend also runs it across two "processes" (two sets of repositories on one database),
// where every change made through one must be seen through the other.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DuplicateUsernameError, type User } from './accounts/AccountRepository'
import { AccountStore, hashToken } from './accounts/AccountStore'
import type { HuigaoConfig } from './config'
import { RequestClosedError, RequestPendingError } from './documents/SubmissionRequests'
import { MAX_AUTO_VERSIONS, MAX_NAMED_VERSIONS, VersionLimitError, VersionsRemovedError, type Version, type VersionKind } from './documents/VersionStore'
import { testBackends } from './postgres/testing'
import { openRepositories, type Repositories } from './repositories'
import type { DocumentMeta } from './storage/Catalog'
import { waitFor } from './testing/harness'

const HASHING = { log2N: 10, r: 8, p: 1 }
const IDLE_MS = 60_000

const EMPTY_DOC = { type: 'doc', content: [{ type: 'reportTitle', content: [{ type: 'text', text: '标题' }] }] }
let counter = 0
const version = (kind: VersionKind, name = `${kind}-${++counter}`): Version => ({
  id: `v${++counter}`,
  name,
  kind,
  createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, counter)).toISOString(),
  createdBy: '测试',
  doc: { ...EMPTY_DOC, attrs: { n: counter } } as Version['doc'],
})

const meta = (id: string, ownerId: string, overrides: Partial<DocumentMeta> = {}): DocumentMeta => {
  const at = new Date(Date.UTC(2024, 0, 1, 0, 0, ++counter)).toISOString()
  return { id, title: `文档 ${id}`, createdAt: at, updatedAt: at, ownerId, members: {}, status: 'draft', submission: null, ...overrides }
}

for (const backend of await testBackends()) {
  describe.skipIf(backend.skipReason !== undefined)(`repositories on ${backend.name}`, () => {
    const opened: Repositories[] = []
    const dirs: string[] = []
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((r) => r.close()))
      await Promise.all(dirs.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })))
    })

    /** One installation; `again()` opens it a second time, as another process (or a restart) would. */
    async function installation() {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huigao-repos-'))
      dirs.push(dataDir)
      // Where the embedded versions live (the document store creates it in the server).
      await fs.mkdir(path.join(dataDir, 'documents'))
      const databaseUrl = backend.database && (await backend.database())
      const config = { dataDir, databaseUrl, sessionIdleMs: IDLE_MS, passwordHashing: HASHING, pgPoolMax: 4 } as HuigaoConfig
      const open = async () => {
        const repositories = await openRepositories(config)
        opened.push(repositories)
        return repositories
      }
      const first = await open()
      return { first, again: open }
    }

    async function withUsers(repositories: Repositories, ...names: string[]): Promise<User[]> {
      return Promise.all(names.map((username) => repositories.accounts.create({ username, displayName: username.toUpperCase(), password: `${username}-password` })))
    }

    describe('accounts and sessions', () => {
      it('creates, finds, lists and refuses a taken username', async () => {
        const { first } = await installation()
        const { accounts } = first
        expect(await accounts.isEmpty()).toBe(true)
        const [bob, alice] = await withUsers(first, 'bob', 'alice')
        expect(await accounts.isEmpty()).toBe(false)
        expect((await accounts.list()).map((u) => u.username)).toEqual(['alice', 'bob'])
        expect(await accounts.byId(bob.id)).toEqual(bob)
        expect(await accounts.byUsername('alice')).toEqual(alice)
        expect(await accounts.byUsername('nobody')).toBeUndefined()
        await expect(accounts.create({ username: 'bob', displayName: 'x', password: 'another-password' })).rejects.toBeInstanceOf(DuplicateUsernameError)
        expect(await accounts.list()).toHaveLength(2)
      })

      it('signs in with the right password only, not when disabled; keeps only token hashes', async () => {
        const { first } = await installation()
        const { accounts } = first
        const [alice] = await withUsers(first, 'alice')
        expect(await accounts.authenticate('alice', 'wrong-password')).toBeNull()
        expect(await accounts.authenticate('nobody', 'alice-password')).toBeNull()
        expect((await accounts.authenticate('alice', 'alice-password'))?.id).toBe(alice.id)
        const token = await accounts.startSession(alice)
        expect((await accounts.resolveSession(token))?.id).toBe(alice.id)
        expect(await accounts.resolveSession(`${token}x`)).toBeNull()
        expect(await accounts.resolveSession(undefined)).toBeNull()
        expect(accounts.sessionIdOf(token)).toBe(hashToken(token))

        const ended: unknown[] = []
        accounts.onSessionsEnded((e) => ended.push(e))
        await accounts.update(alice, { disabled: true })
        expect(ended).toEqual([{ userId: alice.id, sessionIds: [hashToken(token)], reason: 'disabled' }])
        expect(await accounts.resolveSession(token)).toBeNull()
        expect(await accounts.authenticate('alice', 'alice-password')).toBeNull()
        await accounts.update(alice, { disabled: false })
        // Re-enabling does not bring the ended session back.
        expect(await accounts.resolveSession(token)).toBeNull()
        expect(await accounts.authenticate('alice', 'alice-password')).not.toBeNull()
      })

      // The embedded files serve one process (DATA_DIR is locked): several processes need PostgreSQL.
      it.runIf(backend.name === 'postgres')('sign-out, a password reset and a role change are seen by every process at once', async () => {
        const { first, again } = await installation()
        const second = await again()
        const [alice] = await withUsers(first, 'alice')
        const one = await first.accounts.startSession(alice)
        const two = await second.accounts.startSession((await second.accounts.byUsername('alice'))!)
        expect((await second.accounts.resolveSession(one))?.username).toBe('alice')

        await first.accounts.endSession(one)
        expect(await second.accounts.resolveSession(one)).toBeNull()
        expect((await first.accounts.resolveSession(two))?.username).toBe('alice')

        const ended: unknown[] = []
        second.accounts.onSessionsEnded((e) => ended.push(e))
        await second.accounts.update(alice, { password: 'a-new-password' })
        expect(ended).toEqual([{ userId: alice.id, sessionIds: [hashToken(two)], reason: 'password-reset' }])
        expect(await first.accounts.resolveSession(two)).toBeNull()
        expect(await first.accounts.authenticate('alice', 'alice-password')).toBeNull()
        expect(await first.accounts.authenticate('alice', 'a-new-password')).not.toBeNull()
        const three = await first.accounts.startSession(alice)
        await second.accounts.update(alice, { isAdmin: true, displayName: '爱丽丝' })
        // Role and name changes reach the other process's next request (nothing cached there).
        expect(await first.accounts.resolveSession(three)).toMatchObject({ isAdmin: true, displayName: '爱丽丝' })
      }, 30_000)

      it('upgrades a cheap password hash at sign-in, unless the password was reset meanwhile', async () => {
        const { first } = await installation()
        const cheap = await AccountStore.over(first.accounts.repository, IDLE_MS, { log2N: 8, r: 8, p: 1 })
        const alice = await cheap.create({ username: 'alice', displayName: 'A', password: 'alice-password' })
        const cheapHash = alice.passwordHash
        expect(cheapHash).toMatch(/^scrypt\$ln=8,/)
        const upgraded = await first.accounts.authenticate('alice', 'alice-password')
        expect(upgraded!.passwordHash).toMatch(/^scrypt\$ln=10,/)
        expect((await first.accounts.byId(alice.id))!.passwordHash).toBe(upgraded!.passwordHash)
        // A rehash conditioned on the old hash does not undo a reset.
        const result = await first.accounts.repository.updateUser(alice.id, { passwordHash: 'stale' }, { ifPasswordHash: cheapHash })
        expect(result).toBeUndefined()
        expect((await first.accounts.byId(alice.id))!.passwordHash).toBe(upgraded!.passwordHash)
      })

      it('ends sessions idle past the limit; activity keeps them alive', async () => {
        const { first } = await installation()
        const [alice] = await withUsers(first, 'alice')
        const token = await first.accounts.startSession(alice)
        const repo = first.accounts.repository
        expect(await repo.sessionUser(hashToken(token), IDLE_MS)).toBeDefined()
        // Seen within the last 60 s, but not within the last 0 ms.
        expect(await repo.sessionUser(hashToken(token), -1)).toBeUndefined()
        await repo.pruneSessions(-1)
        expect(await repo.sessionUser(hashToken(token), IDLE_MS)).toBeUndefined()
      })
    })

    describe('sign-in throttling', () => {
      it('locks after the free attempts, on any process, and a success gives the attempt back', async () => {
        const { first, again } = await installation()
        const second = backend.name === 'postgres' ? await again() : first
        const keys = ['user:alice', 'ip:10.0.0.1']
        const now = Date.now()
        // Five failures spread over two processes, started in parallel: each is counted.
        const attempts = await Promise.all([0, 1, 2, 3, 4].map((i) => (i % 2 ? first : second).throttle.begin(keys, now)))
        expect(attempts.every((a) => 'succeeded' in a)).toBe(true)
        const locked = await first.throttle.begin(keys, now)
        expect(locked).toEqual({ retryAfterMs: 30_000 })
        expect(await second.throttle.begin(['ip:10.0.0.1'], now + 1)).toEqual({ retryAfterMs: 29_999 })
        // Other accounts from another address are not affected.
        expect('succeeded' in (await first.throttle.begin(['user:bob', 'ip:10.0.0.2'], now))).toBe(true)
        // The wait doubles with each further failure once it has passed.
        const later = now + 30_001
        const sixth = await first.throttle.begin(keys, later)
        expect('succeeded' in sixth).toBe(true)
        expect(await first.throttle.begin(keys, later)).toEqual({ retryAfterMs: 60_000 })
        // A success: the account starts afresh, the address loses one count and its lock (an office shares
        // one address); its failures still count, so the next failure there locks it again at once.
        if ('succeeded' in sixth) await sixth.succeeded()
        expect('succeeded' in (await first.throttle.begin(['user:alice', 'ip:10.0.0.3'], later))).toBe(true)
        expect('succeeded' in (await first.throttle.begin(['user:carol', 'ip:10.0.0.1'], later))).toBe(true)
        expect(await second.throttle.begin(['user:dave', 'ip:10.0.0.1'], later)).toEqual({ retryAfterMs: 60_000 })
        await first.throttle.succeed(['ip:10.0.0.1'])
        expect('succeeded' in (await first.throttle.begin(['user:carol', 'ip:10.0.0.1'], later))).toBe(true)
      })
    })

    describe('catalog', () => {
      it('adds, updates, shares, touches and removes documents; a restart finds them', async () => {
        const { first, again } = await installation()
        expect(first.catalog.isNew).toBe(true)
        const [owner, alice, bob] = await withUsers(first, 'owner', 'alice', 'bob')
        const { catalog } = first
        await catalog.add(meta('d1', owner.id))
        await catalog.add(meta('d2', owner.id, { members: { [alice.id]: 'drafter' } }))
        expect(catalog.list().map((d) => d.id)).toEqual(['d2', 'd1'])
        const held = catalog.get('d1')!
        const updated = await catalog.update('d1', { title: '新标题', requireVerifiedFigures: true })
        expect(updated).toBe(held)
        expect(held.title).toBe('新标题')
        expect(await catalog.setMember('d1', alice.id, 'reviewer')).toBe(held)
        expect(await catalog.setMember('d1', bob.id, 'viewer')).toBe(held)
        expect(held.members).toEqual({ [alice.id]: 'reviewer', [bob.id]: 'viewer' })
        expect(await catalog.removeMember('d1', bob.id)).toBe(true)
        expect(await catalog.removeMember('d1', bob.id)).toBe(false)
        expect(await catalog.setMember('nope', bob.id, 'viewer')).toBeUndefined()
        expect(await catalog.update('nope', { title: 'x' })).toBeUndefined()
        const submission = { versionId: 'v1', versionName: '报送', submittedAt: held.createdAt, submittedBy: 'OWNER', overrideReason: null }
        await catalog.update('d1', { status: 'submitted', submission })
        const at = '2030-01-01T00:00:00.000Z'
        await catalog.touch(['d1', 'gone'], at)
        expect(catalog.list().map((d) => d.id)).toEqual(['d1', 'd2'])
        expect(await catalog.remove('d2')).toBe(true)
        expect(await catalog.remove('d2')).toBe(false)
        expect(catalog.get('d2')).toBeUndefined()

        const expected = { ...meta('d1', owner.id), title: '新标题', createdAt: held.createdAt, updatedAt: at, requireVerifiedFigures: true, members: { [alice.id]: 'reviewer' }, status: 'submitted', submission }
        await first.close()
        opened.splice(opened.indexOf(first), 1)
        const reopened = await again()
        expect(reopened.catalog.isNew).toBe(false)
        expect(reopened.catalog.list()).toEqual([expected])
      })

      it.runIf(backend.name === 'postgres')('every change on one process reaches the other (NOTIFY), to the same object', async () => {
        const { first, again } = await installation()
        const second = await again()
        expect(second.catalog.isNew).toBe(false)
        const [owner, alice] = await withUsers(first, 'owner', 'alice')
        await first.catalog.add(meta('d1', owner.id))
        await waitFor(() => second.catalog.get('d1') !== undefined, 10_000, 'the new document on the other process')
        const held = second.catalog.get('d1')!
        await first.catalog.setMember('d1', alice.id, 'drafter')
        await waitFor(() => held.members[alice.id] === 'drafter', 10_000, 'the share')
        await first.catalog.update('d1', { status: 'submitted' })
        await waitFor(() => held.status === 'submitted', 10_000, 'the submission')
        // Shares made on both processes at once are both kept (no read-modify-write of the member list).
        const [bob, carol] = await withUsers(first, 'bob', 'carol')
        await Promise.all([first.catalog.setMember('d1', bob.id, 'viewer'), second.catalog.setMember('d1', carol.id, 'reviewer')])
        const all = { [alice.id]: 'drafter', [bob.id]: 'viewer', [carol.id]: 'reviewer' }
        await waitFor(() => JSON.stringify(first.catalog.get('d1')?.members) === JSON.stringify(second.catalog.get('d1')?.members), 10_000, 'the same members')
        expect(first.catalog.get('d1')!.members).toEqual(all)
        await second.catalog.removeMember('d1', alice.id)
        await waitFor(() => !(alice.id in first.catalog.get('d1')!.members), 10_000, 'the removed share')
        await second.catalog.remove('d1')
        await waitFor(() => first.catalog.get('d1') === undefined, 10_000, 'the deletion')
      }, 30_000)

      it.runIf(backend.name === 'postgres')('reads everything again after losing its notification connection', async () => {
        const { first, again } = await installation()
        const second = await again()
        const [owner] = await withUsers(first, 'owner')
        // Cut the second process's LISTEN connection, then change the catalog while it is away.
        await first.pool!.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [`huigao:${process.pid}:listen`])
        await first.catalog.add(meta('while-away', owner.id))
        await waitFor(() => second.catalog.get('while-away') !== undefined, 15_000, 'the document added while disconnected')
        // And it listens again: a later change arrives too.
        await first.catalog.update('while-away', { title: '之后' })
        await waitFor(() => second.catalog.get('while-away')?.title === '之后', 15_000, 'a later change')
      }, 30_000)
    })

    describe('提请提交 requests', () => {
      it('one open request per person; newest first; answered, withdrawn or submitted once only', async () => {
        const { first, again } = await installation()
        const second = backend.name === 'postgres' ? await again() : first
        const [owner, alice, bob] = await withUsers(first, 'owner', 'alice', 'bob')
        await first.catalog.add(meta('doc', owner.id))
        await first.catalog.add(meta('other', owner.id))
        const { requests } = first
        const one = await requests.create('doc', alice.id, '请提交')
        expect(one).toMatchObject({ documentId: 'doc', fromUserId: alice.id, note: '请提交', status: 'open', answer: null })
        await expect(second.requests.create('doc', alice.id, '再请')).rejects.toBeInstanceOf(RequestPendingError)
        const two = await second.requests.create('doc', bob.id, '')
        const elsewhere = await requests.create('other', bob.id, '')
        expect((await requests.forDocument('doc')).map((r) => r.id)).toEqual([two.id, one.id])
        expect((await requests.openFor(new Set(['doc', 'other']))).map((r) => r.id)).toEqual([elsewhere.id, two.id, one.id])
        expect(await requests.openFor(new Set())).toEqual([])
        expect(await requests.get('other', one.id)).toBeUndefined()

        // Answered on two processes at once: one answer is kept, the other refused.
        const [a, b] = [(await first.requests.get('doc', one.id))!, (await second.requests.get('doc', one.id))!]
        const answers = await Promise.allSettled([first.requests.answer(a, owner.id, '好'), second.requests.answer(b, owner.id, '不')])
        expect(answers.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
        expect(answers.find((r) => r.status === 'rejected')!.reason).toBeInstanceOf(RequestClosedError)
        const answered = (await requests.get('doc', one.id))!
        expect(answered.status).toBe('answered')
        expect(answered.answer).toMatchObject({ byUserId: owner.id, text: expect.stringMatching(/^[好不]$/) })
        await expect(requests.withdraw(answered)).rejects.toBeInstanceOf(RequestClosedError)
        // Alice may ask again now.
        const three = await requests.create('doc', alice.id, '第二次')
        expect((await requests.submitted('doc')).map((r) => r.id).sort()).toEqual([two.id, three.id].sort())
        expect((await requests.forDocument('doc')).map((r) => r.status)).toEqual(['submitted', 'submitted', 'answered'])
        const withdrawn = await requests.withdraw((await requests.get('other', elsewhere.id))!)
        expect(withdrawn.status).toBe('withdrawn')
        expect(await requests.openFor(new Set(['doc', 'other']))).toEqual([])
      })
    })

    describe('versions', () => {
      it('lists newest first, keeps the limit and the retention, refuses a deleted document', async () => {
        const { first } = await installation()
        const [owner] = await withUsers(first, 'owner')
        await first.catalog.add(meta('doc', owner.id))
        const { versions } = first
        expect(await versions.latest('doc')).toBeUndefined()
        const named = await versions.add('doc', version('named', '定稿前'))
        expect(await versions.get('doc', named.id)).toEqual(named)
        expect(await versions.get('doc', 'nope')).toBeUndefined()
        const autos: Version[] = []
        for (let i = 0; i < MAX_AUTO_VERSIONS + 3; i++) autos.push(await versions.add('doc', version('auto')))
        const list = await versions.list('doc')
        expect(list).toHaveLength(MAX_AUTO_VERSIONS + 1)
        expect(list[0].id).toBe(autos.at(-1)!.id)
        expect(list.at(-1)).toEqual({ id: named.id, name: '定稿前', kind: 'named', createdAt: named.createdAt, createdBy: '测试' })
        expect(list.filter((v) => v.kind === 'auto').map((v) => v.id)).toEqual(autos.slice(3).map((v) => v.id).reverse())
        expect(await versions.latest('doc')).toEqual(autos.at(-1))
        // prepare sees the latest version; null stores nothing.
        let seen: Version | undefined
        expect(await versions.update('doc', (latest) => ((seen = latest), null))).toBeNull()
        expect(seen).toEqual(autos.at(-1))

        await first.catalog.remove('doc')
        await versions.remove('doc')
        expect(await versions.list('doc')).toEqual([])
        await expect(versions.add('doc', version('named'))).rejects.toBeInstanceOf(VersionsRemovedError)
      }, 60_000)

      it('refuses a named version past the limit, even from two processes at once', async () => {
        const { first, again } = await installation()
        const second = backend.name === 'postgres' ? await again() : first
        const [owner] = await withUsers(first, 'owner')
        await first.catalog.add(meta('doc', owner.id))
        for (let i = 0; i < MAX_NAMED_VERSIONS - 1; i++) await first.versions.add('doc', version('named'))
        const results = await Promise.allSettled([first.versions.add('doc', version('named')), second.versions.add('doc', version('named'))])
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
        expect(results.find((r) => r.status === 'rejected')!.reason).toBeInstanceOf(VersionLimitError)
        expect(await first.versions.add('doc', version('submission'))).toBeDefined()
        expect((await first.versions.list('doc')).filter((v) => v.kind === 'named')).toHaveLength(MAX_NAMED_VERSIONS)
      }, 120_000)
    })
  })
}
