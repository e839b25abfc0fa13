import * as Y from 'yjs'
import { LiteClient } from '../lib/clients'
import { traceText, traceUpdates } from '../lib/trace'
import { sleep, within } from '../lib/util'
import { Window } from '../lib/window'
import { ServerProcess } from '../servers/process'
import { atLeast, type Metrics, type Scenario } from '../types'
import { WITH_POSTGRES } from '../servers'
import { docNameFor, postgresRatioAtMost, ratioAtLeast } from './common'
import { fetchDocument, sendTrace, TraceObserver } from './trace-io'

/** W4: the automerge-paper trace replayed through the server, one writer and one observer. */
export const w4: Scenario = {
  id: 'W4',
  title: 'Real editing trace',
  describe: (quick) =>
    `automerge-paper trace (${quick ? `first ${QUICK_EDITS.toLocaleString('en-US')} of ` : ''}259,778 edits), each patch one Yjs update on the XmlText of a paragraph of the content, sent by one writer as fast as the server relays them (at most ~4,000 ahead of the observer), received by one observer`,
  reps: (quick) => (quick ? 1 : 2),
  servers: WITH_POSTGRES,
  timeoutMs: () => 180_000,
  metrics: [
    { key: 'updates', label: 'updates replayed', better: 'none', digits: 0 },
    { key: 'perSec', label: 'end-to-end throughput', unit: 'updates/s', better: 'higher', digits: 0 },
    { key: 'seconds', label: 'time, first send to observer has the last', unit: 's', better: 'lower', digits: 2 },
    { key: 'observerOk', label: 'observer’s text = expected', better: 'none', combine: 'all' },
    { key: 'reloadOk', label: 'after restart, document = expected', better: 'none', combine: 'all' },
    { key: 'framesToObserver', label: 'messages to the observer', better: 'none', digits: 0 },
    { key: 'framesToWriter', label: 'messages back to the writer', better: 'none', digits: 0 },
    { key: 'cpu', label: 'server CPU', unit: '% core', better: 'lower', digits: 0 },
    { key: 'cpuUsPerUpdate', label: 'server CPU time per update', unit: 'µs', better: 'lower', digits: 1 },
    { key: 'eldMax', label: 'server event-loop delay max', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'rssMb', label: 'server RSS', unit: 'MB', better: 'lower', digits: 0 },
    { key: 'loadgenCpu', label: 'load generator CPU', unit: '% core', better: 'none', digits: 0 },
    { key: 'serverWait', label: 'server main thread waiting for a CPU', unit: '% of time', better: 'none', digits: 1 },
  ],
  targets: [
    { label: '≥ 40k updates/s end to end', check: atLeast('perSec', 40_000, '/s') },
    { label: 'PostgreSQL backend: CPU per update ≤ 1.3× file backend', issue: 17, check: postgresRatioAtMost('cpuUsPerUpdate', 1.3) },
    { label: 'throughput ≥ 1.5× reference', issue: 18, check: ratioAtLeast('perSec', 1.5) },
    {
      label: 'observer’s text and the reloaded document equal endContent',
      check: (m) => ({ ok: m.observerOk === true && m.reloadOk === true, detail: `observer ${m.observerOk ? 'equal' : 'DIFFERENT'}, reloaded ${m.reloadOk ? 'equal' : 'DIFFERENT'}` }),
    },
  ],
  notes: ['reload: Huigao is stopped (SIGTERM) and restarted, then a fresh client syncs the document; the references keep nothing across a restart (n/a).'],
  async run(spec, ctx) {
    const { updates, expected } = traceSlice(ctx.quick)
    const server = await ServerProcess.start(spec)
    const clients: LiteClient[] = []
    try {
      const doc = await docNameFor(server, 'W4 trace')
      const writer = new LiteClient(server, { docName: doc })
      const observer = new TraceObserver(server, doc, true)
      clients.push(writer, observer.client)
      for (const c of clients) await c.connect()
      await Promise.all(clients.map((c) => c.whenSynced()))
      await sleep(200)
      const window = await Window.open(server)
      const timing = await sendTrace(writer, observer, updates)
      const w = await window.close()
      const received = new Y.Doc()
      received.transact(() => {
        for (const u of observer.client.collected) Y.applyUpdate(received, u)
      })
      const observerOk = traceText(received) === expected
      const metrics: Metrics = {
        updates: updates.length,
        perSec: updates.length / timing.seconds,
        seconds: timing.seconds,
        observerOk,
        reloadOk: null,
        framesToObserver: observer.client.framesIn,
        framesToWriter: writer.framesIn,
        cpu: w.cpuPercent,
        cpuUsPerUpdate: (w.cpuPercent / 100) * w.seconds * 1e6 / updates.length,
        eldMax: w.eldMax,
        rssMb: w.rssMb,
        loadgenCpu: w.loadgenCpuPercent,
        serverWait: w.serverWaitPercent,
      }
      for (const c of clients) c.destroy()
      clients.length = 0
      if (spec.persistent) {
        await server.stop()
        await server.launch()
        const reloaded = await within(fetchDocument(server, doc), 30_000, 'reloading the document')
        metrics.reloadOk = traceText(reloaded.doc) === expected
      }
      return metrics
    } finally {
      for (const c of clients) c.destroy()
      await server.dispose()
    }
  },
}

/** Edits replayed in quick runs. */
export const QUICK_EDITS = 30_000

/** The whole trace, or its first 30,000 edits in quick runs, with the text they produce. */
export function traceSlice(quick: boolean): { updates: Uint8Array[]; expected: string } {
  const t = traceUpdates(quick ? QUICK_EDITS : Infinity)
  return { updates: t.updates, expected: t.text }
}
