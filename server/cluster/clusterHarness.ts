// Several Huigao processes on one throwaway PostgreSQL behind the shipped nginx config, for the
// cluster tests and the W8 benchmark. Each process is a child (the built server, as `npm start` runs it) on
// 127.0.0.1 on a port chosen beforehand (a restarted process keeps its place in nginx's upstream),
// with its own DATA_DIR and HUIGAO_INSTANCE p0, p1, …; everything is stopped by `stop()` and on exit.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildServer } from '../../scripts/build-server.mjs'
import { TEST_PASSWORD_HASHING } from '../accounts/passwords'
import { migrate } from '../postgres/migrate'
import { freePort, startTestPostgres, type TestPostgres } from '../postgres/testPostgres'
import { api, sessionCookieOf, type Session, type SessionUser } from '../testing/harness'
import { ensureNginxBinary, startNginx, type RunningNginx } from './nginx'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const CLUSTER_ADMIN_PASSWORD = 'cluster-admin-password'
export const CLUSTER_USER_PASSWORD = 'cluster-user-password'
/** Generous: the first start may build the server, and three starting at once on a loaded 2-core machine take long. */
const START_WAIT_MS = 120_000

/** Why a cluster cannot be started here (no PostgreSQL or nginx), or undefined when it can. */
export function clusterUnavailableReason(): string | undefined {
  try {
    ensureNginxBinary()
  } catch (error) {
    return (error as Error).message
  }
  return undefined
}

export class HuigaoProcess {
  private child: ChildProcess | null = null
  private log = ''
  private exited: Promise<void> = Promise.resolve()

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`
  }

  get collabUrl(): string {
    return `ws://127.0.0.1:${this.port}/collab`
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  /** How the last run ended (null while running or killed by a signal). */
  get exitCode(): number | null {
    return this.child?.exitCode ?? null
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null
  }

  /** Everything the process printed (JSON log lines), for failure messages. */
  output(): string {
    return this.log
  }

  /** Its log lines (parsed) that match `filter`. */
  logLines(filter: (line: Record<string, unknown>) => boolean = () => true): Record<string, unknown>[] {
    return this.log.split('\n').flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>
        return filter(parsed) ? [parsed] : []
      } catch {
        return []
      }
    })
  }

  /** Starts the process; resolves when it has logged that it listens and answers /api/health. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is running already`)
    const entry = await buildServer()
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      cwd: projectRoot,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child = child
    this.log += `--- start (${new Date().toISOString()}) ---\n`
    child.stdout!.on('data', (chunk) => (this.log += chunk))
    child.stderr!.on('data', (chunk) => (this.log += chunk))
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()))
    const deadline = Date.now() + START_WAIT_MS
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited on start:\n${this.log.slice(-4000)}`)
      const listening = this.logLines((line) => line.msg === '会稿 Huigao listening' && line.pid === child.pid)
      if (listening.length > 0) {
        if (listening[0].port !== this.port) throw new Error(`${this.name} listens on ${String(listening[0].port)}, not ${this.port}`)
        if (await this.healthy()) return
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`${this.name} did not start within ${START_WAIT_MS / 1000} s:\n${this.log.slice(-4000)}`)
  }

  async healthy(): Promise<boolean> {
    try {
      return (await fetch(`${this.base}/api/health`)).ok
    } catch {
      return false
    }
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.child || this.child.exitCode !== null) throw new Error(`${this.name} is not running`)
    this.child.kill(signal)
  }

  /** kill -9: no chance to save, hand back leases or say goodbye. */
  async kill(): Promise<void> {
    if (!this.running) return
    this.child!.kill('SIGKILL')
    await this.exited
  }

  /** SIGTERM (a graceful drain); SIGKILL if it does not end within `timeoutMs`. */
  async stop(timeoutMs = 40_000): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode === 'SIGKILL') return
    // A stopped (SIGSTOP) process must be continued to handle SIGTERM.
    this.child.kill('SIGCONT')
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs)
    await this.exited
    clearTimeout(timer)
  }
}

