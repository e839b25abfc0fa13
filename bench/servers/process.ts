/**
 * A compared server running as a child process, pinned to the server core, with the bench probe
 * preloaded (event-loop delay and memory over IPC) and its output kept for error reports.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Target } from '../lib/clients'
import { cpuSeconds, memoryMb, pinnedNode, SERVER_CORE, track } from '../lib/proc'
import { sleep, within } from '../lib/util'
import type { ServerSpec } from './spec'

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const PROBE = path.join(PROJECT_ROOT, 'bench', 'preload', 'probe.mjs')

export interface ProbeResult {
  eld: { count: number; mean: number; p50: number; p99: number; max: number }
  memory: NodeJS.MemoryUsage
}

export interface StartOptions {
  /** Extra environment (e.g. UNLOAD_DELAY_MS for Huigao). */
  env?: Record<string, string>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

export class ServerProcess implements Target {
  private child: ChildProcess | null = null
  private probeSeq = 0
  private readonly pendingProbes = new Map<number, (result: ProbeResult) => void>()
  /** Last lines of output, for error messages. */
  readonly output: string[] = []
  startedAt = 0
  /** Headers every client sends (Huigao: the session cookie). */
  headers: Record<string, string> = {}

  private constructor(
    readonly spec: ServerSpec,
    readonly port: number,
    readonly dataDir: string,
    private readonly options: StartOptions,
  ) {}

  static async start(spec: ServerSpec, options: StartOptions = {}): Promise<ServerProcess> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `huigao-bench-${spec.id}-`))
    const prepared = (await spec.prepare?.()) ?? {}
    const server = new ServerProcess(spec, await freePort(), dataDir, { ...options, env: { ...prepared, ...options.env } })
    await server.launch()
    return server
  }

  get dialect() {
    return this.spec.dialect
  }

  get pid(): number {
    return this.child?.pid ?? -1
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null
  }

  socketUrl(docName: string): string {
    return this.spec.socketUrl(this.port, docName)
  }

  get providerUrl(): string {
    return this.spec.providerUrl(this.port)
  }

  /** Starts (or restarts) the process on the same port and data directory; resolves when it accepts connections. */
  async launch(): Promise<void> {
    // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") is for profiling a server.
    const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []
    const { command, args } = pinnedNode(SERVER_CORE, ['--expose-gc', ...extra, '--import', PROBE, ...this.spec.nodeArgs])
    const child = spawn(command, args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_ENV: 'production', ...this.spec.env(this.port, this.dataDir), ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    track(child)
    this.child = child
    // BENCH_SERVER_LOG=file keeps the server's whole output there (e.g. with BENCH_SERVER_NODE_ARGS=--trace-gc).
    const log = process.env.BENCH_SERVER_LOG
    const keep = (chunk: Buffer) => {
      if (log) appendFileSync(log, chunk)
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.output.push(line)
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200)
    }
    child.stdout!.on('data', keep)
    child.stderr!.on('data', keep)
    child.on('message', (message: { type?: string; id?: number } & ProbeResult) => {
      if (message?.type !== 'bench-probe' || message.id === undefined) return
      this.pendingProbes.get(message.id)?.(message)
      this.pendingProbes.delete(message.id)
    })
    const started = performance.now()
    for (;;) {
      if (!this.running) throw new Error(`${this.spec.label} exited on start:\n${this.output.slice(-20).join('\n')}`)
      if (await canConnect(this.port)) break
      if (performance.now() - started > 30_000) throw new Error(`${this.spec.label} did not listen within 30 s`)
      await sleep(25)
    }
    this.startedAt = performance.now()
    if (this.spec.signIn) this.headers = await this.spec.signIn(this.port)
  }

  /** Event-loop delay since the last reset, and memory (after a full GC when `gc`). */
  probe(options: { gc?: boolean; reset?: boolean } = {}): Promise<ProbeResult> {
    const child = this.child
    if (!child || !this.running) return Promise.reject(new Error('server not running'))
    const id = ++this.probeSeq
    const result = new Promise<ProbeResult>((resolve) => this.pendingProbes.set(id, resolve))
    child.send({ type: 'bench-probe', id, gc: options.gc ?? false, reset: options.reset ?? false })
    return within(result, 30_000, `${this.spec.label} probe`)
  }

  cpuSeconds(): number {
    return cpuSeconds(this.pid)
  }

  memoryMb(): { rss: number; peak: number } {
    return memoryMb(this.pid)
  }

  createDocument(title: string, text?: string): Promise<string> {
    if (!this.spec.createDocument) throw new Error(`${this.spec.label} has no document API`)
    return this.spec.createDocument(this.port, this.headers, title, text)
  }

  /** `kill -9`: no shutdown hooks run. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL', 5_000)
  }

  /** Graceful stop (SIGTERM); SIGKILL if it takes longer than `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    await this.signal('SIGTERM', graceMs)
  }

  /** Stops the process and removes its data directory. */
  async dispose(): Promise<void> {
    if (process.env.BENCH_SERVER_OUTPUT) console.log(`--- ${this.spec.label} output:\n${this.output.slice(-30).join('\n')}`)
    try {
      // A CPU profile is only written when the process exits by itself.
      if (process.env.BENCH_SERVER_NODE_ARGS?.includes('--cpu-prof')) await this.signal('SIGTERM', 120_000)
      else await this.signal('SIGKILL', 5_000)
    } finally {
      rmSync(this.dataDir, { recursive: true, force: true })
    }
  }

  private async signal(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const child = this.child
    if (!child || !this.running) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill(signal)
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
    this.pendingProbes.clear()
  }
}
