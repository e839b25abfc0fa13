import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createThread, readThreads } from '../../shared/comments/threads'
import { settle, startTeam } from '../testing/team'
import {
  TestContext,
  api,
  appendParagraph,
  blockText,
  createDocument,
  docText,
  sessionOn,
  sleep,
  waitFor,
  within,
  type Session,
  type YClient,
} from '../testing/harness'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const TITLE = '权限测试'
const BODY = '第一段正文。'
const TEXT = TITLE + BODY

/** A document owned by an ordinary user (not the administrator) and shared with one person per role. */
const team = (overrides = {}) => startTeam(ctx, `${TITLE}\n${BODY}`, overrides)

/** Suggestion mark attributes, the way y-prosemirror stores a mark as a formatting attribute. */
function suggestion(id: string, author: Session | { user: { id: string; displayName: string } }) {
  return { id, authorId: author.user.id, authorName: author.user.displayName, createdAt: new Date().toISOString() }
}


/** The update is refused: the client is told so and its connection closed with 4409 (resync). */
async function expectRefused(client: YClient): Promise<void> {
  expect((await within(client.closed, 5_000, 'the refusal (close 4409)')).code).toBe(4409)
  expect(client.permissionDenied).toHaveLength(1)
}

const outline = async (session: Session, id: string) => (await api(session, 'GET', `/api/documents/${id}/outline`)).body
const review = async (session: Session, id: string) => (await api(session, 'GET', `/api/documents/${id}/review`)).body

describe('connecting', () => {
  it('refuses a websocket without a session with 401 before the upgrade (raw and stock clients)', async () => {
    const { running, doc } = await team()
    const raw = ctx.raw(`${running.collabUrl}/${doc.id}`)
    const refused = await raw.refused
    expect(refused.status).toBe(401)
    expect(JSON.parse(refused.body)).toEqual({ error: expect.any(String) })
    expect(raw.messages).toEqual([])
    const forged = ctx.raw(`${running.collabUrl}/${doc.id}`, { headers: { cookie: 'huigao_session=not-a-session' } })
    expect((await forged.refused).status).toBe(401)

    const stock = ctx.provider(running.collabUrl, doc.id)
    const error = await new Promise<string>((resolve) =>
      stock.provider.once('connection-error', (event: Event) => resolve(String((event as unknown as { message?: string }).message))),
    )
    expect(error).toMatch(/Unexpected server response: 401/)
    expect(stock.provider.synced).toBe(false)
    stock.destroy()
    // Nothing was loaded for anyone.
    expect(running.server.collab.isLoaded(doc.id)).toBe(false)
  })

  it('refuses a document not shared with the person (403), also an administrator; unknown documents 404', async () => {
    const { running, doc, outsider, drafter } = await team()
    const other = await createDocument(outsider, '别人的文档')

    // A member of one document trying another.
    const wrongDoc = ctx.rawFor(drafter, other.id)
    const refused = await wrongDoc.refused
    expect(refused.status).toBe(403)
    expect(JSON.parse(refused.body)).toEqual({ error: expect.any(String) })
    expect((await ctx.rawFor(outsider, doc.id).refused).status).toBe(403)
    // Being an administrator manages accounts, not documents.
    expect((await ctx.rawFor(running, doc.id).refused).status).toBe(403)
    expect((await ctx.rawFor(drafter, 'noSuchDocument').refused).status).toBe(404)
    expect(running.server.collab.isLoaded(doc.id)).toBe(false)
    expect(running.server.collab.isLoaded(other.id)).toBe(false)

    // And the API agrees.
    expect((await api(drafter, 'GET', `/api/documents/${other.id}`)).status).toBe(403)
    expect((await api(running, 'GET', `/api/documents/${doc.id}/review`)).status).toBe(403)
    expect((await api(drafter, 'GET', '/api/documents/noSuchDocument')).status).toBe(404)
  })
})