export interface TestCluster {
  postgres: TestPostgres
  databaseUrl: string
  nginx: RunningNginx
  processes: HuigaoProcess[]
  /** nginx's address: http://127.0.0.1:<port> */
  base: string
  collabUrl: string
  /** The administrator, signed in through nginx. */
  admin: Session
  /** Creates an account (as the administrator) and signs it in through nginx. */
  createUser(username: string, displayName?: string): Promise<Session>
  /** Signs in through `base` (nginx by default, or one process). */
  signIn(username: string, password: string, base?: string): Promise<Session>
  stop(): Promise<void>
}

export interface ClusterOptions {
  processes?: number
  /** More environment for every process (e.g. lease timings). */
  env?: Record<string, string>
}

/** PostgreSQL, `processes` Huigao processes (3 by default) and nginx in front of them. */
export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const cleanups: Array<() => Promise<void>> = []
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
  }
  try {
    const postgres = await startTestPostgres()
    cleanups.push(() => postgres.stop())
    const databaseUrl = await postgres.createDatabase()
    // Once here, rather than three processes racing for the advisory lock at start.
    await migrate(databaseUrl)
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'huigao-cluster-'))
    cleanups.push(() => fs.rm(root, { recursive: true, force: true }))
    // Under Vitest the logger writes plain text; the children must write JSON lines (their port is read from them).
    const { VITEST: _vitest, VITEST_POOL_ID: _pool, VITEST_WORKER_ID: _worker, ...inherited } = process.env as Record<string, string>
    const processes: HuigaoProcess[] = []
    for (let i = 0; i < (options.processes ?? 3); i++) {
      const port = await freePort()
      processes.push(
        new HuigaoProcess(`p${i}`, port, {
          ...inherited,
          NODE_ENV: 'production',
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: path.join(root, `p${i}`),
          DATABASE_URL: databaseUrl,
          HUIGAO_INSTANCE: `p${i}`,
          ADMIN_PASSWORD: CLUSTER_ADMIN_PASSWORD,
          SEED_SAMPLE: '0',
          TRUST_PROXY: 'loopback',
          UNLOAD_DELAY_MS: '5000',
          // Short leases: a dead owner's documents move sooner (renewed every third of it).
          LEASE_MS: '3000',
          HAND_OVER_AFTER_MS: '2000',
          // A test's sign-ins and new accounts at a test cost, not ~0.5 s of CPU each (see README).
          PASSWORD_HASH_LOG2N: String(TEST_PASSWORD_HASHING.log2N),
          ...options.env,
        }),
      )
    }
    cleanups.push(async () => void (await Promise.all(processes.map((p) => p.kill()))))
    // The first creates the administrator; the others then find it.
    await processes[0].start()
    await Promise.all(processes.slice(1).map((p) => p.start()))
    const nginx = await startNginx(processes.map((p) => p.port))
    cleanups.push(() => nginx.stop())
    const base = nginx.url

    const signIn = async (username: string, password: string, at = base): Promise<Session> => {
      const response = await api(at, 'POST', '/api/login', { json: { username, password } })
      const cookie = sessionCookieOf(response.headers)
      if (response.status !== 200 || !cookie) throw new Error(`sign-in as ${username} failed: ${response.status} ${JSON.stringify(response.body)}`)
      return { base: at, collabUrl: `${at.replace(/^http/, 'ws')}/collab`, cookie, user: response.body as SessionUser }
    }
    const admin = await signIn('admin', CLUSTER_ADMIN_PASSWORD)
    return {
      postgres,
      databaseUrl,
      nginx,
      processes,
      base,
      collabUrl: `${base.replace(/^http/, 'ws')}/collab`,
      admin,
      signIn,
      createUser: async (username, displayName = username) => {
        const created = await api(admin, 'POST', '/api/users', { json: { username, displayName, password: CLUSTER_USER_PASSWORD, isAdmin: false } })
        if (created.status !== 201) throw new Error(`creating ${username} failed: ${created.status} ${JSON.stringify(created.body)}`)
        return signIn(username, CLUSTER_USER_PASSWORD)
      },
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/** The process nginx sends a document to (the API of a document goes where its socket goes). */
export async function processServing(cluster: TestCluster, session: Session, documentId: string): Promise<HuigaoProcess> {
  const response = await api(session, 'GET', `/api/documents/${documentId}`)
  const instance = response.headers.get('x-huigao-instance')
  const found = cluster.processes.find((p) => p.name === instance)
  if (!found) throw new Error(`no process answered for ${documentId} (${response.status}, instance ${instance})`)
  return found
}
