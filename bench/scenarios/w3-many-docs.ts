import { mapLimit, sleep } from '../lib/util'
import { ServerProcess } from '../servers/process'
import { atMost, type Metrics, type Scenario } from '../types'
import { docNameFor, ratioAtMost } from './common'
import { TypingLoad } from './typing'
import { measureTyping } from './w1-busy'

const CLIENTS_PER_DOC = 3
/**
 * Updates per second over all documents, the same in quick and full runs so that the server carries
 * the same per-core load (and the ratio tells the same story): quick runs have fewer documents, each
 * busier, for a shorter time.
 */
const TOTAL_RATE = 6_000
/** Huigao's unload delay in this scenario (production default is 30 s), and how long memory is watched. */
const unloadDelayMs = (quick: boolean) => (quick ? 1_000 : 10_000)
const unloadWaitMs = (quick: boolean) => (quick ? 3_000 : 30_000)

const docCount = (quick: boolean) => (quick ? 400 : 2000)
const seconds = (quick: boolean) => (quick ? 3 : 10)
/** Keystrokes per second of each writer: 1 in full runs, 5 in quick ones. */
const ratePerWriter = (quick: boolean) => TOTAL_RATE / (docCount(quick) * CLIENTS_PER_DOC)

/** W3: many documents — 2,000 small documents × 3 clients, 1 update/s each (quick: 400 × 3 × 5/s, the same 6,000/s). */
export const w3: Scenario = {
  id: 'W3',
  title: 'Many documents',
  describe: (quick) =>
    `${docCount(quick).toLocaleString('en-US')} documents × ${CLIENTS_PER_DOC} clients, ${ratePerWriter(quick)} update/s each (${TOTAL_RATE.toLocaleString('en-US')} updates/s in all; caret awareness every keystroke) for ${seconds(quick)} s; ` +
    `then all clients leave and memory is watched for up to ${unloadWaitMs(quick) / 1000} s (Huigao UNLOAD_DELAY_MS=${unloadDelayMs(quick)})`,
  reps: () => 1,
  timeoutMs: (quick) => (quick ? 120_000 : 300_000),
  metrics: [
    { key: 'docs', label: 'documents', better: 'none', digits: 0 },
    { key: 'p50', label: 'latency p50', unit: 'ms', better: 'lower', digits: 2 },
    { key: 'p99', label: 'latency p99', unit: 'ms', better: 'lower', digits: 2 },
    { key: 'max', label: 'latency max', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'inPerSec', label: 'updates in', unit: '/s', better: 'none', digits: 0 },
    { key: 'lost', label: 'lost receipts', better: 'lower', digits: 0, combine: 'max' },
    { key: 'cpu', label: 'server CPU', unit: '% core', better: 'lower', digits: 0 },
    { key: 'cpuUsPerUpdate', label: 'server CPU time per update (incl. its fan-out)', unit: 'µs', better: 'lower', digits: 0 },
    { key: 'eldMax', label: 'server event-loop delay max', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'heapPerDocKb', label: 'heap per loaded document, 3 clients connected', unit: 'kB', better: 'lower', digits: 1 },
    { key: 'heapPerIdleDocKb', label: 'heap per document right after its clients left', unit: 'kB', better: 'lower', digits: 1 },
    { key: 'peakRssMb', label: 'server peak RSS', unit: 'MB', better: 'lower', digits: 0 },
    { key: 'unloadedAfterS', label: 'idle documents unloaded after', unit: 's', better: 'lower', digits: 1 },
    { key: 'heapAfterWaitMb', label: 'heap after the wait', unit: 'MB', better: 'lower', digits: 1 },
    { key: 'setupS', label: 'setup (create + connect)', unit: 's', better: 'none', digits: 1 },
    { key: 'framesInPerSec', label: 'messages the clients received', unit: '/s', better: 'none', digits: 0 },
    { key: 'kbInPerSec', label: 'bytes the clients received', unit: 'kB/s', better: 'none', digits: 0 },
    { key: 'loadgenCpu', label: 'load generator CPU', unit: '% core', better: 'none', digits: 0 },
    // The load generator times every update it sends and receives on its own event loop: a stall
    // there delays the receipts it reads, and shows in the latencies as if the server were late.
    { key: 'loadgenEldP99', label: 'load generator event-loop delay p99', unit: 'ms', better: 'none', digits: 1 },
    { key: 'loadgenEldMax', label: 'load generator event-loop delay max', unit: 'ms', better: 'none', digits: 1, combine: 'max' },
    { key: 'serverWait', label: 'server main thread waiting for a CPU', unit: '% of time', better: 'none', digits: 1 },
  ],
  targets: [
    { label: 'p99 ≤ 1.0× reference', issue: 18, check: ratioAtMost('p99', 1) },
    { label: 'CPU per update ≤ 1.0× reference', issue: 18, check: ratioAtMost('cpuUsPerUpdate', 1) },
    { label: '≤ 60 kB heap per small document', check: atMost('heapPerDocKb', 60, ' kB') },
    { label: '≤ 600 MB in all (peak RSS)', check: atMost('peakRssMb', 600, ' MB') },
    { label: 'idle documents unloaded within 30 s', check: atMost('unloadedAfterS', 30, ' s') },
  ],
  notes: [
    'heap = V8 heapUsed after a forced full GC (server started with --expose-gc), minus the same after the documents were created but before any was opened; "unloaded" = at least half of the heap the documents still held right after their clients left is released.',
    'the load generator (one core, 6,000 clients) times sends and receipts on its own event loop: where its event-loop delay p99 is a sizeable part of the latency p99, the latency measures the generator as much as the server. Huigao sends fewer messages than the reference but more bytes (every caret carries the account\u2019s id, name, colour and role, set by the server), which costs the generator more.',
    'the reference y-websocket server keeps every document in memory until it exits (no persistence, no unload), so it is watched for a third of the time; Hocuspocus unloads a document as soon as its last client leaves.',
  ],
  async run(spec, ctx) {
    const server = await ServerProcess.start(spec, { env: { UNLOAD_DELAY_MS: String(unloadDelayMs(ctx.quick)) } })
    let load: TypingLoad | undefined
    try {
      const n = docCount(ctx.quick)
      const duration = seconds(ctx.quick)
      const setupStart = performance.now()
      const docs = await mapLimit(Array.from({ length: n }, (_, i) => i), 8, (i) => docNameFor(server, `W3 document ${i}`))
      // Baseline after creating (Huigao's catalog holds every document, loaded or not).
      const baseline = (await server.probe({ gc: true })).memory.heapUsed
      load = new TypingLoad(server, {
        docs,
        clientsPerDoc: CLIENTS_PER_DOC,
        writersPerDoc: CLIENTS_PER_DOC,
        ratePerWriter: ratePerWriter(ctx.quick),
        awarenessEvery: 1,
        fullDocs: 3,
        fullPerDoc: 1,
        maxSeq: Math.ceil(ratePerWriter(ctx.quick) * duration * 1.5) + 20,
        connectConcurrency: 50,
        seed: ctx.rep + 21,
      })
      await load.connect()
      const setupS = (performance.now() - setupStart) / 1000
      await sleep(500)
      const typing = await measureTyping(server, load, duration)
      const loaded = (await server.probe({ gc: true })).memory.heapUsed
      const peakRssMb = server.memoryMb().peak
      await load.close()
      load = undefined
      const leftAt = performance.now()
      await sleep(300)
      const idle = (await server.probe({ gc: true })).memory.heapUsed
      // Unloaded = at least half of what the idle documents still held is released; a server whose
      // documents already went with their last client counts as unloaded at this first look.
      let unloadedAfterS = NaN
      let heapNow = idle
      if (idle - baseline <= 0.25 * (loaded - baseline)) unloadedAfterS = (performance.now() - leftAt) / 1000
      const threshold = baseline + 0.5 * (idle - baseline)
      // A server that by design never unloads (the reference without persistence) is watched for a third as long.
      const watchMs = spec.unloads ? unloadWaitMs(ctx.quick) : unloadWaitMs(ctx.quick) / 3
      while (!Number.isFinite(unloadedAfterS) && performance.now() - leftAt < watchMs) {
        await sleep(1000)
        heapNow = (await server.probe({ gc: true })).memory.heapUsed
        if (heapNow <= threshold) unloadedAfterS = (performance.now() - leftAt) / 1000
      }
      const metrics: Metrics = {
        docs: n,
        p50: typing.p50,
        p99: typing.p99,
        max: typing.max,
        inPerSec: typing.inPerSec,
        lost: typing.lost,
        cpu: typing.cpu,
        cpuUsPerUpdate: typing.cpuUsPerKeystroke,
        eldMax: typing.eldMax,
        heapPerDocKb: (loaded - baseline) / n / 1024,
        heapPerIdleDocKb: (idle - baseline) / n / 1024,
        peakRssMb,
        unloadedAfterS,
        heapAfterWaitMb: heapNow / 2 ** 20,
        setupS,
        loadgenCpu: typing.loadgenCpu,
        framesInPerSec: typing.framesInPerSec,
        kbInPerSec: typing.kbInPerSec,
        loadgenEldP99: typing.loadgenEldP99,
        loadgenEldMax: typing.loadgenEldMax,
        serverWait: typing.serverWait,
        unloadDetail: Number.isFinite(unloadedAfterS) ? null : `not unloaded within ${Math.round(watchMs / 1000)} s${spec.unloads ? '' : ' (never unloads without persistence)'}`,
      }
      return metrics
    } finally {
      await load?.close()
      await server.dispose()
    }
  },
}
