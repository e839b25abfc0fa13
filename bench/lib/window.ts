/** A measurement window: server CPU (/proc), server event-loop delay (probe) and the load generator's own. */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { ServerProcess } from '../servers/process'
import { schedSeconds } from './proc'

const loadgenDelay = monitorEventLoopDelay({ resolution: 1 })
loadgenDelay.enable()

export interface WindowResult {
  seconds: number
  /** Server CPU in % of one core. */
  cpuPercent: number
  eldP50: number
  eldP99: number
  eldMax: number
  loadgenEldP99: number
  loadgenEldMax: number
  heapMb: number
  rssMb: number
  /** % of the window the server's main thread was runnable but not running (machine contention). */
  serverWaitPercent: number
  /** Same for the load generator. */
  loadgenWaitPercent: number
  /** The load generator's own CPU, % of one core: near 100 means the numbers are bounded by the generator. */
  loadgenCpuPercent: number
}

export class Window {
  private constructor(
    private readonly server: ServerProcess,
    private readonly startedAt: number,
    private readonly cpuAtStart: number,
    private readonly schedAtStart: { run: number; wait: number },
    private readonly selfSchedAtStart: { run: number; wait: number },
    private readonly selfCpuAtStart = process.cpuUsage(),
  ) {}

  static async open(server: ServerProcess): Promise<Window> {
    await server.probe({ reset: true })
    loadgenDelay.reset()
    return new Window(server, performance.now(), server.cpuSeconds(), schedSeconds(server.pid), schedSeconds(process.pid))
  }

  async close(): Promise<WindowResult> {
    const seconds = (performance.now() - this.startedAt) / 1000
    const cpu = this.server.cpuSeconds() - this.cpuAtStart
    const sched = schedSeconds(this.server.pid)
    const self = schedSeconds(process.pid)
    const probe = await this.server.probe({ reset: true })
    return {
      seconds,
      cpuPercent: (cpu / seconds) * 100,
      eldP50: probe.eld.p50,
      eldP99: probe.eld.p99,
      eldMax: probe.eld.max,
      loadgenEldP99: loadgenDelay.percentile(99) / 1e6,
      loadgenEldMax: loadgenDelay.max / 1e6,
      heapMb: probe.memory.heapUsed / 2 ** 20,
      rssMb: probe.memory.rss / 2 ** 20,
      serverWaitPercent: ((sched.wait - this.schedAtStart.wait) / seconds) * 100,
      loadgenWaitPercent: ((self.wait - this.selfSchedAtStart.wait) / seconds) * 100,
      loadgenCpuPercent: (cpuOf(process.cpuUsage(this.selfCpuAtStart)) / seconds) * 100,
    }
  }
}

const cpuOf = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6
