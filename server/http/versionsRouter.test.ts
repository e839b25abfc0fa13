import { afterEach, describe, expect, it } from 'vitest'
import type { NotificationList } from '../../shared/notifications'
import { TestContext, api, share } from '../testing/harness'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

describe('restoring a version', () => {
  it('tells everyone else on the document, by the bell, who restored which version; not the one who did it', async () => {
    const running = await ctx.startServer({ seedSample: true })
    const [sample] = (await api(running, 'GET', '/api/documents')).body as Array<{ id: string }>
    const drafter = await running.createUser('drafter', { displayName: '起草人' })
    const viewer = await running.createUser('viewer', { displayName: '查看者' })
    await share(running, sample.id, 'drafter', 'drafter')
    await share(running, sample.id, 'viewer', 'viewer')
    const outsider = await running.createUser('outsider', { displayName: '局外人' })

    const saved = await api(drafter, 'POST', `/api/documents/${sample.id}/versions`, { json: { name: '初稿' } })
    expect(saved.status).toBe(201)
    const restored = await api(drafter, 'POST', `/api/documents/${sample.id}/versions/${(saved.body as { id: string }).id}/restore`)
    expect(restored.status).toBe(200)

    const bell = async (session: typeof drafter) => ((await api(session, 'GET', '/api/notifications')).body as NotificationList).notifications
    for (const session of [running, viewer]) {
      expect(await bell(session)).toEqual([
        expect.objectContaining({ kind: 'versionRestored', documentId: sample.id, actorName: '起草人', text: '初稿', read: false }),
      ])
    }
    expect(await bell(drafter)).toEqual([])
    expect(await bell(outsider)).toEqual([])
  })
})
