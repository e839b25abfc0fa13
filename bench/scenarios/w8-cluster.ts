import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { startCluster, type TestCluster } from '../../server/cluster/clusterHarness'
import { createPool } from '../../server/postgres/pool'
import { api, appendParagraph, docText, webSocketWithHeaders } from '../../server/testing/harness'
import type { Target } from '../lib/clients'
import { ALL_CORES, LOADGEN_CORE, pinSelf } from '../lib/proc'
import { mapLimit, sleep, waitUntil } from '../lib/util'
import { atLeast, atMost, type Metrics, type Scenario } from '../types'
import { TypingLoad } from './typing'

const CLIENTS_PER_DOC = 3
/** Offered load, above what one process carries on this machine, so that the second one shows. */
const TOTAL_RATE = 9_000
const docCount = (quick: boolean) => (quick ? 300 : 1500)
const seconds = (quick: boolean) => (quick ? 4 : 10)
const KILL_EDITORS = 20

/**
 * W8: several processes. (a) The W3 many-documents load through nginx (deploy/nginx/huigao.conf) on 1
 * and then on 2 Huigao processes on one PostgreSQL: messages delivered per second and latency. (b) W1-like
 * typing on one document through nginx on 2 processes, kill -9 of its owner: time until every client is
 * synced again with every keystroke. The processes, PostgreSQL, nginx and this load generator share the
 * machine's cores (unpinned); on 2 cores the second process competes with all of them.
 */
export const w8: Scenario = {
  id: 'W8',
  title: 'Several processes (nginx, PostgreSQL)',
  describe: (quick) =>
    `(a) ${docCount(quick)} documents × ${CLIENTS_PER_DOC} clients, ${TOTAL_RATE.toLocaleString('en-US')} updates/s offered for ${seconds(quick)} s through nginx, on 1 then 2 processes; ` +
    `(b) ${KILL_EDITORS} stock clients typing into one document through nginx on 2 processes, kill -9 of the owner`,
  reps: () => 1,
  servers: ['huigao'],
  timeoutMs: (quick) => (quick ? 400_000 : 900_000),
  metrics: [
    { key: 'out1', label: '(a) messages delivered (until the last receipt), 1 process', unit: '/s', better: 'higher', digits: 0 },
    { key: 'p99_1', label: '(a) latency p99, 1 process', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'out2', label: '(a) messages delivered (until the last receipt), 2 processes', unit: '/s', better: 'higher', digits: 0 },
    { key: 'p99_2', label: '(a) latency p99, 2 processes', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'scale', label: '(a) 2 processes ÷ 1 (messages/s)', unit: '×', better: 'higher', digits: 2 },
    { key: 'lost', label: '(a) lost receipts (both runs)', better: 'lower', digits: 0, combine: 'max' },
    { key: 'reconnects', label: '(a) connections closed by a process and reopened by their client (both runs)', better: 'lower', digits: 0, combine: 'max' },
    { key: 'ownerAfterS', label: '(b) kill -9 → another process owns the document', unit: 's', better: 'lower', digits: 1 },
    { key: 'resyncedAfterS', label: '(b) kill -9 → every client synced with every keystroke', unit: 's', better: 'lower', digits: 1 },
  ],
  targets: [
    { label: '2 processes ≥ 1.7× the messages/s of 1', check: atLeast('scale', 1.7, '×') },
    { label: 'every client synced again ≤ 5 s after the owner is killed', check: atMost('resyncedAfterS', 5, ' s') },
    { label: '0 lost', check: atMost('lost', 0) },
  ],
  notes: ['Unpinned: nginx, PostgreSQL, the Huigao processes and the load generator share the cores. Lease 3 s (LEASE_MS).'],
  async run(_spec, ctx) {
    // Children inherit this process's CPU affinity: unpinned while the cluster runs, pinned again after.
    const unpinned = pinSelf(ALL_CORES)
    let one, two, kill
    try {
      one = await manyDocuments(1, ctx.quick, ctx.log)
      two = await manyDocuments(2, ctx.quick, ctx.log)
      kill = await ownerKill(ctx.log)
    } finally {
      if (unpinned) pinSelf(LOADGEN_CORE)
    }
    return {
      out1: one.outPerSec,
      p99_1: one.p99,
      out2: two.outPerSec,
      p99_2: two.p99,
      scale: two.outPerSec / one.outPerSec,
      lost: one.lost + two.lost,
      reconnects: one.reconnects + two.reconnects,
      ownerAfterS: kill.ownerAfterS,
      resyncedAfterS: kill.resyncedAfterS,
    } satisfies Metrics
  },
}

function targetOf(cluster: TestCluster): Target {
  return {
    dialect: 'yws',
    socketUrl: (doc) => `${cluster.collabUrl}/${encodeURIComponent(doc)}`,
    providerUrl: cluster.collabUrl,
    headers: { cookie: cluster.admin.cookie },
  }
}

async function createDocuments(cluster: TestCluster, n: number): Promise<string[]> {
  return mapLimit(Array.from({ length: n }, (_, i) => i), 8, async (i) => {
    const created = await api(cluster.admin, 'POST', '/api/documents', { json: { title: `W8 document ${i}` } })
    if (created.status !== 201) throw new Error(`POST /api/documents: ${created.status} ${JSON.stringify(created.body)}`)
    return (created.body as { id: string }).id
  })
}

