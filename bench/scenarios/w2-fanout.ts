import { sleep } from '../lib/util'
import { ServerProcess } from '../servers/process'
import { atMost, type Scenario } from '../types'
import { docNameFor, latencyMetrics, loadMetrics } from './common'
import { TypingLoad } from './typing'
import { measureTyping } from './w1-busy'

const CONNECTIONS = 500
const WRITERS = 20
const TOTAL_RATE = 100

const seconds = (quick: boolean) => (quick ? 3 : 10)

/** W2: fan-out — 500 connections on one document, 20 of them writing 100 updates/s in total. */
export const w2: Scenario = {
  id: 'W2',
  title: 'Fan-out',
  describe: (quick) =>
    `1 document, ${CONNECTIONS} connections, ${WRITERS} writers × ${TOTAL_RATE / WRITERS} updates/s (${TOTAL_RATE}/s in total, caret awareness every 5th keystroke) for ${seconds(quick)} s`,
  reps: (quick) => (quick ? 1 : 3),
  timeoutMs: (quick) => (seconds(quick) + 90) * 1000,
  metrics: [...latencyMetrics, ...loadMetrics],
  targets: [
    { label: 'p99 ≤ 50 ms', check: atMost('p99', 50, ' ms') },
    { label: 'no event-loop stall over 20 ms', check: atMost('eldMax', 20, ' ms') },
  ],
  async run(spec, ctx) {
    const server = await ServerProcess.start(spec)
    let load: TypingLoad | undefined
    try {
      const doc = await docNameFor(server, 'W2 fan-out')
      const duration = seconds(ctx.quick)
      const rate = TOTAL_RATE / WRITERS
      load = new TypingLoad(server, {
        docs: [doc],
        clientsPerDoc: CONNECTIONS,
        writersPerDoc: WRITERS,
        ratePerWriter: rate,
        awarenessEvery: 5,
        fullDocs: 1,
        fullPerDoc: 2,
        maxSeq: Math.ceil(rate * duration * 1.5) + 50,
        connectConcurrency: 25,
        seed: ctx.rep + 11,
      })
      await load.connect()
      await sleep(500)
      return await measureTyping(server, load, duration)
    } finally {
      await load?.close()
      await server.dispose()
    }
  },
}
