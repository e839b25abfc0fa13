import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SERVER_ENTRY } from '../../scripts/build-server.mjs'
import { TEST_PASSWORD_HASHING } from '../../server/accounts/passwords'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

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

/** A real Huigao server process, as `npm start` runs it, on its own port and data directory. */
export const ADMIN_PASSWORD = 'e2e-admin-password'
export const ADMIN_NAME = '管理员'
const PASSWORD = 'e2e-password'

export interface Account {
  username: string
  password: string
  displayName: string
}

export class TestServer {
  private child: ChildProcess | null = null
  private output = ''
  private adminCookie = ''
  private readonly accounts = new Map<string, Promise<Account>>()

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<TestServer> {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huigao-e2e-'))
    const server = new TestServer(await freePort(), dataDir, env)
    await server.spawn()
    return server
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async spawn(): Promise<void> {
    this.output = ''
    // The server built by the global setup; passwords at a test cost (each sign-in would take ~0.5 s of CPU).
    const child = spawn(process.execPath, ['--enable-source-maps', SERVER_ENTRY], {
      cwd: root,
      env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', DATA_DIR: this.dataDir, UNLOAD_DELAY_MS: '2000', ADMIN_PASSWORD, PASSWORD_HASH_LOG2N: String(TEST_PASSWORD_HASHING.log2N), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child = child
    child.stdout?.on('data', (chunk) => (this.output += chunk))
    child.stderr?.on('data', (chunk) => (this.output += chunk))
    // Generous: a busy 2-core machine.
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited early:\n${this.output}`)
      try {
        if ((await fetch(`${this.url}/api/health`)).ok) return
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`server did not start:\n${this.output}`)
  }

  /** Kills the process without any chance to save (a crash or `kill -9`). */
  async crash(): Promise<void> {
    await this.stop('SIGKILL')
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill(signal)
    await exited
    this.child = null
  }

  get log(): string {
    return this.output
  }

  async dispose(): Promise<void> {
    await this.stop()
    await fs.rm(this.dataDir, { recursive: true, force: true })
  }

  /** Calls the API as the administrator. */
  async api<T>(method: string, url: string, body?: unknown): Promise<T> {
    if (!this.adminCookie) this.adminCookie = await this.login('admin', ADMIN_PASSWORD)
    const response = await fetch(`${this.url}${url}`, {
      method,
      headers: { cookie: this.adminCookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`)
    return (response.status === 204 ? undefined : await response.json()) as T
  }

  async login(username: string, password: string): Promise<string> {
    const response = await fetch(`${this.url}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
    if (!response.ok) throw new Error(`login ${username}: ${response.status}`)
    return response.headers.get('set-cookie')!.split(';')[0]
  }

  /** An account for a person, created by the administrator the first time it is asked for. */
  account(displayName: string): Promise<Account> {
    // 管理员 is the administrator created on first start, who owns the sample report.
    if (displayName === ADMIN_NAME) return Promise.resolve({ username: 'admin', password: ADMIN_PASSWORD, displayName })
    // Claimed synchronously, so people joining at once get distinct accounts.
    let account = this.accounts.get(displayName)
    if (!account) {
      const created = { username: `user${this.accounts.size + 1}`, password: PASSWORD, displayName }
      account = this.api('POST', '/api/users', created).then(() => created)
      this.accounts.set(displayName, account)
    }
    return account
  }

  /** Shares a document with a person (creating their account if needed). */
  async share(documentId: string, displayName: string, role: 'drafter' | 'reviewer' | 'viewer'): Promise<Account> {
    const account = await this.account(displayName)
    await this.api('PUT', `/api/documents/${documentId}/members/${account.username}`, { role })
    return account
  }

  async sampleDocumentId(): Promise<string> {
    const documents = await this.api<{ id: string; title: string }[]>('GET', '/api/documents')
    const sample = documents.find((doc) => doc.title === '2022年度党建工作述职')
    if (!sample) throw new Error('sample document missing')
    return sample.id
  }
}
