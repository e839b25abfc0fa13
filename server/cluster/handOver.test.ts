// A document goes where the balancer sends it. When a process gets connections for a document
// another live process owns (the typical case: it came back after a crash, and nginx's consistent
// hash routes the document's new clients to it again while the interim owner still serves the old
// ones), the owner is asked over the event bus to hand it over: it closes its connections with Moved,
// stores the document and gives its lease back, and everyone ends up on the asking process. Before,
// new clients were sent away for as long as the interim owner kept a single client.
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes'
import { TestContext, appendParagraph, createDocument, docText, sleep, waitFor, type Session } from '../testing/harness'
import { leaseHolder } from '../postgres/documentLeases'
import { createPool } from '../postgres/pool'
import { postgresForTests } from '../postgres/testing'

const database = await postgresForTests()
const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const closeCodes = (handle: { provider: { on: (event: 'connection-close', listener: (event: CloseEvent | null) => void) => void } }) => {
  const codes: number[] = []
  handle.provider.on('connection-close', (event) => {
    if (event) codes.push(event.code)
  })
  return codes
}

describe.skipIf(!database.url)('handing a document over to the process the balancer sends it to', () => {
  it('the owner gives the document up when another process asks, and every client ends up there with every edit', async () => {
    const url = database.url!
    const admin = createPool(url, { max: 1 })
    ctx.defer(() => admin.end())
    const a = await ctx.startServer({ databaseUrl: url, instanceId: 'a', handOverAfterMs: 300 })
    // b keeps what it gets for a minute: it will not pass the document back while a's client bounces.
    const b = await ctx.startServer({ databaseUrl: url, instanceId: 'b', handOverAfterMs: 60_000 })
    const on = (session: Session, server: Session): Session => ({ ...session, base: server.base, collabUrl: server.collabUrl })
    const { id } = await createDocument(a, '述职报告', '第一段')

    const early = await ctx.syncedProvider(a, id)
    const earlyCloses = closeCodes(early)
    appendParagraph(early.doc, '在 a 上写的段落')
    await waitFor(async () => (await leaseHolder(admin, id))?.owner === 'a', 10_000, 'a to own the document')
    await sleep(400)

    // A new client is sent to b (as nginx would after a's crash and return, or the other way round).
    const late = ctx.provider(on(a, b), id, new Y.Doc())
    await waitFor(() => late.provider.synced, 20_000, 'the new client to be served by b')
    expect((await leaseHolder(admin, id))?.owner).toBe('b')
    expect(docText(late.doc)).toContain('在 a 上写的段落')
    // a's client was told the document moved (it reconnects at once; behind nginx it would reach b).
    await waitFor(() => earlyCloses.includes(CloseCode.Moved), 10_000, "a's client to be moved")

    // Without a balancer, a's client keeps coming back to a and bouncing: b keeps the document
    // (handOverAfterMs), so the two processes do not pass it back and forth.
    await sleep(1_500)
    expect((await leaseHolder(admin, id))?.owner).toBe('b')
    expect(late.provider.wsconnected).toBe(true)
    appendParagraph(late.doc, '在 b 上写的段落')
    early.destroy()
    const reader = await ctx.syncedProvider(on(a, b), id)
    await waitFor(() => docText(reader.doc).includes('在 b 上写的段落'), 10_000, 'the edit made on b')
    expect(docText(reader.doc)).toContain('在 a 上写的段落')
  })
})
