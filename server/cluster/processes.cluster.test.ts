// Cluster tests: three Huigao processes on one throwaway PostgreSQL behind the shipped nginx config
// (server/cluster/clusterHarness.ts). Slow by nature: one cluster for the whole file, generous waits
// for convergence (polling until a condition holds, never a timed assertion). Skipped, saying why, when
// nginx or PostgreSQL cannot be started; HUIGAO_REQUIRE_CLUSTER=1 (CI) turns that into a failure.
import type pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes'
import { api, appendParagraph, blockText, createDocument, docText, share, sleep, TestContext, waitFor, webSocketWithHeaders, YClient, type Session } from '../testing/harness'
import { clusterUnavailableReason, startCluster, type HuigaoProcess, type TestCluster } from './clusterHarness'
import { createPool } from '../postgres/pool'

/** Convergence on a loaded 2-core machine with six other agents: long, but only ever waited out on failure. */
const CONVERGE_MS = 90_000
// A test fails by an awaited close or convergence never coming; these bound it, generously.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 })

let cluster: TestCluster | undefined
let skipReason = clusterUnavailableReason()
if (!skipReason) {
  try {
    cluster = await startCluster({ processes: 3 })
  } catch (error) {
    skipReason = `the cluster could not be started: ${(error as Error).message}`
  }
}
if (skipReason) {
  if (process.env.HUIGAO_REQUIRE_CLUSTER === '1') throw new Error(`cluster tests cannot run: ${skipReason}`)
  console.warn(`cluster tests skipped: ${skipReason}`)
}
afterAll(() => cluster?.stop(), 120_000)

const ctx = new TestContext()
afterEach(() => ctx.cleanup(), 60_000)

/** A stock y-websocket client through `collabUrl` (nginx by default), with the session's cookie. */
function stockClient(session: Session, documentId: string, collabUrl = session.collabUrl) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(collabUrl, documentId, doc, {
    WebSocketPolyfill: webSocketWithHeaders({ cookie: session.cookie }) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
  })
  const closes: number[] = []
  provider.on('connection-close', (event: CloseEvent | null) => void (event && closes.push(event.code)))
  ctx.defer(() => (provider.destroy(), doc.destroy()))
  return { doc, provider, closes }
}

function rawClient(session: Session, documentId: string, collabUrl = session.collabUrl): YClient {
  const client = new YClient(`${collabUrl}/${documentId}`, { headers: { cookie: session.cookie } })
  ctx.defer(() => client.destroy())
  return client
}

// y-websocket adds a process 'exit' listener per provider under Node: the kill test's ten clients and
// more would print Node's listener-leak warning.
process.setMaxListeners(50)

/** The process nginx sends this document to: the API of a document goes where its socket goes. */
async function servingProcess(session: Session, documentId: string): Promise<HuigaoProcess> {
  // Another process learns of a new document through PostgreSQL's notification: poll until it has.
  let response = await api(session, 'GET', `/api/documents/${documentId}`)
  await waitFor(async () => (response = await api(session, 'GET', `/api/documents/${documentId}`)).status !== 404, CONVERGE_MS, `${documentId} to be known`)
  const found = cluster!.processes.find((p) => p.name === response.headers.get('x-huigao-instance'))
  if (response.status !== 200 || !found) throw new Error(`GET /api/documents/${documentId}: ${response.status}, instance ${response.headers.get('x-huigao-instance')}`)
  return found
}

/**
 * A new document that nginx routes to `target` (created there, so the test knows which process serves
 * it). nginx sends nothing to a process it saw fail for its fail_timeout (2 s), as right after a test
 * restarted it: the attempts go on for a while rather than 40 at once.
 */
async function documentServedBy(owner: Session, target: HuigaoProcess, title: string, text: string): Promise<string> {
  const deadline = Date.now() + 30_000
  let attempts = 0
  while (Date.now() < deadline) {
    attempts++
    const created = await createDocument({ ...owner, base: target.base }, title, text)
    if ((await servingProcess(owner, created.id)) === target) return created.id
    await api({ ...owner, base: target.base }, 'DELETE', `/api/documents/${created.id}`)
    await sleep(100)
  }
  throw new Error(`no document id hashed to ${target.name} in ${attempts} attempts over 30 s`)
}

