import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createThread, replyToThread } from '../../shared/comments/threads'
import { CONTENT_FRAGMENT } from '../../shared/editor/lib/ydoc'
import { applyAction, newWorkflow, serializeWorkflow, WORKFLOW_ATTR, type SectionWorkflow } from '../../shared/sections/workflow'
import type { NotificationList, NotificationView } from '../../shared/notifications'
import { TEST_USER_PASSWORD, TestContext, api, createDocument, share, waitFor, within, type RunningServer, type Session } from '../testing/harness'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const CLEAN_TEXT = '关于工作的报告\n一、总体情况\n全年完成各项任务。'

interface People {
  running: RunningServer
  owner: Session
  lisi: Session
  reviewer: Session
  viewer: Session
  stranger: Session
  docId: string
}

async function setup(dataDir?: string): Promise<People> {
  const running = await ctx.startServer({}, dataDir)
  const owner = await running.createUser('zhangming', { displayName: '张明' })
  const lisi = await running.createUser('lisi', { displayName: '李四' })
  const reviewer = await running.createUser('wang', { displayName: '王局长' })
  const viewer = await running.createUser('zhao', { displayName: '赵六' })
  const stranger = await running.createUser('qian', { displayName: '钱七' })
  const doc = await createDocument(owner, '关于工作的报告', CLEAN_TEXT)
  await share(owner, doc.id, 'lisi', 'drafter')
  await share(owner, doc.id, 'wang', 'reviewer')
  await share(owner, doc.id, 'zhao', 'viewer')
  return { running, owner, lisi, reviewer, viewer, stranger, docId: doc.id }
}

const ask = (session: Session, id: string, json: unknown) => api(session, 'POST', `/api/documents/${id}/requests`, { json })
const bell = async (session: Session) => (await api<NotificationList>(session, 'GET', '/api/notifications')).body

