import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { buildServer } from '../../scripts/build-server.mjs'
import { createHuigaoServer } from '../app'
import { DEFAULT_PASSWORD_HASHING, hashPassword } from '../accounts/passwords'
import { TEST_USER_PASSWORD, TestContext, api, createDocument, sleep, waitFor } from '../testing/harness'

const ctx = new TestContext()
afterEach(async () => {
  vi.restoreAllMocks()
  await ctx.cleanup()
})

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * Records, in order, every fsync (with the path the handle was opened with) and every rename made
 * through node:fs/promises while `run` runs.
 */
async function recordFileOps(run: () => Promise<void>): Promise<string[]> {
  const ops: string[] = []
  const probe = await fs.open(path.join(root, 'package.json'), 'r')
  const handleProto = Object.getPrototypeOf(probe) as { sync: () => Promise<void>; datasync: () => Promise<void> }
  await probe.close()
  const paths = new WeakMap<object, string>()
  const realOpen = fs.open.bind(fs)
  const realRename = fs.rename.bind(fs)
  const { sync, datasync } = handleProto
  vi.spyOn(fs, 'open').mockImplementation(async (file, ...rest) => {
    const handle = await realOpen(file, ...(rest as [string]))
    paths.set(handle, String(file))
    return handle
  })
  vi.spyOn(handleProto, 'sync').mockImplementation(function (this: object) {
    ops.push(`fsync ${paths.get(this)}`)
    return sync.call(this)
  })
  vi.spyOn(handleProto, 'datasync').mockImplementation(function (this: object) {
    ops.push(`fsync ${paths.get(this)}`)
    return datasync.call(this)
  })
  vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
    ops.push(`rename ${String(from)} -> ${String(to)}`)
    return realRename(from, to)
  })
  try {
    await run()
  } finally {
    vi.restoreAllMocks()
  }
  return ops
}

/** The file was replaced durably: its temp file fsynced, renamed over it, then the directory fsynced. */
function expectDurableReplace(ops: string[], file: string): void {
  const renamed = ops.findIndex((op) => op.startsWith('rename ') && op.endsWith(`-> ${file}`))
  expect(renamed, `no rename onto ${file} in:\n${ops.join('\n')}`).toBeGreaterThanOrEqual(0)
  const tmp = ops[renamed].slice('rename '.length, ops[renamed].indexOf(' -> '))
  expect(ops.slice(0, renamed), `the temp file of ${file} is fsynced before the rename`).toContain(`fsync ${tmp}`)
  expect(ops.slice(renamed + 1), `the directory of ${file} is fsynced after the rename`).toContain(`fsync ${path.dirname(file)}`)
}

describe('every JSON store is written durably (finding 6)', () => {
  it('catalog, accounts (with sessions) and versions: temp file, fsync, rename, fsync of the directory', async () => {
    const running = await ctx.startServer()
    const dataDir = running.config.dataDir
    let documentId = ''
    const ops = await recordFileOps(async () => {
      documentId = (await createDocument(running, '落盘')).id
      await running.createUser('alice')
      expect((await api(running, 'POST', `/api/documents/${documentId}/versions`, { json: { name: '第一版' } })).status).toBe(201)
    })
    expectDurableReplace(ops, path.join(dataDir, 'catalog.json'))
    expectDurableReplace(ops, path.join(dataDir, 'accounts.json'))
    expectDurableReplace(ops, path.join(dataDir, 'documents', `${documentId}.versions.json`))
  })
})

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

interface Child {
  process: ChildProcess
  output: () => string
  exited: Promise<number | null>
  port: number
}

/** The server as `npm start` runs it (built here when its sources changed). */
async function startProcess(dataDir: string, port: number): Promise<Child> {
  const child = spawn(process.execPath, ['--enable-source-maps', await buildServer()], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD: 'admin-password-1', SEED_SAMPLE: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  ctx.defer(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
  })
  return { process: child, output: () => output, exited, port }
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/api/health`)).ok
  } catch {
    return false
  }
}

describe('one process per data directory (finding 6)', () => {
  it('a second server on the same DATA_DIR refuses to start, naming the lock and the process holding it; a dead holder\'s lock is taken over', async () => {
    const dataDir = await ctx.tempDir()
    const first = await startProcess(dataDir, await freePort())
    await waitFor(() => healthy(first.port), 90_000, 'the first server')

    const second = await startProcess(dataDir, await freePort())
    expect(await second.exited).not.toBe(0)
    expect(second.output()).toContain(path.join(dataDir, 'huigao.lock'))
    expect(second.output()).toContain(String(first.process.pid))
    expect(await healthy(second.port)).toBe(false)
    expect(await healthy(first.port)).toBe(true)

    // In this process too (two servers in one process would write the same files just as well).
    await expect(createHuigaoServer(ctx.config(dataDir))).rejects.toThrow(/huigao\.lock/)

    // kill -9 leaves the lock file behind; its process is gone, so the next start takes it over.
    first.process.kill('SIGKILL')
    await first.exited
    const third = await startProcess(dataDir, await freePort())
    await waitFor(() => healthy(third.port), 90_000, 'the third server')
    third.process.kill('SIGTERM')
    expect(await third.exited).toBe(0)
    // A clean stop releases the lock: an in-process server starts on the directory now.
    const running = await ctx.startServer({ adminPassword: 'admin-password-1' }, dataDir)
    await running.close()
  }, 300_000)
})

describe('password hashing (finding 6)', () => {
  it('the production default is scrypt N = 2^17, r = 8, p = 1, stored with its parameters', async () => {
    expect(DEFAULT_PASSWORD_HASHING).toEqual({ log2N: 17, r: 8, p: 1 })
    const stored = await hashPassword('生产环境的口令')
    expect(stored).toMatch(/^scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
  })

  it('an account with an old N = 2^14 hash signs in, and its stored hash is upgraded to the default', async () => {
    const dataDir = await ctx.tempDir()
    const first = await ctx.startServer({}, dataDir)
    await first.createUser('alice')
    await first.close()
    // The hash format and cost of earlier releases: scrypt$<salt>$<hash>, N = 2^14.
    const { scryptSync, randomBytes } = await import('node:crypto')
    const salt = randomBytes(16)
    const oldHash = `scrypt$${salt.toString('base64')}$${scryptSync(TEST_USER_PASSWORD, salt, 64, { N: 16384, r: 8, p: 1 }).toString('base64')}`
    const accountsFile = path.join(dataDir, 'accounts.json')
    const accounts = JSON.parse(await fs.readFile(accountsFile, 'utf8'))
    accounts.users.find((user: { username: string }) => user.username === 'alice').passwordHash = oldHash
    await fs.writeFile(accountsFile, JSON.stringify(accounts))

    // The production default (no test override of the cost).
    const running = await ctx.startServer({ passwordHashing: undefined }, dataDir)
    await running.login('alice', TEST_USER_PASSWORD)
    await sleep(50)
    const stored = JSON.parse(await fs.readFile(accountsFile, 'utf8')).users.find((user: { username: string }) => user.username === 'alice').passwordHash
    expect(stored).toMatch(/^scrypt\$ln=17,r=8,p=1\$/)
    expect(stored).not.toBe(oldHash)
    // And the upgraded hash works.
    await running.login('alice', TEST_USER_PASSWORD)
  })
})
