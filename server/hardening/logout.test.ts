import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes'
import { TEST_USER_PASSWORD, TestContext, api, appendParagraph, createDocument, docText, loadStored, waitFor } from '../testing/harness'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

/** An update that appends a paragraph, made on a copy of what the client holds. */
function paragraphUpdate(doc: Y.Doc, text: string): Uint8Array {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(copy)
  appendParagraph(copy, text)
  return Y.encodeStateAsUpdate(copy, before)
}

describe('ending a session closes its sockets (finding 4)', () => {
  it('after POST /api/logout, that session\'s socket is closed and an update sent on it is not stored; other sessions stay', async () => {
    const running = await ctx.startServer()
    const alice = await running.createUser('alice')
    const otherTab = await running.login('alice', TEST_USER_PASSWORD)
    const doc = await createDocument(alice, '退出登录')
    const signedOut = await ctx.syncedYClient(alice, doc.id)
    const stays = await ctx.syncedYClient(otherTab, doc.id)

    const logout = await api(alice, 'POST', '/api/logout')
    expect(logout.status).toBe(204)
    // Sent straight after the logout answer, before the client has seen any close frame.
    signedOut.sendUpdate(paragraphUpdate(signedOut.doc, '退出后写入的段落'))
    expect((await signedOut.closed).code).toBe(CloseCode.SessionEnded)

    // The other session's socket still works, and what it sends arrives.
    appendParagraph(stays.doc, '另一个会话仍可编辑')
    const observer = await ctx.syncedYClient(otherTab, doc.id)
    await waitFor(() => docText(observer.doc).includes('另一个会话仍可编辑'), 10_000, 'the other session\'s edit')
    expect(stays.raw.closeInfo).toBeNull()
    expect(docText(observer.doc)).not.toContain('退出后写入的段落')

    await running.close()
    const stored = docText(await loadStored(running, doc.id))
    expect(stored).toContain('另一个会话仍可编辑')
    expect(stored).not.toContain('退出后写入的段落')
  })

  it('a password reset closes that person\'s sockets as ended sessions, disabling as a disabled account', async () => {
    const running = await ctx.startServer()
    const alice = await running.createUser('alice')
    const bob = await running.createUser('bob')
    const aliceDoc = await createDocument(alice, '重置')
    const bobDoc = await createDocument(bob, '停用')
    const aliceSocket = await ctx.syncedYClient(alice, aliceDoc.id)
    const bobSocket = await ctx.syncedYClient(bob, bobDoc.id)
    const adminSocket = await ctx.syncedYClient(running, (await createDocument(running, '管理员的')).id)

    expect((await api(running, 'PATCH', '/api/users/alice', { json: { password: 'another-password' } })).status).toBe(200)
    expect((await aliceSocket.closed).code).toBe(CloseCode.SessionEnded)
    expect((await api(running, 'PATCH', '/api/users/bob', { json: { disabled: true } })).status).toBe(200)
    expect((await bobSocket.closed).code).toBe(CloseCode.AccountDisabled)
    expect(adminSocket.raw.closeInfo).toBeNull()
  })
})
