// A throwaway PostgreSQL cluster for tests and test harnesses: initdb into a temporary directory, started
// on 127.0.0.1 on a free port, stopped (and its files removed) by whoever started it. Never used in
// production: there DATABASE_URL names a real server.
import { execFile, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const SUPERUSER = 'postgres'

/** Where a cluster lives: enough to stop it from another process (vitest's global teardown). */
export interface TestClusterFiles {
  binDir: string
  /** Temporary directory holding the data directory, the socket directory and the log. */
  root: string
}

export interface TestPostgres extends TestClusterFiles {
  /** Superuser URL of the `postgres` database (for CREATE DATABASE). */
  adminUrl: string
  /** Creates a database (copied from `template` when given) and returns its URL. */
  createDatabase(name?: string, template?: string): Promise<string>
  stop(): Promise<void>
}

/**
 * Finds PostgreSQL's server binaries, installing Debian's postgresql when missing (through
 * scripts/ensure-postgres.mjs, which `npm test` also runs). Throws with the reason when impossible.
 */
export function ensurePostgresBinaries(): string {
  const script = path.join(projectRoot, 'scripts', 'ensure-postgres.mjs')
  try {
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    return out.trim().split('\n').at(-1)!
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim()
    throw new Error(`PostgreSQL is not available: ${stderr || (error as Error).message}`)
  }
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]
}

async function pgRun(binDir: string, program: string, args: string[]): Promise<void> {
  const [command, fullArgs] = asPostgresUser(path.join(binDir, program), args)
  try {
    await run(command, fullArgs, { cwd: os.tmpdir() })
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string }
    throw new Error(`${program} failed: ${(stderr || stdout || (error as Error).message).trim()}`)
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** The URL of another database on the same server. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/** Runs one statement on its own connection (CREATE DATABASE cannot run inside a pool's transaction). */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

let databaseCounter = 0

/** CREATE DATABASE … TEMPLATE …: a copy of a migrated template costs a few milliseconds. */
export async function createDatabase(adminUrl: string, name?: string, template = 'template1'): Promise<string> {
  const database = name ?? `huigao_test_${process.pid}_${++databaseCounter}_${Math.random().toString(36).slice(2, 8)}`
  if (!/^[a-z0-9_]+$/.test(database) || !/^[a-z0-9_]+$/.test(template)) throw new Error(`bad database name ${database}`)
  await adminQuery(adminUrl, `CREATE DATABASE ${database} TEMPLATE ${template}`)
  return databaseUrl(adminUrl, database)
}

export interface StartOptions {
  /** Stop the cluster when this process exits (default true). Off when other processes share it. */
  stopOnExit?: boolean
  /** Called with the files before the server starts, so a crash after this point can still be cleaned up. */
  onFiles?: (files: TestClusterFiles) => Promise<void> | void
}

/**
 * Starts a throwaway cluster. Durability settings are off (fsync, synchronous_commit): the tests kill
 * Huigao processes, never this server, and the machine is shared.
 */
export async function startTestPostgres(options: StartOptions = {}): Promise<TestPostgres> {
  const binDir = ensurePostgresBinaries()
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'huigao-pg-'))
  const files = { binDir, root }
  await options.onFiles?.(files)
  try {
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
      await fs.chown(root, uid, gid)
    }
    const dataDir = path.join(root, 'data')
    await pgRun(binDir, 'initdb', ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
    const port = await startServer(files)
    const adminUrl = `postgresql://${SUPERUSER}@127.0.0.1:${port}/postgres`
    const stopOnExit = options.stopOnExit ?? true
    const onExit = () => stopTestPostgresSync(files)
    if (stopOnExit) process.once('exit', onExit)
    return {
      ...files,
      adminUrl,
      createDatabase: (name, template) => createDatabase(adminUrl, name, template),
      stop: async () => {
        if (stopOnExit) process.off('exit', onExit)
        await stopTestPostgres(files)
      },
    }
  } catch (error) {
    await stopTestPostgres(files)
    throw error
  }
}

/** Picks a free port and starts; another process may take the port in between, so it tries again. */
async function startServer({ binDir, root }: TestClusterFiles): Promise<number> {
  let lastError: Error | undefined
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const settings = [
      `-p ${port}`,
      '-h 127.0.0.1',
      `-k ${root}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
      '-c shared_buffers=32MB',
    ].join(' ')
    try {
      await pgRun(binDir, 'pg_ctl', ['-D', path.join(root, 'data'), '-l', path.join(root, 'server.log'), '-w', '-t', '120', '-o', settings, 'start'])
      return port
    } catch (error) {
      const log = await fs.readFile(path.join(root, 'server.log'), 'utf8').catch(() => '')
      lastError = new Error(`${(error as Error).message}\n${log.split('\n').slice(-5).join('\n')}`)
      if (!/already in use|could not (bind|create)/i.test(log)) break
    }
  }
  throw lastError!
}

/** Stops the server at once (nothing in it is worth keeping) and removes its files. */
export async function stopTestPostgres({ binDir, root }: TestClusterFiles): Promise<void> {
  const dataDir = path.join(root, 'data')
  if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
    await pgRun(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined)
  }
  await fs.rm(root, { recursive: true, force: true })
}

function stopTestPostgresSync({ binDir, root }: TestClusterFiles): void {
  const dataDir = path.join(root, 'data')
  try {
    if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
      const [command, args] = asPostgresUser(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'])
      execFileSync(command, args, { stdio: 'ignore', cwd: os.tmpdir() })
    }
  } catch {
    // already stopped
  }
  execFileSync('rm', ['-rf', root])
}
