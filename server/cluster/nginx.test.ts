import { existsSync, readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { ensureNginxBinary, renderConfig, SHIPPED_CONFIG, startNginx, type RunningNginx } from './nginx'

describe('the shipped nginx config', () => {
  const template = readFileSync(SHIPPED_CONFIG, 'utf8')

  it('renders with other upstream ports and a listen address, changing nothing else', () => {
    const rendered = renderConfig(template, [4101, 4102], '127.0.0.1:4100')
    expect(rendered).toContain('    server 127.0.0.1:4101 max_fails=1 fail_timeout=2s;\n    server 127.0.0.1:4102 max_fails=1 fail_timeout=2s;\n')
    expect(rendered).not.toMatch(/:300[123]/)
    expect(rendered).toMatch(/^\s*listen 127\.0\.0\.1:4100;$/m)
    const withoutChanged = (text: string) => text.replace(/^[ \t]*(server 127\.0\.0\.1:\d+|listen) .*\n/gm, '')
    expect(withoutChanged(rendered)).toBe(withoutChanged(template))
    expect(rendered).toContain('hash $huigao_document consistent;')
  })

  it('refuses a config without the lines it replaces', () => {
    expect(() => renderConfig(template.replace(/listen 80;/, 'listen 8080;'), [1], '127.0.0.1:2')).toThrow(/listen 80/)
    expect(() => renderConfig('upstream huigao {}', [1], '127.0.0.1:2')).toThrow(/server 127/)
  })
})

let skipReason: string | undefined
try {
  ensureNginxBinary()
} catch (error) {
  skipReason = (error as Error).message
  console.warn(`nginx tests skipped: ${skipReason}`)
}

/** A stand-in Huigao process: answers who it is and what it was asked, over HTTP and WebSocket. */
async function upstream(name: string) {
  const server = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify({ name, url: req.url, host: req.headers.host, forwardedFor: req.headers['x-forwarded-for'], forwardedProto: req.headers['x-forwarded-proto'] }))
  })
  const wss = new WebSocketServer({ server })
  wss.on('connection', (ws, req) => ws.send(JSON.stringify({ name, url: req.url })))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    name,
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const client of wss.clients) client.terminate()
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

describe.skipIf(skipReason !== undefined)('nginx in front of several processes (hash of the document id)', () => {
  let upstreams: Awaited<ReturnType<typeof upstream>>[]
  let nginx: RunningNginx
  beforeAll(async () => {
    upstreams = await Promise.all(['p1', 'p2', 'p3'].map(upstream))
    nginx = await startNginx(upstreams.map((u) => u.port))
  }, 60_000)
  afterAll(async () => {
    await nginx?.stop()
    await Promise.all(upstreams.map((u) => u.close()))
  })

  const served = async (route: string) => (await (await fetch(`${nginx.url}${route}`)).json()) as { name: string; host: string; forwardedFor: string; forwardedProto: string; url: string }
  const viaWebSocket = (route: string) =>
    new Promise<{ name: string; url: string }>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${nginx.port}${route}`)
      ws.once('message', (data) => (ws.close(), resolve(JSON.parse(String(data)))))
      ws.once('error', reject)
    })
  const ids = Array.from({ length: 24 }, (_, i) => `doc-${i}-${'x'.repeat(i % 5)}`)

  it('runs on 127.0.0.1 with its own files, none of the machine nginx', () => {
    expect(existsSync(`${nginx.prefix}/nginx.pid`)).toBe(true)
    expect(readFileSync(`${nginx.prefix}/huigao.conf`, 'utf8')).toContain(`listen 127.0.0.1:${nginx.port};`)
  })

  it('sends the sync socket and the API of one document to the same process, and spreads documents over all', async () => {
    const owners = new Map<string, string>()
    for (const id of ids) {
      const socket = await viaWebSocket(`/collab/${id}`)
      expect(socket.url).toBe(`/collab/${id}`)
      for (const route of [`/api/documents/${id}`, `/api/documents/${id}/versions`, `/api/documents/${id}/export?format=docx`]) {
        expect((await served(route)).name, route).toBe(socket.name)
      }
      owners.set(id, socket.name)
    }
    expect(new Set(owners.values()).size).toBe(3)
  })

  it('passes the Host with its port and the X-Forwarded headers (the Origin check and throttling need them)', async () => {
    const answer = await served('/api/health')
    expect(answer.host).toBe(`127.0.0.1:${nginx.port}`)
    expect(answer.forwardedFor).toBe('127.0.0.1')
    expect(answer.forwardedProto).toBe('http')
  })

  it('when a process dies only its documents move, and they move at once', async () => {
    const before = new Map<string, string>()
    for (const id of ids) before.set(id, (await served(`/api/documents/${id}`)).name)
    const dead = upstreams[0]
    await dead.close()
    try {
      for (const id of ids) {
        const now = (await viaWebSocket(`/collab/${id}`)).name
        if (before.get(id) === dead.name) expect(now).not.toBe(dead.name)
        else expect(now, id).toBe(before.get(id))
      }
    } finally {
      upstreams[0] = await upstream(dead.name)
      await nginx.setUpstreams(upstreams.map((u) => u.port))
    }
  })
})
