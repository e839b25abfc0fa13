import { sleep } from '../lib/util'
import { Window } from '../lib/window'
import { ServerProcess } from '../servers/process'
import { atMost, type Metrics, type Scenario } from '../types'
import { TypingLoad } from './typing'
import { WITH_POSTGRES } from '../servers'
import { docNameFor, latencyMetrics, loadMetrics, postgresRatioAtMost, ratioAtMost } from './common'

const EDITORS = 50
const RATE = 10

const seconds = (quick: boolean) => (quick ? 3 : 20)

/** W1: one busy report — 50 editors typing 10 keystrokes/s each into one document. */
export const w1: Scenario = {
  id: 'W1',
  title: 'One busy report',
  describe: (quick) =>
    `1 document, ${EDITORS} editors × ${RATE} keystrokes/s for ${seconds(quick)} s per repetition (awareness caret update every keystroke), 2 stock full clients check the final text`,
  reps: (quick) => (quick ? 1 : 3),
  servers: WITH_POSTGRES,
  timeoutMs: (quick) => (seconds(quick) + 60) * 1000,
  metrics: [...latencyMetrics, ...loadMetrics],
  targets: [
    { label: 'p99 ≤ 15 ms', check: atMost('p99', 15, ' ms') },
    { label: 'p99 ≤ 1.0× reference', check: ratioAtMost('p99', 1.0) },
    { label: 'p99 ≤ 0.8× reference', issue: 18, check: ratioAtMost('p99', 0.8) },
    { label: 'server CPU per keystroke ≤ 0.8× reference', issue: 18, check: ratioAtMost('cpuUsPerKeystroke', 0.8) },
    { label: '0 lost', check: atMost('lost', 0) },
    { label: 'PostgreSQL backend p99 ≤ 1.3× file backend', issue: 17, check: postgresRatioAtMost('p99', 1.3) },
  ],
  async run(spec, ctx) {
    const server = await ServerProcess.start(spec)
    let load: TypingLoad | undefined
    try {
      const doc = await docNameFor(server, 'W1 busy report')
      const duration = seconds(ctx.quick)
      load = new TypingLoad(server, {
        docs: [doc],
        clientsPerDoc: EDITORS,
        writersPerDoc: EDITORS,
        ratePerWriter: RATE,
        awarenessEvery: 1,
        fullDocs: 1,
        fullPerDoc: 2,
        maxSeq: Math.ceil(RATE * duration * 1.5) + 50,
        seed: ctx.rep + 1,
      })
      await load.connect()
      await sleep(300)
      return await measureTyping(server, load, duration)
    } finally {
      await load?.close()
      await server.dispose()
    }
  },
}

/** Runs the typing for `duration` seconds inside a measurement window and collects the shared metrics. */
export async function measureTyping(server: ServerProcess, load: TypingLoad, duration: number): Promise<Metrics> {
  const window = await Window.open(server)
  const received = () => load.lites.reduce((sum, client) => ({ frames: sum.frames + client.framesIn, bytes: sum.bytes + client.bytesIn }), { frames: 0, bytes: 0 })
  const receivedBefore = received()
  const inBefore = load.updatesIn()
  load.startTyping()
  await sleep(duration * 1000)
  load.stopTyping()
  const w = await window.close()
  const receivedAfter = received()
  const out = load.updatesIn() - inBefore
  const lost = await load.drain(5000)
  const full = await load.verifyFullClients(5000)
  const latency = load.latency.summary()
  return {
    p50: latency.p50,
    p95: latency.p95,
    p99: latency.p99,
    max: latency.max,
    samples: latency.count,
    inPerSec: load.totalSent / w.seconds,
    outPerSec: out / w.seconds,
    // Everything the lightweight clients received (updates, carets, anything else), per second.
    framesInPerSec: (receivedAfter.frames - receivedBefore.frames) / w.seconds,
    kbInPerSec: (receivedAfter.bytes - receivedBefore.bytes) / 1024 / w.seconds,
    lost,
    duplicated: load.duplicates,
    fullClientsOk: full.wrong === 0,
    fullDetail: full.detail || null,
    cpu: w.cpuPercent,
    cpuUsPerKeystroke: ((w.cpuPercent / 100) * w.seconds * 1e6) / Math.max(1, load.totalSent),
    eldP99: w.eldP99,
    eldMax: w.eldMax,
    rssMb: w.rssMb,
    loadgenEldP99: w.loadgenEldP99,
    loadgenEldMax: w.loadgenEldMax,
    loadgenCpu: w.loadgenCpuPercent,
    serverWait: w.serverWaitPercent,
    loadgenWait: w.loadgenWaitPercent,
  }
}