const people = new Map<string, Session>()
/** One account per name for the whole file. */
async function person(name: string): Promise<Session> {
  if (!people.has(name)) people.set(name, await cluster!.createUser(name, name))
  return people.get(name)!
}

describe.skipIf(!cluster)('three processes behind nginx', () => {
  it('every process is healthy and ready (its database answers), and nginx reaches each of them', async () => {
    for (const p of cluster!.processes) {
      const health = await api(p.base, 'GET', '/api/health')
      expect(health.body).toMatchObject({ status: 'ok', instance: p.name, pid: p.pid })
      const ready = await api(p.base, 'GET', '/api/ready')
      expect(ready.status, p.output().slice(-2000)).toBe(200)
      expect(ready.body).toMatchObject({ ready: true, reasons: [], instance: p.name })
    }
    // Requests that name no document are spread over all processes.
    const answered = new Set<string>()
    await waitFor(
      async () => {
        answered.add((await api(cluster!.base, 'GET', '/api/health')).headers.get('x-huigao-instance') ?? '')
        return answered.size === 3
      },
      CONVERGE_MS,
      'nginx to reach all three processes',
    )
    // Each process logs JSON lines with its pid and instance.
    for (const p of cluster!.processes) {
      const [line] = p.logLines((entry) => entry.msg === '会稿 Huigao listening')
      expect(line).toMatchObject({ pid: p.pid, instance: p.name, port: p.port, level: 30 })
    }
  })

  it('stock y-websocket clients entering through nginx co-edit one document and converge', async () => {
    const owner = await person('coedit-owner')
    const writers = [owner, await person('coedit-a'), await person('coedit-b')]
    const target = cluster!.processes[1]
    const id = await documentServedBy(owner, target, '协同文档', '协同文档\n开头')
    for (const writer of writers.slice(1)) await share(owner, id, writer.user.username, 'drafter')
    const clients = writers.map((writer) => stockClient(writer, id))
    await waitFor(() => clients.every((c) => c.provider.synced), CONVERGE_MS, 'every client to sync through nginx')
    for (let round = 0; round < 5; round++) clients.forEach((c, i) => appendParagraph(c.doc, `客户${i}第${round}段`))
    const expected = clients.flatMap((_, i) => Array.from({ length: 5 }, (_, round) => `客户${i}第${round}段`))
    await waitFor(() => clients.every((c) => docText(c.doc) === docText(clients[0].doc)) && expected.every((p) => docText(clients[0].doc).includes(p)), CONVERGE_MS, 'convergence')
    // A newcomer through nginx gets the same document (from the process that serves it).
    const late = stockClient(owner, id)
    await waitFor(() => late.provider.synced && docText(late.doc) === docText(clients[0].doc), CONVERGE_MS, 'the newcomer to sync')
    expect(clients.flatMap((c) => c.closes)).toEqual([])
  })

  it('a sign-out, a role change, a removed share and a password reset on one process close the sockets on another', async () => {
    const owner = await person('events-owner')
    const writer = await person('events-writer')
    const [here, elsewhere] = [cluster!.processes[2], cluster!.processes[0]]
    const id = await documentServedBy(owner, here, '事件文档', '事件文档\n正文')
    await share(owner, id, writer.user.username, 'drafter')
    const direct = (session: Session) => ({ ...session, base: elsewhere.base })

    // Two sessions of one person, both with a socket on `here`; the first signs out on `elsewhere`.
    const second = await cluster!.signIn(writer.user.username, 'cluster-user-password')
    const first = rawClient(writer, id, here.collabUrl)
    const other = rawClient(second, id, here.collabUrl)
    await waitFor(() => first.synced && other.synced, CONVERGE_MS, 'both sockets to sync')
    expect((await api(direct(writer), 'POST', '/api/logout')).status).toBe(204)
    expect((await first.closed).code).toBe(CloseCode.SessionEnded)
    expect(other.raw.closeInfo).toBeNull()
    // The other session's socket still works: the owner's edit reaches it.
    const ownerClient = rawClient(owner, id, here.collabUrl)
    await waitFor(() => ownerClient.synced, CONVERGE_MS, 'the owner to sync')
    appendParagraph(ownerClient.doc, '所有者的新段落')
    await waitFor(() => docText(other.doc).includes('所有者的新段落'), CONVERGE_MS, 'the edit to reach the remaining session')

    // The owner makes them a reviewer on `elsewhere`: the socket on `here` reconnects with the new role.
    expect((await api(direct(owner), 'PUT', `/api/documents/${id}/members/${writer.user.username}`, { json: { role: 'reviewer' } })).status).toBe(200)
    expect((await other.closed).code).toBe(CloseCode.RoleChanged)

    // Removed from the document on `elsewhere`: closed with "access revoked" on `here`.
    const again = rawClient(second, id, here.collabUrl)
    await waitFor(() => again.synced, CONVERGE_MS, 'the reviewer to reconnect')
    expect((await api(direct(owner), 'DELETE', `/api/documents/${id}/members/${writer.user.username}`)).status).toBe(204)
    expect((await again.closed).code).toBe(CloseCode.AccessRevoked)

    // Shared again; the administrator resets their password on `elsewhere`: every session ends on `here`.
    await share(owner, id, writer.user.username, 'drafter')
    const last = rawClient(second, id, here.collabUrl)
    await waitFor(() => last.synced, CONVERGE_MS, 'the drafter to reconnect')
    const reset = await api({ ...cluster!.admin, base: elsewhere.base }, 'PATCH', `/api/users/${writer.user.username}`, { json: { password: 'a-new-password-2' } })
    expect(reset.status, JSON.stringify(reset.body)).toBe(200)
    expect((await last.closed).code).toBe(CloseCode.SessionEnded)
    people.delete(writer.user.username)
  })

  it('the review guard refuses a reviewer’s plain edit on every process', async () => {
    const owner = await person('guard-owner')
    const reviewer = await person('guard-reviewer')
    for (const target of cluster!.processes) {
      const id = await documentServedBy(owner, target, '审阅文档', '审阅文档\n原有正文。')
      await share(owner, id, reviewer.user.username, 'reviewer')
      const ownerClient = stockClient(owner, id)
      const client = rawClient(reviewer, id)
      await waitFor(() => client.synced && ownerClient.provider.synced, CONVERGE_MS, `clients on ${target.name} to sync`)
      blockText(client.doc, 1).insert(0, '直接修改')
      expect((await client.closed).code, target.name).toBe(CloseCode.Resync)
      expect(client.permissionDenied).toHaveLength(1)
      // The refused edit reached no one: the owner's copy, and a newcomer's, are as before.
      const newcomer = stockClient(owner, id)
      await waitFor(() => newcomer.provider.synced, CONVERGE_MS, 'a newcomer to sync')
      expect(docText(newcomer.doc)).toBe('审阅文档原有正文。')
      expect(docText(ownerClient.doc)).toBe('审阅文档原有正文。')
    }
  })
})