describe('sharing', () => {
  it('the owner shares with roles; everyone lists only the documents shared with them, with their role', async () => {
    const { running, doc, owner, drafter, reviewer, viewer, outsider } = await team()
    const own = await createDocument(outsider, '局外人的文档')
    const members = await api(drafter, 'GET', `/api/documents/${doc.id}/members`)
    expect(members.status).toBe(200)
    expect(members.body).toEqual([
      // With account ids: section assignments record them (joint drafting).
      { id: owner.user.id, username: 'owner', displayName: '主笔', role: 'owner' },
      { id: drafter.user.id, username: 'drafter', displayName: '起草人', role: 'drafter' },
      { id: reviewer.user.id, username: 'reviewer', displayName: '审阅人', role: 'reviewer' },
      { id: expect.any(String), username: 'reviewer2', displayName: '另一位审阅人', role: 'reviewer' },
      { id: viewer.user.id, username: 'viewer', displayName: '查看者', role: 'viewer' },
    ])
    const listed = async (session: Session) =>
      ((await api(session, 'GET', '/api/documents')).body as Array<{ id: string; role: string }>).map(({ id, role }) => [id, role])
    expect(await listed(owner)).toEqual([[doc.id, 'owner']])
    expect(await listed(drafter)).toEqual([[doc.id, 'drafter']])
    expect(await listed(reviewer)).toEqual([[doc.id, 'reviewer']])
    expect(await listed(viewer)).toEqual([[doc.id, 'viewer']])
    expect(await listed(outsider)).toEqual([[own.id, 'owner']])
    expect(await listed(running)).toEqual([])
    expect((await api(viewer, 'GET', `/api/documents/${doc.id}`)).body).toMatchObject({ id: doc.id, role: 'viewer' })

    // Changing a role.
    const changed = await api(owner, 'PUT', `/api/documents/${doc.id}/members/viewer`, { json: { role: 'reviewer' } })
    expect(changed.status).toBe(200)
    expect(changed.body).toEqual({ username: 'viewer', displayName: '查看者', role: 'reviewer' })
    expect(await listed(viewer)).toEqual([[doc.id, 'reviewer']])
  })

  it('only the owner may share, unshare, or delete; drafters may rename', async () => {
    const { doc, owner, drafter, reviewer, viewer, outsider } = await team()
    for (const session of [drafter, reviewer, viewer]) {
      const shared = await api(session, 'PUT', `/api/documents/${doc.id}/members/outsider`, { json: { role: 'drafter' } })
      expect(shared.status).toBe(403)
      expect(shared.body).toEqual({ error: expect.any(String) })
      expect((await api(session, 'PUT', `/api/documents/${doc.id}/members/${session.user.username}`, { json: { role: 'drafter' } })).status).toBe(403)
      expect((await api(session, 'DELETE', `/api/documents/${doc.id}/members/viewer`)).status).toBe(403)
      expect((await api(session, 'DELETE', `/api/documents/${doc.id}`)).status).toBe(403)
    }
    expect((await api(outsider, 'PUT', `/api/documents/${doc.id}/members/outsider`, { json: { role: 'drafter' } })).status).toBe(403)
    expect((await api(reviewer, 'PATCH', `/api/documents/${doc.id}`, { json: { title: '审阅人改名' } })).status).toBe(403)
    expect((await api(viewer, 'PATCH', `/api/documents/${doc.id}`, { json: { title: '查看者改名' } })).status).toBe(403)
    expect((await api(drafter, 'PATCH', `/api/documents/${doc.id}`, { json: { title: '起草人改名' } })).status).toBe(200)
    expect((await api(outsider, 'GET', '/api/documents')).body).toEqual([])
    const roles = ((await api(owner, 'GET', `/api/documents/${doc.id}/members`)).body as Array<{ username: string; role: string }>).map((m) => [m.username, m.role])
    expect(roles).toEqual([
      ['owner', 'owner'],
      ['drafter', 'drafter'],
      ['reviewer', 'reviewer'],
      ['reviewer2', 'reviewer'],
      ['viewer', 'viewer'],
    ])
    expect((await api(owner, 'DELETE', `/api/documents/${doc.id}`)).status).toBe(204)
  })

  it('validates sharing: roles, unknown people, the owner themselves', async () => {
    const { doc, owner } = await team()
    const put = (username: string, json: unknown) => api(owner, 'PUT', `/api/documents/${doc.id}/members/${username}`, { json })
    for (const role of ['owner', 'admin', '', 42, null]) expect((await put('outsider', { role })).status, String(role)).toBe(400)
    expect((await put('outsider', {})).status).toBe(400)
    expect((await put('outsider', { role: 'viewer', extra: 1 })).status).toBe(400)
    expect((await put('nobody', { role: 'viewer' })).status).toBe(404)
    expect((await put('owner', { role: 'viewer' })).status).toBe(400)
    expect((await api(owner, 'DELETE', `/api/documents/${doc.id}/members/outsider`)).status).toBe(404)
    expect((await api(owner, 'DELETE', `/api/documents/${doc.id}/members/nobody`)).status).toBe(404)
  })

  it('removing a member closes their live connection (4403) and they can no longer connect', async () => {
    const { doc, owner, drafter, viewer } = await team()
    const raw = await ctx.syncedYClient(viewer, doc.id)
    const stock = await ctx.syncedProvider(viewer, doc.id)
    const stockCodes: number[] = []
    stock.provider.on('connection-close', (event: CloseEvent | null) => event && stockCodes.push(event.code))
    const unaffected = await ctx.syncedProvider(drafter, doc.id)

    expect((await api(owner, 'DELETE', `/api/documents/${doc.id}/members/viewer`)).status).toBe(204)
    expect((await raw.closed).code).toBe(4403)
    await waitFor(() => stockCodes.includes(4403), 10_000, 'the stock client to see 4403')
    // 4403 is permanent for y-websocket.
    await waitFor(() => stock.provider.shouldConnect === false, 5_000, 'the stock client to stop reconnecting')
    expect((await ctx.rawFor(viewer, doc.id).refused).status).toBe(403)
    expect((await api(viewer, 'GET', `/api/documents/${doc.id}`)).status).toBe(403)
    expect((await api(viewer, 'GET', '/api/documents')).body).toEqual([])

    // The others stay connected.
    expect(unaffected.provider.wsconnected).toBe(true)
    appendParagraph(unaffected.doc, '移除之后')
    const check = await ctx.syncedProvider(owner, doc.id)
    await waitFor(() => docText(check.doc).includes('移除之后'))
  })

  it('changing a role reconnects the person (4001) with the new role', async () => {
    const { doc, owner, viewer, drafter } = await team()
    const before = await ctx.syncedYClient(viewer, doc.id)
    expect((await api(owner, 'PUT', `/api/documents/${doc.id}/members/viewer`, { json: { role: 'drafter' } })).status).toBe(200)
    expect((await before.closed).code).toBe(4001)
    const after = await ctx.syncedYClient(viewer, doc.id)
    const watcher = await ctx.syncedProvider(drafter, doc.id)
    appendParagraph(after.doc, '升为起草人后的编辑')
    await waitFor(() => docText(watcher.doc).includes('升为起草人后的编辑'))
    expect(after.permissionDenied).toEqual([])
  })
})

