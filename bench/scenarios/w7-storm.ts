import { LiteClient } from '../lib/clients'
import { scanMarkers } from '../lib/protocol'
import { Samples } from '../lib/stats'
import { mapLimit, sleep, waitUntil } from '../lib/util'
import { Window } from '../lib/window'
import { ServerProcess } from '../servers/process'
import { atMost, type Metrics, type Scenario } from '../types'
import { docNameFor } from './common'

const DOCS = 100
const CLIENTS = 1000
const SPREAD_MS = 1000
/** Writer ids of the pre-fill markers (far from any typing writer's). */
const PREFILL = 500_000
const FILLER = '一、总体情况。今年以来，在上级党委的正确领导下，我们坚持以习近平新时代中国特色社会主义思想为指导，认真落实全面从严治党主体责任。'.repeat(12)

/** W7: reconnect storm — 1,000 clients over 100 pre-filled documents connect within 1 s. */
export const w7: Scenario = {
  id: 'W7',
  title: 'Reconnect storm',
  describe: () =>
    `${CLIENTS.toLocaleString('en-US')} clients over ${DOCS} pre-filled documents (~${Math.round((FILLER.length * 3) / 1024)} kB each) connect within ${SPREAD_MS / 1000} s; Huigao is restarted first so every document loads cold`,
  reps: (quick) => (quick ? 1 : 2),
  timeoutMs: () => 120_000,
  metrics: [
    { key: 'allSyncedMs', label: 'all synced, from the first connect', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'syncP50', label: 'time to first sync p50', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'syncP99', label: 'time to first sync p99', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'empty', label: 'first sync without the pre-filled content', better: 'lower', digits: 0, combine: 'max' },
    { key: 'failed', label: 'clients never synced', better: 'lower', digits: 0, combine: 'max' },
    { key: 'cpu', label: 'server CPU', unit: '% core', better: 'lower', digits: 0 },
    { key: 'eldMax', label: 'server event-loop delay max', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'loadgenCpu', label: 'load generator CPU', unit: '% core', better: 'none', digits: 0 },
    { key: 'serverWait', label: 'server main thread waiting for a CPU', unit: '% of time', better: 'none', digits: 1 },
  ],
  targets: [
    { label: 'all synced ≤ 3 s', check: atMost('allSyncedMs', 3000, ' ms') },
    { label: 'no client ever receives an empty document', check: (m) => ({ ok: m.empty === 0 && m.failed === 0, detail: `${m.empty} empty first syncs, ${m.failed} never synced` }) },
  ],
  notes: ['the references keep nothing across a restart, so their documents are pre-filled by a client that stays connected and the storm hits documents already in memory.'],
  async run(spec) {
    const server = await ServerProcess.start(spec)
    const seeders: LiteClient[] = []
    const clients: LiteClient[] = []
    try {
      const docs = await mapLimit(Array.from({ length: DOCS }, (_, i) => i), 8, async (i) => {
        const marker = `~${(PREFILL + i).toString(36)}.0; `
        if (spec.persistent) return docNameFor(server, `W7 document ${i}`, marker + FILLER)
        const name = await docNameFor(server, `W7 document ${i}`)
        const seeder = new LiteClient(server, { docName: name, writer: PREFILL + i })
        seeders.push(seeder)
        await seeder.connect()
        await seeder.whenSynced()
        seeder.type()
        seeder.write((text) => text.insert(0, FILLER))
        return name
      })
      if (spec.persistent) {
        await server.stop()
        await server.launch()
      } else await sleep(500)
      let empty = 0
      for (let j = 0; j < CLIENTS; j++) {
        const d = j % DOCS
        const client = new LiteClient(server, {
          docName: docs[d],
          awareness: { user: { name: `storm ${j}` } },
          onFirstSync: (payload) => {
            let found = false
            scanMarkers(payload, (w, s) => (found ||= w === PREFILL + d && s === 0))
            if (!found) empty++
          },
        })
        clients.push(client)
      }
      const window = await Window.open(server)
      const started = performance.now()
      let refused = 0
      await Promise.all(
        clients.map(
          (client, j) =>
            new Promise<void>((resolve) =>
              setTimeout(() => {
                client.connect().then(resolve, () => {
                  refused++
                  resolve()
                })
              }, (j * SPREAD_MS) / CLIENTS),
            ),
        ),
      )
      await waitUntil(() => clients.every((c) => c.syncedAt > 0), 20_000, 10)
      const w = await window.close()
      const synced = clients.filter((c) => c.syncedAt > 0)
      const times = new Samples()
      for (const c of synced) times.add(c.syncedAt - c.openedAt)
      const metrics: Metrics = {
        allSyncedMs: synced.length === clients.length ? Math.max(...synced.map((c) => c.syncedAt)) - started : NaN,
        syncP50: times.percentile(50),
        syncP99: times.percentile(99),
        empty,
        failed: clients.length - synced.length,
        cpu: w.cpuPercent,
        eldMax: w.eldMax,
        loadgenCpu: w.loadgenCpuPercent,
        serverWait: w.serverWaitPercent,
        stormDetail: refused > 0 ? `${refused} connections refused` : null,
      }
      return metrics
    } finally {
      for (const c of [...clients, ...seeders]) c.destroy()
      await server.dispose()
    }
  },
}