async function manyDocuments(processes: number, quick: boolean, log: (m: string) => void) {
  const cluster = await startCluster({ processes, env: { UNLOAD_DELAY_MS: '10000' } })
  let load: TypingLoad | undefined
  try {
    const docs = await createDocuments(cluster, docCount(quick))
    const duration = seconds(quick)
    const rate = TOTAL_RATE / (docs.length * CLIENTS_PER_DOC)
    load = new TypingLoad(targetOf(cluster), {
      docs,
      clientsPerDoc: CLIENTS_PER_DOC,
      writersPerDoc: CLIENTS_PER_DOC,
      ratePerWriter: rate,
      awarenessEvery: 1,
      fullDocs: 0,
      fullPerDoc: 0,
      maxSeq: Math.ceil(rate * duration * 1.5) + 20,
      connectConcurrency: 50,
      // As the stock provider: a process that loses a lease under overload closes its sockets (Moved).
      reconnect: true,
    })
    await load.connect()
    await sleep(500)
    const inBefore = load.updatesIn()
    const started = performance.now()
    load.startTyping()
    await sleep(duration * 1000)
    load.stopTyping()
    // Throughput = everything delivered until the last receipt: an overloaded cluster delivers the
    // offered load late rather than not at all, and counting only the typing window would hide that.
    const lost = await load.drain(60_000)
    const elapsed = (performance.now() - started) / 1000
    const outPerSec = (load.updatesIn() - inBefore) / elapsed
    const { p99 } = load.latency.summary()
    const reconnects = load.lites.reduce((n, client) => n + client.reconnects, 0)
    log(`${processes} process(es): ${Math.round(outPerSec)} messages/s delivered, p99 ${p99.toFixed(1)} ms, ${lost} lost, ${reconnects} reconnects`)
    return { outPerSec, p99, lost, reconnects }
  } finally {
    await load?.close()
    await cluster.stop()
  }
}

async function ownerKill(log: (m: string) => void) {
  const cluster = await startCluster({ processes: 2 })
  const db = createPool(cluster.databaseUrl, { max: 1 })
  const providers: WebsocketProvider[] = []
  let timer: NodeJS.Timeout | undefined
  try {
    const [id] = await createDocuments(cluster, 1)
    for (let i = 0; i < KILL_EDITORS; i++) {
      providers.push(
        new WebsocketProvider(cluster.collabUrl, id, new Y.Doc(), {
          WebSocketPolyfill: webSocketWithHeaders({ cookie: cluster.admin.cookie }) as unknown as typeof globalThis.WebSocket,
          disableBc: true,
          maxBackoffTime: 500,
        }),
      )
    }
    if (!(await waitUntil(() => providers.every((p) => p.synced), 60_000, 100))) throw new Error('the clients did not sync through nginx')
    // The owner is the holder of the document's running lease (document_leases, HUIGAO_INSTANCE = p0, p1).
    const owner = async () =>
      (await db.query<{ owner: string }>('SELECT owner FROM document_leases WHERE document_id = $1 AND expires_at > now()', [id])).rows[0]?.owner ?? ''
    if (!(await waitUntil(async () => (await owner()) !== '', 30_000, 100))) throw new Error('nobody took the document’s lease')
    const victimName = await owner()
    const victim = cluster.processes.find((p) => p.name === victimName)!
    const typed: string[] = []
    let n = 0
    timer = setInterval(() => {
      providers.forEach((p, i) => {
        const marker = `【${i}-${n}】`
        appendParagraph(p.doc, marker)
        typed.push(marker)
      })
      n++
    }, 100)
    await sleep(2_000)
    await victim.kill()
    const killedAt = performance.now()
    let ownerAfterS = NaN
    let resyncedAfterS = NaN
    await sleep(2_000)
    clearInterval(timer)
    timer = undefined
    const complete = () => {
      if (!providers.every((p) => p.synced)) return false
      const text = docText(providers[0].doc)
      return providers.every((p) => docText(p.doc) === text) && typed.every((m) => text.includes(m))
    }
    const deadline = performance.now() + 60_000
    while (performance.now() < deadline && !(Number.isFinite(ownerAfterS) && Number.isFinite(resyncedAfterS))) {
      const now = await owner().catch(() => '')
      if (!Number.isFinite(ownerAfterS) && now !== '' && now !== victimName) ownerAfterS = (performance.now() - killedAt) / 1000
      if (!Number.isFinite(resyncedAfterS) && complete()) resyncedAfterS = (performance.now() - killedAt) / 1000
      await sleep(50)
    }
    log(`kill -9 of the owner: another process owns it after ${ownerAfterS.toFixed(1)} s, every client synced after ${resyncedAfterS.toFixed(1)} s`)
    return { ownerAfterS, resyncedAfterS }
  } finally {
    if (timer) clearInterval(timer)
    for (const p of providers) {
      p.destroy()
      p.doc.destroy()
    }
    await db.end()
    await cluster.stop()
  }
}