describe('a viewer', () => {
  it('cannot change the text: a hand-crafted update is dropped, answered with permission-denied and 4409', async () => {
    const { running, doc, owner, drafter, viewer } = await team()
    const drafterClient = await ctx.syncedProvider(drafter, doc.id)
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    const sneaky = await ctx.syncedYClient(viewer, doc.id)
    expect(docText(sneaky.doc)).toBe(TEXT)

    blockText(sneaky.doc, 0).insert(0, '篡改')
    await expectRefused(sneaky)
    expect(sneaky.permissionDenied[0]).toMatch(/权限/)
    await settle(ownerClient, drafterClient, 'after-viewer-edit')
    expect(docText(drafterClient.doc)).toBe(TEXT)
    expect((await outline(owner, doc.id)).title).toBe(TITLE)

    // The stock client is refused the same way.
    const stock = await ctx.syncedProvider(viewer, doc.id)
    const codes: number[] = []
    stock.provider.on('connection-close', (event: CloseEvent | null) => event && codes.push(event.code))
    blockText(stock.doc, 1).delete(0, 2)
    await waitFor(() => codes.includes(4409), 10_000, 'the stock client to be closed with 4409')
    await settle(ownerClient, drafterClient, 'after-stock-viewer-edit')
    expect(docText(drafterClient.doc)).toBe(TEXT)

    // Nor did either reach the disk.
    await running.close()
    const again = await ctx.startServer({}, running.config.dataDir)
    const reader = await ctx.syncedProvider(sessionOn(owner, again), doc.id)
    expect(docText(reader.doc)).toBe(TEXT)
  })

  it('cannot touch anything but the content and the comments', async () => {
    const { doc, owner, viewer } = await team()
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    const sneaky = await ctx.syncedYClient(viewer, doc.id)
    sneaky.doc.getMap('settings').set('locked', false)
    await expectRefused(sneaky)
    await sleep(100)
    expect(ownerClient.doc.getMap('settings').has('locked')).toBe(false)
  })

  // (The document has no comments yet: the update creates the `comments` map itself.)
  it('can comment: a thread in the comments map and its anchor are kept, even the first one', async () => {
    const { doc, owner, drafter, viewer } = await team()
    const drafterClient = await ctx.syncedProvider(drafter, doc.id)
    const commenter = await ctx.syncedYClient(viewer, doc.id)
    commenter.doc.transact(() => {
      createThread(commenter.doc, { id: 't1', author: { id: viewer.user.id, name: viewer.user.displayName }, text: '这里需要核实', quote: '第一段', messageId: 'm1' })
      blockText(commenter.doc, 1).format(0, 3, { comment: { threadId: 't1' } })
    })
    await waitFor(() => readThreads(drafterClient.doc).length === 1, 10_000, 'the thread to reach the drafter')
    expect(readThreads(drafterClient.doc)[0]).toMatchObject({ id: 't1', authorId: viewer.user.id, messages: [{ text: '这里需要核实' }] })
    const threads = (await review(owner, doc.id)).openThreads
    expect(threads).toEqual([expect.objectContaining({ id: 't1', authorId: viewer.user.id, anchored: true, quote: '第一段' })])
    // A reply in a second update is fine too, and the viewer is still connected.
    const messages = commenter.doc.getMap<Y.Map<unknown>>('comments').get('t1')!.get('messages') as Y.Array<unknown>
    messages.push([{ id: 'm2', authorId: viewer.user.id, authorName: viewer.user.displayName, createdAt: new Date().toISOString(), text: '补充' }])
    await waitFor(() => readThreads(drafterClient.doc)[0].messages.length === 2, 10_000, 'the reply')
    expect(commenter.raw.closeInfo).toBeNull()
    expect(commenter.permissionDenied).toEqual([])
    expect(docText(drafterClient.doc)).toBe(TEXT)
  })

  it('a stock client of a viewer syncs and follows the edits of others', async () => {
    const { doc, drafter, viewer } = await team()
    const reader = await ctx.syncedProvider(viewer, doc.id)
    const writer = await ctx.syncedProvider(drafter, doc.id)
    appendParagraph(writer.doc, '起草人的新段落')
    await waitFor(() => docText(reader.doc).includes('起草人的新段落'))
    await sleep(200)
    expect(reader.provider.wsconnected).toBe(true)
  })
})

