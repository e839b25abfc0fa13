// nginx for the cluster tests and the W8 benchmark: the shipped deploy/nginx/huigao.conf with the test's
// upstream ports, on 127.0.0.1 on a free port, with its own prefix, pid, logs and temporary files (nothing
// of the machine's nginx is used or touched). Stopped by whoever started it, and on process exit.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../postgres/testPostgres'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const SHIPPED_CONFIG = path.join(projectRoot, 'deploy', 'nginx', 'huigao.conf')
const UPSTREAM_SERVER_LINE = /^\s*server 127\.0\.0\.1:\d+ [^;\n]*;\n/gm

/** The nginx binary, installed with apt-get when missing (scripts/ensure-nginx.mjs); throws with the reason. */
export function ensureNginxBinary(): string {
  try {
    const out = execFileSync(process.execPath, [path.join(projectRoot, 'scripts', 'ensure-nginx.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    return out.trim().split('\n').at(-1)!
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim()
    throw new Error(`nginx is not available: ${stderr.split('\n').slice(-3).join(' ') || (error as Error).message}`)
  }
}

/**
 * The shipped config with other upstream ports and listen address. Throws if the file no longer has
 * the lines this replaces, so the tests can never run a config other than the one shipped.
 */
export function renderConfig(template: string, upstreamPorts: readonly number[], listen: string): string {
  if (upstreamPorts.length === 0) throw new Error('nginx needs at least one upstream')
  const servers = template.match(UPSTREAM_SERVER_LINE)
  if (!servers) throw new Error(`${SHIPPED_CONFIG}: no "server 127.0.0.1:<port> …;" lines in the upstream`)
  const options = servers[0].trim().replace(/^server 127\.0\.0\.1:\d+ /, '')
  let first = true
  const rendered = template.replace(UPSTREAM_SERVER_LINE, () => {
    if (!first) return ''
    first = false
    return upstreamPorts.map((port) => `    server 127.0.0.1:${port} ${options}\n`).join('')
  })
  if (!/^\s*listen 80;$/m.test(rendered)) throw new Error(`${SHIPPED_CONFIG}: no "listen 80;" line`)
  return rendered.replace(/^(\s*)listen 80;$/m, `$1listen ${listen};`)
}

export interface RunningNginx {
  port: number
  /** http://127.0.0.1:<port> */
  url: string
  prefix: string
  /** Points the upstream at other processes (graceful reload: open connections stay). */
  setUpstreams(ports: readonly number[]): Promise<void>
  /** nginx's error log (why a request failed). */
  errorLog(): string
  stop(): Promise<void>
}

function mainConfig(prefix: string): string {
  return `worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 16384; }
http {
    access_log ${prefix}/access.log;
    client_body_temp_path ${prefix}/tmp/body;
    proxy_temp_path ${prefix}/tmp/proxy;
    fastcgi_temp_path ${prefix}/tmp/fastcgi;
    uwsgi_temp_path ${prefix}/tmp/uwsgi;
    scgi_temp_path ${prefix}/tmp/scgi;
    include ${prefix}/huigao.conf;
}
`
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

/** Starts nginx in front of `upstreamPorts`; resolves once it accepts connections. */
export async function startNginx(upstreamPorts: readonly number[]): Promise<RunningNginx> {
  const binary = ensureNginxBinary()
  const template = readFileSync(SHIPPED_CONFIG, 'utf8')
  const prefix = await fs.mkdtemp(path.join(os.tmpdir(), 'huigao-nginx-'))
  // Workers run as an unprivileged user when started as root: they must be able to write here.
  await fs.chmod(prefix, 0o777)
  await fs.mkdir(path.join(prefix, 'tmp'), { mode: 0o777 })
  await fs.writeFile(path.join(prefix, 'nginx.conf'), mainConfig(prefix))
  let lastError: Error | undefined
  // Another process may take the free port before nginx binds it: try again on another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    let upstreams = [...upstreamPorts]
    const write = () => fs.writeFile(path.join(prefix, 'huigao.conf'), renderConfig(template, upstreams, `127.0.0.1:${port}`))
    await write()
    const child = spawn(binary, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', path.join(prefix, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout!.on('data', (chunk) => (output += chunk))
    child.stderr!.on('data', (chunk) => (output += chunk))
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const onExit = () => child.kill('SIGKILL')
    process.once('exit', onExit)
    const started = await waitUntilListening(child, port)
    if (started) {
      const errorLog = () => readFileSafe(path.join(prefix, 'error.log'))
      return {
        port,
        url: `http://127.0.0.1:${port}`,
        prefix,
        errorLog,
        setUpstreams: async (ports) => {
          upstreams = [...ports]
          await write()
          execFileSync(binary, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', path.join(prefix, 'error.log'), '-t'], { stdio: 'ignore' })
          child.kill('SIGHUP')
          // The new workers have the new upstreams once the old ones are told to leave; give them that moment.
          await new Promise((resolve) => setTimeout(resolve, 500))
        },
        stop: async () => {
          process.off('exit', onExit)
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM')
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
            await exited
            clearTimeout(timer)
          }
          await fs.rm(prefix, { recursive: true, force: true })
        },
      }
    }
    process.off('exit', onExit)
    child.kill('SIGKILL')
    await exited
    lastError = new Error(`nginx did not start: ${output.trim() || readFileSafe(path.join(prefix, 'error.log'))}`)
    if (!/Address already in use/.test(lastError.message)) break
  }
  await fs.rm(prefix, { recursive: true, force: true })
  throw lastError!
}

async function waitUntilListening(child: ChildProcess, port: number): Promise<boolean> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false
    if (await canConnect(port)) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}