describe.skipIf(!cluster)('one owner per document, documents in PostgreSQL', () => {
  let db: pg.Pool
  beforeAll(() => void (db = createPool(cluster!.databaseUrl, { max: 2 })))
  afterAll(() => db?.end())

  /** The process holding the document's running lease, if any. */
  async function owner(documentId: string): Promise<{ process: HuigaoProcess | undefined; epoch: number } | null> {
    const { rows } = await db.query<{ owner: string; epoch: number }>('SELECT owner, epoch FROM document_leases WHERE document_id = $1 AND expires_at > now()', [documentId])
    if (rows.length === 0) return null
    return { process: cluster!.processes.find((p) => p.name === rows[0].owner), epoch: Number(rows[0].epoch) }
  }

  /** Markers are bracketed so that one is never a part of another (c1-3 of c1-30). */
  const marker = (client: number, n: number) => `【${client}-${n}】`
  const count = (text: string, piece: string) => text.split(piece).length - 1

  /** Appends a marked paragraph to each client every `everyMs`; stop() ends it and says what each typed. */
  function typing(clients: { doc: Y.Doc }[], everyMs = 150) {
    const typed = clients.map(() => 0)
    const timer = setInterval(() => {
      clients.forEach((c, i) => appendParagraph(c.doc, marker(i, typed[i]++)))
    }, everyMs)
    return {
      typed,
      stop: () => {
        clearInterval(timer)
        return clients.flatMap((_, i) => Array.from({ length: typed[i] }, (_, n) => marker(i, n)))
      },
    }
  }

  /** Every client is synced and holds the same text, which has every marker exactly once. */
  const convergedWith = (clients: { doc: Y.Doc; provider: WebsocketProvider }[], markers: string[]) => () => {
    if (!clients.every((c) => c.provider.synced)) return false
    const text = docText(clients[0].doc)
    return clients.every((c) => docText(c.doc) === text) && markers.every((m) => count(text, m) === 1)
  }

  /** A document served by `victim`, with `n` stock clients of one writer synced to it through nginx. */
  async function servedWithClients(name: string, victim: HuigaoProcess, title: string, n: number) {
    const writer = await person(name)
    const id = await documentServedBy(writer, victim, title, `${title}\n开头`)
    const clients = Array.from({ length: n }, () => stockClient(writer, id))
    await waitFor(() => clients.every((c) => c.provider.synced), CONVERGE_MS, `${n} clients to sync`)
    expect((await owner(id))?.process).toBe(victim)
    return { writer, id, clients }
  }

  it('kill -9 of the owner while 10 clients type: another process owns it within seconds, nothing lost after resend', async () => {
    const victim = cluster!.processes[1]
    const { writer, id, clients } = await servedWithClients('kill-owner', victim, '接管文档', 10)
    const keys = typing(clients)
    try {
      await waitFor(() => keys.typed.every((n) => n >= 5), CONVERGE_MS, 'some typing')
      await victim.kill()
      const killedAt = Date.now()
      const typedAtKill = [...keys.typed]
      await waitFor(() => keys.typed.every((n, i) => n >= typedAtKill[i] + 5), CONVERGE_MS, 'typing while the owner is gone')
      await waitFor(async () => {
        const now = await owner(id)
        return now !== null && now.process !== undefined && now.process !== victim
      }, CONVERGE_MS, 'another process to own the document')
      console.log(`cluster: another process owned the document ${((Date.now() - killedAt) / 1000).toFixed(1)} s after kill -9 of its owner`)
      const markers = keys.stop()
      await waitFor(convergedWith(clients, markers), CONVERGE_MS, 'every client to resync with every character')
      const newcomer = stockClient(writer, id)
      await waitFor(() => newcomer.provider.synced && docText(newcomer.doc) === docText(clients[0].doc), CONVERGE_MS, 'a newcomer to get it all')
      expect(markers.every((m) => count(docText(newcomer.doc), m) === 1)).toBe(true)
    } finally {
      keys.stop()
      await victim.start()
    }
  })

  it('the killed owner comes back: new clients through nginx are served there at once, and the interim owner’s clients follow', async () => {
    const victim = cluster!.processes[1]
    const { writer, id, clients } = await servedWithClients('return-owner', victim, '回归文档', 3)
    const keys = typing(clients, 300)
    try {
      await victim.kill()
      await waitFor(async () => {
        const now = await owner(id)
        return now?.process !== undefined && now.process !== victim
      }, CONVERGE_MS, 'an interim owner')
      await waitFor(() => clients.every((c) => c.provider.synced), CONVERGE_MS, 'clients to resync on the interim owner')
      const closesBefore = clients.map((c) => c.closes.length)
      await victim.start()
      // nginx tries the returning process again once its fail_timeout (2 s) has passed, then sends the
      // document's new connections (and its API) to it again. Before hand-overs, they were sent away
      // (Moved) for as long as the interim owner kept one client of its own.
      await waitFor(
        async () => (await api(writer, 'GET', `/api/documents/${id}`)).headers.get('x-huigao-instance') === victim.name,
        CONVERGE_MS,
        'nginx to route the document to the returning process',
      )
      const newcomer = stockClient(writer, id)
      await waitFor(async () => newcomer.provider.synced && (await owner(id))?.process === victim, CONVERGE_MS, 'the returning process to serve the newcomer').catch((error: Error) => {
        // What each process logged about the document says which step did not happen.
        const about = cluster!.processes.map((p) => `${p.name}:\n${p.logLines((line) => JSON.stringify(line).includes(id)).map((line) => JSON.stringify(line)).slice(-15).join('\n')}`)
        throw new Error(`${error.message}\n${about.join('\n')}`)
      })
      const markers = keys.stop()
      await waitFor(convergedWith([...clients, newcomer], markers), CONVERGE_MS, 'everyone to converge on the returning process')
      // The interim owner handed the document over: its clients were told Moved and followed.
      expect(clients.every((c, i) => c.closes.slice(closesBefore[i]).includes(CloseCode.Moved))).toBe(true)
      expect((await owner(id))?.process).toBe(victim)
    } finally {
      keys.stop()
      if (!victim.running) await victim.start()
    }
  })

  it('SIGSTOP of the owner past its lease, then SIGCONT: its writes are refused (fencing), nothing duplicated or lost', async () => {
    const writer = await person('fence-owner')
    const [stale, next] = [cluster!.processes[2], cluster!.processes[0]]
    const id = await documentServedBy(writer, stale, '隔离文档', '隔离文档\n开头')
    // Straight to the processes, not through nginx: the test decides where the clients go.
    const clients = Array.from({ length: 3 }, () => stockClient(writer, id, stale.collabUrl))
    await waitFor(() => clients.every((c) => c.provider.synced), CONVERGE_MS, 'clients to sync')
    const before = (await owner(id))!
    expect(before.process).toBe(stale)
    const keys = typing(clients)
    try {
      await waitFor(() => keys.typed.every((n) => n >= 5), CONVERGE_MS, 'some typing')
      stale.signal('SIGSTOP')
      // It keeps receiving (the kernel buffers), it cannot answer or renew: its lease runs out.
      await waitFor(async () => (await owner(id)) === null, CONVERGE_MS, 'the stopped owner’s lease to expire')
      // The balancer gives up on it: the clients go to another process, which takes the document over.
      for (const client of clients) {
        client.provider.disconnect()
        client.provider.serverUrl = next.collabUrl
        client.provider.connect()
      }
      await waitFor(async () => (await owner(id))?.process === next, CONVERGE_MS, 'the next process to own the document')
      const after = (await owner(id))!
      expect(after.epoch).toBeGreaterThan(before.epoch)
      const { rows } = await db.query<{ max: number | null }>('SELECT max(seq) AS max FROM document_updates WHERE document_id = $1', [id])
      const seqAtTakeover = Number(rows[0].max ?? 0)

      stale.signal('SIGCONT')
      // What it received while stopped it now tries to store under its old epoch: refused. It lets the document go.
      await waitFor(() => new RegExp(`lost the lease of document ${id}`).test(stale.output()), CONVERGE_MS, 'the stale owner to find its lease lost')
      const late = rawClient(writer, id, stale.collabUrl)
      expect((await late.closed).code).toBe(CloseCode.Moved)
      const markers = keys.stop()
      await waitFor(convergedWith(clients, markers), CONVERGE_MS, 'clients to converge on the next process')
      const written = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM document_updates WHERE document_id = $1 AND epoch = $2 AND seq > $3', [id, before.epoch, seqAtTakeover])
      expect(written.rows[0].n).toBe(0)
      expect((await owner(id))?.process).toBe(next)
      // A newcomer (loading what is stored and held by the owner) sees every character once.
      const newcomer = stockClient(writer, id, next.collabUrl)
      await waitFor(() => newcomer.provider.synced && docText(newcomer.doc) === docText(clients[0].doc), CONVERGE_MS, 'a newcomer to sync')
      expect(markers.every((m) => count(docText(newcomer.doc), m) === 1)).toBe(true)
      expect(stale.running).toBe(true)
    } finally {
      keys.stop()
      if (stale.running) stale.signal('SIGCONT')
    }
  })

  it('SIGTERM drains: clients are told Moved, another process takes over at once, the process exits cleanly', async () => {
    const writer = await person('drain-owner')
    const leaving = cluster!.processes[0]
    const id = await documentServedBy(writer, leaving, '交接文档', '交接文档\n开头')
    const clients = Array.from({ length: 3 }, () => stockClient(writer, id))
    await waitFor(() => clients.every((c) => c.provider.synced), CONVERGE_MS, 'clients to sync')
    const keys = typing(clients)
    try {
      await waitFor(() => keys.typed.every((n) => n >= 3), CONVERGE_MS, 'some typing')
      await leaving.stop()
      expect(leaving.exitCode).toBe(0)
      expect(leaving.logLines((line) => line.msg === 'stopped')).toHaveLength(1)
      expect(clients.every((c) => c.closes.includes(CloseCode.Moved))).toBe(true)
      await waitFor(async () => {
        const now = await owner(id)
        return now?.process !== undefined && now.process !== leaving
      }, CONVERGE_MS, 'another process to own the document')
      const markers = keys.stop()
      await waitFor(convergedWith(clients, markers), CONVERGE_MS, 'clients to converge on another process')
    } finally {
      keys.stop()
      await leaving.start()
    }
  })
})