describe('a reviewer', () => {
  it('cannot make a plain edit', async () => {
    const { doc, owner, drafter, reviewer } = await team()
    const drafterClient = await ctx.syncedProvider(drafter, doc.id)
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    const client = await ctx.syncedYClient(reviewer, doc.id)
    blockText(client.doc, 1).insert(0, '直接修改')
    await expectRefused(client)
    await settle(ownerClient, drafterClient, 'after-plain-edit')
    expect(docText(drafterClient.doc)).toBe(TEXT)
    expect((await review(owner, doc.id)).pendingSuggestions).toEqual([])
  })

  it('can suggest an insertion as themselves; it is kept and listed for review (stock client)', async () => {
    const { doc, owner, drafter, reviewer } = await team()
    const drafterClient = await ctx.syncedProvider(drafter, doc.id)
    const client = await ctx.syncedProvider(reviewer, doc.id)
    const codes: number[] = []
    client.provider.on('connection-close', (event: CloseEvent | null) => event && codes.push(event.code))
    const paragraph = blockText(client.doc, 1)
    paragraph.insert(paragraph.length, '（建议补充）', { insertion: suggestion('s1', reviewer) })
    await waitFor(() => docText(drafterClient.doc).includes('（建议补充）'), 10_000, 'the suggestion to reach the drafter')
    const pending = (await review(owner, doc.id)).pendingSuggestions
    expect(pending).toEqual([
      expect.objectContaining({ id: 's1', type: 'insertion', authorId: reviewer.user.id, authorName: '审阅人', inserted: '（建议补充）' }),
    ])
    // A deletion suggestion (marking existing text) and a comment are fine too.
    paragraph.format(0, 2, { deletion: suggestion('s2', reviewer) })
    await waitFor(async () => (await review(owner, doc.id)).pendingSuggestions.length === 2, 10_000, 'the deletion suggestion')
    // Withdrawing their own suggestion is allowed.
    client.doc.transact(() => {
      paragraph.delete(paragraph.length - '（建议补充）'.length, '（建议补充）'.length)
      paragraph.format(0, 2, { deletion: null })
    })
    await waitFor(() => docText(drafterClient.doc) === TEXT, 10_000, 'the withdrawal')
    expect((await review(owner, doc.id)).pendingSuggestions).toEqual([])
    expect(codes).toEqual([])
    expect(client.provider.wsconnected).toBe(true)
  })

  it('cannot forge a suggestion in another person’s name', async () => {
    const { doc, owner, drafter, reviewer, reviewer2 } = await team()
    const drafterClient = await ctx.syncedProvider(drafter, doc.id)
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    for (const victim of [reviewer2, drafter, { user: { id: 'u-nobody', displayName: '无名氏' } }]) {
      const client = await ctx.syncedYClient(reviewer, doc.id)
      blockText(client.doc, 1).insert(0, '冒名建议', { insertion: suggestion('forged', victim) })
      await expectRefused(client)
    }
    await settle(ownerClient, drafterClient, 'after-forgery')
    expect(docText(drafterClient.doc)).toBe(TEXT)
    expect((await review(owner, doc.id)).pendingSuggestions).toEqual([])
  })

  it('cannot remove, accept or take over another person’s suggestion', async () => {
    const { doc, owner, drafter, reviewer, reviewer2 } = await team()
    const drafterClient = await ctx.syncedProvider(drafter, doc.id)
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    // reviewer2 suggests an insertion.
    const other = await ctx.syncedProvider(reviewer2, doc.id)
    blockText(other.doc, 1).insert(0, '他人的建议', { insertion: suggestion('theirs', reviewer2) })
    await waitFor(() => docText(drafterClient.doc).startsWith(`${TITLE}他人的建议`), 10_000, 'the other suggestion')
    const expected = docText(drafterClient.doc)

    const attempts: Array<[string, (text: Y.XmlText) => void]> = [
      ['reject (delete) it', (text) => text.delete(0, '他人的建议'.length)],
      ['accept it', (text) => text.format(0, '他人的建议'.length, { insertion: null })],
      ['claim it', (text) => text.format(0, '他人的建议'.length, { insertion: suggestion('theirs', reviewer) })],
    ]
    for (const [what, attempt] of attempts) {
      const client = await ctx.syncedYClient(reviewer, doc.id)
      expect(docText(client.doc), what).toBe(expected)
      attempt(blockText(client.doc, 1))
      await expectRefused(client)
    }
    await settle(ownerClient, drafterClient, 'after-attempts')
    expect(docText(drafterClient.doc)).toBe(expected)
    expect((await review(owner, doc.id)).pendingSuggestions).toEqual([expect.objectContaining({ id: 'theirs', authorId: reviewer2.user.id })])
  })

  it('cannot plant changes that wait for someone else’s future edits (held, then refused when that content arrives)', async () => {
    const { doc, owner, drafter, reviewer } = await team()
    const drafterClient = await ctx.syncedProvider(drafter, doc.id)
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    const drafterId = drafterClient.doc.clientID
    const nextClock = () => Y.getState(drafterClient.doc.store, drafterId)

    // A delete set for the drafter's next 8 characters: nothing to delete yet.
    const deleteFuture = await ctx.syncedYClient(reviewer, doc.id)
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0) // no structs
    encoding.writeVarUint(encoder, 1) // a delete set for one client
    encoding.writeVarUint(encoder, drafterId)
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint(encoder, nextClock())
    encoding.writeVarUint(encoder, '乙起草人的新文字'.length)
    deleteFuture.sendUpdate(encoding.toUint8Array(encoder))

    // A plain insertion anchored on the drafter's next character, which does not exist yet.
    const anchored = await ctx.syncedYClient(reviewer, doc.id)
    const forecast = new Y.Doc()
    Y.applyUpdate(forecast, Y.encodeStateAsUpdate(anchored.doc))
    forecast.clientID = drafterId
    blockText(forecast, 1).insert(0, '甲')
    const afterDrafter = Y.encodeStateVector(forecast)
    forecast.clientID = anchored.doc.clientID + 1
    blockText(forecast, 1).insert(1, '审阅人偷改')
    anchored.sendUpdate(Y.encodeStateAsUpdate(forecast, afterDrafter))

    // Both wait outside the document; once the drafter's next edits arrive they are checked and refused,
    // and the drafter's edits arrive intact everywhere.
    blockText(drafterClient.doc, 1).insert(0, '乙起草人的新文字')
    await expectRefused(deleteFuture)
    await expectRefused(anchored)
    await waitFor(() => docText(ownerClient.doc).includes('起草人的新文字'), 10_000, 'the drafter’s edit')
    await settle(drafterClient, ownerClient, 'after-future')
    expect(docText(ownerClient.doc)).toBe(`${TITLE}乙起草人的新文字${BODY}`)
    expect(docText(drafterClient.doc)).toBe(docText(ownerClient.doc))
    const late = await ctx.syncedProvider(owner, doc.id)
    expect(docText(late.doc)).toBe(docText(ownerClient.doc))
  })

  it('appears under the account’s name, whatever the client claims', async () => {
    const { doc, drafter, reviewer } = await team()
    const watcher = await ctx.syncedProvider(drafter, doc.id)
    const client = await ctx.syncedProvider(reviewer, doc.id)
    client.provider.awareness.setLocalStateField('user', { id: drafter.user.id, name: '冒名的主笔', color: '#000000' })
    type Presence = { user?: { id?: string; name?: string; color?: string }; role?: string }
    const seen = () => watcher.provider.awareness.getStates().get(client.doc.clientID) as Presence | undefined
    await waitFor(() => seen()?.user !== undefined, 10_000, 'the presence')
    expect(seen()!.user).toMatchObject({ id: reviewer.user.id, name: '审阅人' })
    expect(seen()!.user!.color).not.toBe('#000000')
    expect(seen()!.role).toBe('reviewer')
  })
})

describe('a drafter', () => {
  it('edits freely; the edit is kept and stored', async () => {
    const { running, doc, owner, drafter } = await team()
    const writer = await ctx.syncedProvider(drafter, doc.id)
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    blockText(writer.doc, 1).insert(0, '起草人直接修改，')
    appendParagraph(writer.doc, '起草人新增的段落')
    await waitFor(() => docText(ownerClient.doc).includes('起草人新增的段落'))
    const expected = `${TITLE}起草人直接修改，${BODY}起草人新增的段落`
    expect(docText(ownerClient.doc)).toBe(expected)
    expect(writer.provider.wsconnected).toBe(true)
    await running.close()
    const again = await ctx.startServer({}, running.config.dataDir)
    expect(docText((await ctx.syncedProvider(sessionOn(owner, again), doc.id)).doc)).toBe(expected)
  })
})