describe('提请提交 over raw HTTP', () => {
  it('a drafter asks; the owner sees it in /api/requests and in the bell; nobody else may ask', async () => {
    const { owner, lisi, reviewer, viewer, stranger, docId } = await setup()
    const sent = await ask(lisi, docId, { note: '第一部分已定稿，请审核后提交。' })
    expect(sent.status).toBe(201)
    expect(sent.body).toMatchObject({ documentId: docId, fromUsername: 'lisi', fromName: '李四', note: '第一部分已定稿，请审核后提交。', status: 'open', answer: null })

    const mine = (await api(owner, 'GET', '/api/requests')).body
    expect(mine.incoming.map((r: { id: string }) => r.id)).toEqual([sent.body.id])
    expect(mine.outgoing).toEqual([])
    expect((await api(lisi, 'GET', '/api/requests')).body).toMatchObject({ incoming: [], outgoing: [{ id: sent.body.id }] })
    // Every member can see a document's requests; a stranger cannot.
    expect((await api(viewer, 'GET', `/api/documents/${docId}/requests`)).body).toHaveLength(1)
    expect((await api(stranger, 'GET', `/api/documents/${docId}/requests`)).status).toBe(403)

    const list = await bell(owner)
    expect(list.unread).toBe(1)
    expect(list.notifications[0]).toMatchObject({ kind: 'submitRequested', documentId: docId, actorName: '李四', text: '第一部分已定稿，请审核后提交。', read: false })
    expect((await bell(lisi)).unread).toBe(0)

    // One open request per person; reviewer, viewer, owner and strangers cannot ask.
    const again = await ask(lisi, docId, { note: '再催一次' })
    expect([again.status, (again.body as { code?: string }).code]).toEqual([409, 'request-pending'])
    for (const [who, status] of [[reviewer, 403], [viewer, 403], [owner, 403], [stranger, 403]] as const) {
      const refused = await ask(who, docId, { note: 'x' })
      expect(refused.status).toBe(status)
      expect(typeof refused.body.error).toBe('string')
    }
    // Bad bodies are 400 with a message.
    expect((await ask(lisi, docId, { note: 5 })).status).toBe(400)
    expect((await ask(lisi, docId, { note: 'x', extra: 1 })).status).toBe(400)
    expect((await ask(lisi, docId, { note: '长'.repeat(1001) })).status).toBe(400)
    expect((await api(lisi, 'POST', `/api/documents/${docId}/requests`, { rawBody: '[1]' })).status).toBe(400)
  })

  it('the owner answers (only the owner, once); the drafter is told; the sender alone may withdraw', async () => {
    const { owner, lisi, reviewer, docId } = await setup()
    const request = (await ask(lisi, docId, { note: '请提交' })).body
    const route = `/api/documents/${docId}/requests/${request.id}`
    expect((await api(lisi, 'POST', `${route}/answer`, { json: { text: '好' } })).status).toBe(403)
    expect((await api(owner, 'POST', `${route}/answer`, { json: {} })).status).toBe(400)
    expect((await api(owner, 'POST', `/api/documents/${docId}/requests/nope/answer`, { json: { text: '好' } })).status).toBe(404)
    expect((await api(reviewer, 'DELETE', route)).status).toBe(403)

    const answered = await api(owner, 'POST', `${route}/answer`, { json: { text: '第二部分的数字还没填，填完再提交。' } })
    expect(answered.status).toBe(200)
    expect(answered.body).toMatchObject({ status: 'answered', answer: { byName: '张明', text: '第二部分的数字还没填，填完再提交。' } })
    expect((await api(owner, 'POST', `${route}/answer`, { json: { text: '再答' } })).status).toBe(409)
    const late = await api(lisi, 'DELETE', route)
    expect([late.status, (late.body as { code?: string }).code]).toEqual([409, 'request-closed'])
    expect((await bell(lisi)).notifications[0]).toMatchObject({ kind: 'requestAnswered', actorName: '张明', text: '第二部分的数字还没填，填完再提交。' })

    // A new request can follow an answered one, and its sender withdraws it.
    const again = (await ask(lisi, docId, { note: '已填完' })).body
    const withdrawn = await api(lisi, 'DELETE', `/api/documents/${docId}/requests/${again.id}`)
    expect(withdrawn.body.status).toBe('withdrawn')
    expect((await api(owner, 'GET', '/api/requests')).body.incoming).toEqual([])
  })

  it('submitting fulfils open requests and tells their senders; a submitted document takes no new request', async () => {
    const { owner, lisi, docId } = await setup()
    const request = (await ask(lisi, docId, { note: '请提交' })).body
    const submitted = await api(owner, 'POST', `/api/documents/${docId}/submit`, { json: { versionName: '报送稿' } })
    expect(submitted.status).toBe(200)
    const requests = (await api(lisi, 'GET', `/api/documents/${docId}/requests`)).body
    expect(requests).toMatchObject([{ id: request.id, status: 'submitted' }])
    expect((await bell(lisi)).notifications[0]).toMatchObject({ kind: 'requestSubmitted', actorName: '张明', documentId: docId })
    const late = await ask(lisi, docId, { note: '再提' })
    expect(late.status).toBe(409)
  })
})

