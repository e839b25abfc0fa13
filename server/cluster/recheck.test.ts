// A process whose event connection was down while another process signed someone out, removed a share
// or changed a role: NOTIFY keeps nothing for absent listeners, so once it listens again it checks
// every open connection against the database and closes the ones no longer allowed, each with the
// code that tells the person why.
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/closeCodes'
import { TestContext, api, createDocument, share, waitFor, type RunningServer, type Session } from '../testing/harness'
import { postgresForTests } from '../postgres/testing'

const database = await postgresForTests()
const ctx = new TestContext()
afterEach(() => ctx.cleanup())

/** Long enough for the other process to act while this one is not listening. */
const DEAF_MS = 3_000

/** Cuts the event connections of this database, as a restarted PostgreSQL or a network drop would. */
async function cutEventConnections(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'huigao-events' AND datname = current_database()`)
  await admin.end()
}

const readyOf = async (running: RunningServer) => (await api(running, 'GET', '/api/ready')).status

describe.skipIf(!database.url)('after the event connection was lost, open connections are checked again', () => {
  it('a removed share, a changed role and a sign-out made elsewhere meanwhile close the sockets here', async () => {
    const url = database.url!
    const a = await ctx.startServer({ databaseUrl: url, instanceId: 'a' })
    const b = await ctx.startServer({ databaseUrl: url, instanceId: 'b', eventsReconnectMs: DEAF_MS })
    const on = (session: Session): Session => ({ ...session, base: b.base, collabUrl: b.collabUrl })
    const [lisi, wangwu, zhaoliu, keeps] = await Promise.all(['lisi', 'wangwu', 'zhaoliu', 'keeps'].map((name) => a.createUser(name)))
    const { id } = await createDocument(a, '述职报告', '正文')
    for (const name of ['lisi', 'wangwu', 'zhaoliu', 'keeps']) await share(a, id, name, 'drafter')
    // Everyone is connected to b, which owns the document.
    const sockets = await Promise.all([lisi, wangwu, zhaoliu, keeps].map(async (person) => {
      const client = ctx.rawFor(on(person), id)
      await client.opened
      return client
    }))
    await waitFor(() => b.server.collab.openConnections().length === 4, 10_000, 'b to hold the four connections')

    await cutEventConnections(url)
    await waitFor(async () => (await readyOf(b)) === 503, 10_000, 'b to notice it is not listening')
    // Meanwhile, on a: a share removed, a role changed, a sign-out.
    expect((await api(a, 'DELETE', `/api/documents/${id}/members/lisi`)).status).toBe(204)
    expect((await api(a, 'PUT', `/api/documents/${id}/members/wangwu`, { json: { role: 'viewer' } })).status).toBe(200)
    expect((await api(zhaoliu, 'POST', '/api/logout')).status).toBe(204)
    // b did not hear about them.
    expect(sockets.map((socket) => socket.closeInfo)).toEqual([null, null, null, null])

    await waitFor(async () => (await readyOf(b)) === 200, 20_000, 'b to listen again')
    const [revoked, demoted, signedOut] = await Promise.all(sockets.slice(0, 3).map((socket) => socket.closed))
    expect(revoked.code).toBe(CloseCode.AccessRevoked)
    expect(demoted.code).toBe(CloseCode.RoleChanged)
    expect(signedOut.code).toBe(CloseCode.SessionEnded)
    // Whoever nothing changed for stays connected.
    expect(sockets[3].closeInfo).toBeNull()
  })
})
