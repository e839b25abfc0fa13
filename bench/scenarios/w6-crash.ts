import { LiteClient } from '../lib/clients'
import { rng, sleep, within } from '../lib/util'
import { ServerProcess } from '../servers/process'
import { atMost, type Metrics, type Scenario } from '../types'
import { WITH_POSTGRES } from '../servers'
import { docNameFor } from './common'
import { TypingLoad } from './typing'

const EDITORS = 20
const RATE = 10

const kills = (quick: boolean, persistent: boolean) => (persistent ? (quick ? 3 : 20) : quick ? 1 : 3)

/** W6: kill -9 at random moments under typing, restart, reconnect; what did the server lose? */
export const w6: Scenario = {
  id: 'W6',
  title: 'Crash',
  describe: (quick) =>
    `${EDITORS} editors × ${RATE} keystrokes/s on one document; kill -9 after ${quick ? '0.3–1' : '0.5–2'} s of typing, restart, check what the server kept, reconnect everyone (the sync exchange resends), check again — ` +
    `${kills(quick, true)} kills for Huigao, ${kills(quick, false)} for each reference (they keep nothing by design)`,
  reps: () => 1,
  servers: WITH_POSTGRES,
  timeoutMs: (quick) => (quick ? 90_000 : 200_000),
  metrics: [
    { key: 'kills', label: 'kills', better: 'none', digits: 0 },
    { key: 'acked', label: 'acknowledged updates the document held at each kill (summed)', better: 'none', digits: 0 },
    { key: 'lostAcked', label: '… of them lost by the kill (summed)', better: 'lower', digits: 0 },
    { key: 'lostAckedPct', label: '… lost', unit: '%', better: 'lower', digits: 1 },
    { key: 'lossWindowMs', label: 'oldest lost acknowledgement before its kill', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'missingAfterResync', label: 'sent updates missing after clients resync', better: 'lower', digits: 0 },
    { key: 'unloadable', label: 'restarts with an unloadable document', better: 'lower', digits: 0 },
    { key: 'restartMs', label: 'restart until accepting connections (median)', unit: 'ms', better: 'lower', digits: 0 },
  ],
  targets: [
    { label: 'lost ≤ 250 ms worth of acknowledged updates', check: atMost('lossWindowMs', 250, ' ms') },
    { label: '0 lost after clients resend', check: atMost('missingAfterResync', 0) },
    { label: 'never an unloadable document', check: atMost('unloadable', 0) },
  ],
  notes: [
    'acknowledged = echoed to at least one other client before the kill. The references keep documents in memory only, so a kill loses everything acknowledged; the clients that stay connected then rebuild the document through the normal sync exchange.',
  ],
  async run(spec, ctx) {
    const server = await ServerProcess.start(spec)
    let load: TypingLoad | undefined
    try {
      const doc = await docNameFor(server, 'W6 crash')
      load = new TypingLoad(server, {
        docs: [doc],
        clientsPerDoc: EDITORS,
        writersPerDoc: EDITORS,
        ratePerWriter: RATE,
        awarenessEvery: 1,
        fullDocs: 0,
        fullPerDoc: 0,
        maxSeq: 20_000,
        seed: 61,
      })
      await load.connect()
      load.startTyping()
      const random = rng(ctx.rep + 99)
      const n = kills(ctx.quick, spec.persistent)
      let acked = 0
      let lostAcked = 0
      let lossWindowMs = 0
      let missingAfterResync = 0
      let unloadable = 0
      const restarts: number[] = []
      for (let k = 0; k < n; k++) {
        await sleep(ctx.quick ? 300 + random() * 700 : 500 + random() * 1500)
        const killedAt = performance.now()
        await server.kill9()
        const t = performance.now()
        await server.launch()
        restarts.push(performance.now() - t)
        const kept = await markersOnServer(server, doc)
        if (!kept) {
          unloadable++
          continue
        }
        for (let w = 0; w < load.sent.length; w++) {
          for (let s = 0; s < load.sent[w]; s++) {
            const ack = load.ackTimes[w][s]
            if (ack === 0 || ack > killedAt) continue
            acked++
            if (!kept.has(w * 1e6 + s)) {
              lostAcked++
              lossWindowMs = Math.max(lossWindowMs, killedAt - ack)
            }
          }
        }
        // Everyone reconnects; writers resend what the server lacks in their sync step 2.
        await within(Promise.all(load.lites.map((c) => c.connect().then(() => c.whenSynced()))), 30_000, 'reconnecting')
        await sleep(300)
        const after = await markersOnServer(server, doc)
        if (!after) {
          unloadable++
          continue
        }
        for (let w = 0; w < load.sent.length; w++) for (let s = 0; s < load.sent[w]; s++) if (load.sendTimes[w][s] > 0 && load.sendTimes[w][s] < killedAt && !after.has(w * 1e6 + s)) missingAfterResync++
      }
      load.stopTyping()
      restarts.sort((a, b) => a - b)
      const metrics: Metrics = {
        kills: n,
        acked,
        lostAcked,
        lostAckedPct: acked > 0 ? (lostAcked / acked) * 100 : NaN,
        lossWindowMs,
        missingAfterResync,
        unloadable,
        restartMs: restarts[restarts.length >> 1] ?? NaN,
      }
      return metrics
    } finally {
      await load?.close()
      await server.dispose()
    }
  },
}

/** The markers the server has for `doc` (as writer × 1e6 + seq), or null if it cannot serve the document. */
async function markersOnServer(server: ServerProcess, doc: string): Promise<Set<number> | null> {
  const found = new Set<number>()
  const client = new LiteClient(server, { docName: doc, onMarker: (w, s, _now, inSync) => inSync && found.add(w * 1e6 + s) })
  try {
    await within(
      client.connect().then(() => client.whenSynced()),
      10_000,
      'checking the document',
    )
    return found
  } catch {
    return null
  } finally {
    client.destroy()
  }
}
