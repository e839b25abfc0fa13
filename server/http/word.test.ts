import { afterEach, describe, expect, it } from 'vitest'
import { around, ins, reviewedSample, run, WORD_REVIEWED, wordPackage } from '../../shared/word/testing'
import { TestContext, api, share, type Session } from '../testing/harness'
import { WEB_FONTS } from './fontsRouter'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

async function post(session: Session, route: string, body: Uint8Array) {
  const response = await fetch(`${session.base}${route}`, { method: 'POST', headers: { cookie: session.cookie, 'content-type': 'application/octet-stream' }, body: new Uint8Array(body) })
  return { status: response.status, body: (await response.json().catch(() => null)) as any }
}

const reviewed = () =>
  reviewedSample([{ line: '全年主持局委会', body: (line) => around(line, '研究审议**局发展纲要', ins(1, '起草人甲', '2024-04-01T09:00:00Z', run('认真')) + run('研究审议**局发展纲要')) }])

describe('POST /api/documents/import (Word revisions and comments)', () => {
  it('matches Word authors to accounts by display name, keeps the others as named external reviewers', async () => {
    const running = await ctx.startServer()
    const li = await running.createUser('li', { displayName: '李局长' })
    const imported = await post(running, '/api/documents/import', await wordPackage(WORD_REVIEWED))
    expect(imported.status).toBe(201)
    const review = (await api(running, 'GET', `/api/documents/${imported.body.id}/review`)).body
    const authors = new Set(review.pendingSuggestions.map((s: any) => `${s.authorId}|${s.authorName}`))
    const liId = (await api(li, 'GET', '/api/me')).body.id
    expect(authors).toEqual(new Set([`${liId}|李局长`, 'word:王处长|王处长']))
    expect(review.openThreads.map((t: any) => [t.authorId, t.quote, t.messages.map((m: any) => m.text)])).toEqual([['word:张三', '局委会**', ['次数请再核实']]])
  })
})

describe('POST /api/documents/:id/merge-docx', () => {
  it('lets drafters merge; refuses reviewers and viewers (403), non-members (403), bad files (400), submitted reports (409), and stays up', async () => {
    const running = await ctx.startServer({ seedSample: true })
    const [sample] = (await api(running, 'GET', '/api/documents')).body
    const route = `/api/documents/${sample.id}/merge-docx`
    const file = await reviewed()
    const people = Object.fromEntries(
      await Promise.all((['drafter', 'reviewer', 'viewer'] as const).map(async (role) => [role, await running.createUser(role, { displayName: role })] as const)),
    )
    for (const role of ['drafter', 'reviewer', 'viewer'] as const) await share(running, sample.id, role, role)
    const stranger = await running.createUser('stranger')

    expect((await post(people.reviewer, route, file)).status).toBe(403)
    expect((await post(people.viewer, route, file)).status).toBe(403)
    expect((await post(stranger, route, file)).status).toBe(403)
    const bad = await post(people.drafter, route, new TextEncoder().encode('not a docx'))
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/Cannot merge: not a readable \.docx/)
    expect(bad.body.code).toBe('docx-unreadable')
    expect((await post(people.drafter, route, new Uint8Array())).status).toBe(400)

    const merged = await post(people.drafter, route, file)
    expect(merged.status).toBe(200)
    expect(merged.body).toEqual({ applied: 1, threads: 0, alreadyPresent: 0, unmatched: [] })
    const review = (await api(people.drafter, 'GET', `/api/documents/${sample.id}/review`)).body
    expect(review.pendingSuggestions.map((s: any) => [s.type, s.authorId, s.authorName, s.inserted])).toEqual([['insertion', 'word:起草人甲', '起草人甲', '认真']])

    // Submitted: read-only for everyone until reopened.
    const submitted = await api(running, 'POST', `/api/documents/${sample.id}/submit`, { json: { versionName: '报送稿', overrideReason: '测试' } })
    expect(submitted.status).toBe(200)
    expect((await post(running, route, file)).status).toBe(409)
    expect((await api(running, 'GET', '/api/health')).status).toBe(200)
  })
})

describe('GET /fonts/<name>', () => {
  it('serves the page view fonts from this origin without a session, and nothing else', async () => {
    const running = await ctx.startServer()
    const font = await fetch(`${running.base}/fonts/${WEB_FONTS[0]}`)
    // The Fandol fonts are installed by scripts/ensure-office-fonts.mjs (npm test runs it).
    expect(font.status).toBe(200)
    expect(font.headers.get('content-type')).toBe('font/otf')
    expect(font.headers.get('cache-control')).toContain('max-age=')
    for (const name of ['..%2F..%2Fetc%2Fpasswd', 'FandolBraille-Regular.otf', 'x.otf']) expect((await fetch(`${running.base}/fonts/${name}`)).status).toBe(404)
  })
})
