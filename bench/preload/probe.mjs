// Bench-only preload (`node --import ./bench/preload/probe.mjs …`), loaded into all three servers
// alike. It changes nothing in the server: it samples event-loop delay with
// perf_hooks.monitorEventLoopDelay and answers the load generator's probes over the IPC channel
// (only when the process was spawned with one). Plain JavaScript so that the reference servers run
// without a TypeScript loader.
import { monitorEventLoopDelay } from 'node:perf_hooks'

if (typeof process.send === 'function') {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  const ms = (ns) => ns / 1e6
  process.on('message', (message) => {
    if (!message || message.type !== 'bench-probe') return
    if (message.gc && typeof globalThis.gc === 'function') {
      globalThis.gc()
      globalThis.gc()
    }
    const reply = {
      type: 'bench-probe',
      id: message.id,
      eld: {
        count: histogram.count,
        mean: ms(histogram.mean),
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
      },
      memory: process.memoryUsage(),
    }
    if (message.reset) histogram.reset()
    process.send(reply)
  })
  // The channel must not keep a server alive that wants to exit.
  process.channel?.unref()
}