describe('notifications', () => {
  it('arrive live on the stream, are marked read, and survive a restart', async () => {
    const dataDir = await ctx.tempDir()
    const first = await setup(dataDir)
    expect((await api(first.owner.base, 'GET', '/api/notifications/stream')).status).toBe(401)

    const controller = new AbortController()
    const response = await fetch(`${first.owner.base}/api/notifications/stream`, { headers: { cookie: first.owner.cookie }, signal: controller.signal })
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const reader = response.body!.getReader()
    let received = ''
    const event = (async () => {
      while (!received.includes('event: notification')) {
        const { value, done } = await reader.read()
        if (done) break
        received += new TextDecoder().decode(value)
      }
    })()
    await ask(first.lisi, first.docId, { note: '请提交' })
    await within(event, 10_000, 'the notification on the stream')
    const data = /event: notification\ndata: (.*)\n/.exec(received)?.[1]
    expect(JSON.parse(data ?? '{}')).toMatchObject({ kind: 'submitRequested', actorName: '李四', text: '请提交' })
    controller.abort()

    const list = await bell(first.owner)
    const read = await api<NotificationList>(first.owner, 'POST', '/api/notifications/read', { json: { ids: [list.notifications[0].id] } })
    expect(read.body.unread).toBe(0)
    expect((await api(first.owner, 'POST', '/api/notifications/read', { json: { ids: 'all' } })).status).toBe(400)

    await first.running.close()
    const again = await ctx.startServer({}, dataDir)
    const owner = await again.login('zhangming', TEST_USER_PASSWORD)
    const after = await bell(owner)
    expect(after.notifications.map((n: NotificationView) => [n.kind, n.read])).toEqual([['submitRequested', true]])
  })

  it('a reply in a comment thread tells its earlier participants, named from the account', async () => {
    const { owner, lisi, reviewer, docId } = await setup()
    const ownerClient = await ctx.syncedYClient(owner, docId)
    createThread(ownerClient.doc, { id: 't1', author: { id: owner.user.id, name: '张明' }, text: '这里的数字要核实', quote: '全年', messageId: 'm1' })
    const lisiClient = await ctx.syncedYClient(lisi, docId)
    await waitFor(() => lisiClient.doc.getMap('comments').has('t1'), 10_000, 'the thread to reach 李四')
    expect((await bell(owner)).notifications).toEqual([])
    // A reply in someone else's name is refused before it is stored (UpdateRules, thread model), so
    // 李四 replies as themself; the notification names the account.
    replyToThread(lisiClient.doc, 't1', { id: lisi.user.id, name: '李四' }, '已核实，是12次', 'm2')
    await waitFor(async () => (await bell(owner)).unread === 1, 10_000, 'the reply notification')
    expect((await bell(owner)).notifications[0]).toMatchObject({ kind: 'commentReply', actorName: '李四', text: '已核实，是12次', documentId: docId })
    // 李四 is not told about their own reply; the reviewer never took part.
    expect((await bell(lisi)).notifications).toEqual([])
    expect((await bell(reviewer)).notifications).toEqual([])
  })

  it('assignment and sending back a section tell its assignees, with the section label', async () => {
    const { owner, lisi, docId } = await setup()
    const client = await ctx.syncedYClient(owner, docId)
    const section = client.doc.getXmlFragment(CONTENT_FRAGMENT).get(1) as Y.XmlElement
    expect(section.nodeName).toBe('section')
    const me = { id: owner.user.id, name: '张明' }
    let record: SectionWorkflow = newWorkflow('s1')
    const act = (action: Parameters<typeof applyAction>[1], assignees?: { id: string; name: string }[]) => {
      record = applyAction(record, action, me, new Date().toISOString(), assignees)
      section.setAttribute(WORKFLOW_ATTR, serializeWorkflow(record))
    }
    act('assign', [{ id: lisi.user.id, name: '李四' }])
    await waitFor(async () => (await bell(lisi)).unread === 1, 10_000, 'the assignment notification')
    expect((await bell(lisi)).notifications[0]).toMatchObject({ kind: 'sectionAssigned', actorName: '张明', sectionLabel: '一、总体情况', documentId: docId })
    // Submitting for review tells nobody; sending back tells the assignee; the owner is never told of their own acts.
    act('submit')
    act('return')
    await waitFor(async () => (await bell(lisi)).unread === 2, 10_000, 'the sent-back notification')
    expect((await bell(lisi)).notifications.map((n: NotificationView) => n.kind)).toEqual(['sectionSentBack', 'sectionAssigned'])
    // Re-assigning the same person is not news.
    act('assign', [{ id: lisi.user.id, name: '李四' }])
    await ask(lisi, docId, { note: '同步点' })
    await waitFor(async () => (await bell(owner)).unread === 1, 10_000, 'the request after the re-assignment')
    expect((await bell(lisi)).unread).toBe(2)
    expect((await bell(owner)).notifications.map((n: NotificationView) => n.kind)).toEqual(['submitRequested'])
  })
})
