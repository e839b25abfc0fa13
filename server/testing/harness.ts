/**
 * Test helpers for the server: temp data directories, servers on free ports, stock y-websocket
 * clients and raw WebSocket clients, all torn down by `TestContext.cleanup()` (last in, first out).
 */
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CONTENT_FRAGMENT, yDocToNode } from '../../shared/editor/lib/ydoc'
import { createHuigaoServer, type HuigaoServer } from '../app'
import type { HuigaoConfig } from '../config'
import { DocumentStore } from '../storage/DocumentStore'

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `condition` until it holds; fails with `message` (or the last error thrown) after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  message = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      if (await condition()) return
      lastError = undefined
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}${lastError ? `: ${String(lastError)}` : ''}`)
    }
    await sleep(20)
  }
}

/** Rejects if `promise` does not settle within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

export interface RunningServer {
  server: HuigaoServer
  config: HuigaoConfig
  port: number
  /** http://127.0.0.1:<port> */
  base: string
  /** ws://127.0.0.1:<port>/collab */
  collabUrl: string
  /** Graceful shutdown (what SIGTERM does); safe to call more than once. */
  close(): Promise<void>
}

export interface ProviderHandle {
  provider: WebsocketProvider
  doc: Y.Doc
  destroy(): void
}

/** Owns everything a test starts and tears it down in reverse order. */
export class TestContext {
  private readonly cleanups: Array<() => unknown> = []

  defer(cleanup: () => unknown): void {
    this.cleanups.push(cleanup)
  }

  async cleanup(): Promise<void> {
    const errors: unknown[] = []
    while (this.cleanups.length > 0) {
      const cleanup = this.cleanups.pop()!
      try {
        await within(Promise.resolve().then(cleanup), 15_000, 'cleanup step')
      } catch (error) {
        errors.push(error)
      }
    }
    if (errors.length > 0) throw errors[0]
  }

  async tempDir(prefix = 'huigao-test-'): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix))
    this.defer(() => fs.rm(dir, { recursive: true, force: true }))
    return dir
  }

  config(dataDir: string, overrides: Partial<HuigaoConfig> = {}): HuigaoConfig {
    return {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      clientDir: path.join(dataDir, '__no_client__'),
      unloadDelayMs: 200,
      flushIntervalMs: 50,
      compactAfterBytes: 4 * 1024 * 1024,
      maxMessageBytes: 32 * 1024 * 1024,
      heartbeatMs: 30_000,
      seedSample: false,
      ...overrides,
    }
  }

  /** Starts a server on a free port; a fresh temp DATA_DIR unless `dataDir` is given. */
  async startServer(overrides: Partial<HuigaoConfig> = {}, dataDir?: string): Promise<RunningServer> {
    const config = this.config(dataDir ?? (await this.tempDir()), overrides)
    const server = await createHuigaoServer(config)
    let closing: Promise<void> | null = null
    const close = () => (closing ??= server.close())
    this.defer(close)
    const port = await server.listen()
    return {
      server,
      config,
      port,
      base: `http://127.0.0.1:${port}`,
      collabUrl: `ws://127.0.0.1:${port}/collab`,
      close,
    }
  }

  /** A stock y-websocket client (BroadcastChannel disabled so that only the server connects clients). */
  provider(collabUrl: string, documentId: string, doc = new Y.Doc(), options: { connect?: boolean } = {}): ProviderHandle {
    const provider = new WebsocketProvider(collabUrl, documentId, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 300,
      connect: options.connect ?? true,
    })
    let destroyed = false
    const destroy = () => {
      if (destroyed) return
      destroyed = true
      provider.destroy()
      doc.destroy()
    }
    this.defer(destroy)
    return { provider, doc, destroy }
  }

  /** A provider that has completed its first sync. */
  async syncedProvider(collabUrl: string, documentId: string, doc = new Y.Doc()): Promise<ProviderHandle> {
    const handle = this.provider(collabUrl, documentId, doc)
    await waitFor(() => handle.provider.synced, 10_000, `provider for ${documentId} to sync`)
    return handle
  }

  raw(url: string, options?: WebSocket.ClientOptions): RawClient {
    const client = new RawClient(url, options)
    this.defer(() => client.terminate())
    return client
  }
}

export interface CloseInfo {
  code: number
  reason: string
}

/** A bare `ws` client that records everything it receives. */
export class RawClient {
  readonly ws: WebSocket
  readonly messages: Uint8Array[] = []
  readonly textMessages: string[] = []
  closeInfo: CloseInfo | null = null
  unexpected: { status: number; body: string } | null = null
  error: Error | null = null
  readonly opened: Promise<void>
  readonly closed: Promise<CloseInfo>
  readonly refused: Promise<{ status: number; body: string }>

  constructor(url: string, options?: WebSocket.ClientOptions) {
    this.ws = new WebSocket(url, options)
    this.ws.binaryType = 'arraybuffer'
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve())
      this.ws.once('close', () => reject(new Error('closed before opening')))
    })
    this.opened.catch(() => undefined)
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() }
        resolve(this.closeInfo)
      })
    })
    this.refused = new Promise((resolve) => {
      this.ws.on('unexpected-response', (request, response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (body += chunk))
        response.on('end', () => {
          this.unexpected = { status: response.statusCode ?? 0, body }
          resolve(this.unexpected)
          request.destroy()
        })
      })
    })
    this.ws.on('error', (error) => {
      this.error = error
    })
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) this.messages.push(new Uint8Array(data as ArrayBuffer))
      else this.textMessages.push(String(data))
    })
  }

  send(data: Uint8Array | string): void {
    this.ws.send(data)
  }

  terminate(): void {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate()
  }
}

/** Appends a paragraph to the editor fragment, the way the Tiptap collaboration binding would. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph')
    doc.getXmlFragment(CONTENT_FRAGMENT).push([paragraph])
    const content = new Y.XmlText()
    paragraph.push([content])
    content.insert(0, text)
  })
}

/** The plain text of the editor content, read exactly as the editor would see it. */
export function docText(doc: Y.Doc): string {
  return yDocToNode(doc).textContent
}

export function docFromUpdate(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return doc
}

export const stateFilePath = (dataDir: string, id: string) => path.join(dataDir, 'documents', `${id}.json`)
export const logFilePath = (dataDir: string, id: string) => path.join(dataDir, 'documents', `${id}.log`)

/** The document stored in a state file (compacted state only, without the log). */
export async function readStateFile(dataDir: string, id: string): Promise<Y.Doc> {
  const stored = JSON.parse(await fs.readFile(stateFilePath(dataDir, id), 'utf8')) as { state: string }
  return docFromUpdate(new Uint8Array(Buffer.from(stored.state, 'base64')))
}

/**
 * What a restarted server would load (state file + log replayed), read from a copy of the files so
 * that a live server's log is never touched (replaying truncates a torn tail in place).
 */
export async function loadFromDisk(dataDir: string, id: string): Promise<Y.Doc> {
  const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'huigao-copy-'))
  try {
    await fs.mkdir(path.join(copy, 'documents'))
    for (const file of [stateFilePath(dataDir, id), logFilePath(dataDir, id)]) {
      await fs.copyFile(file, path.join(copy, 'documents', path.basename(file))).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      })
    }
    const store = new DocumentStore(copy, { flushIntervalMs: 10_000, compactAfterBytes: Number.MAX_SAFE_INTEGER })
    const doc = new Y.Doc()
    await store.open(id, doc)
    return doc
  } finally {
    await fs.rm(copy, { recursive: true, force: true })
  }
}

/** Size of a document's update log; 0 when it does not exist. */
export async function logSize(dataDir: string, id: string): Promise<number> {
  const file = logFilePath(dataDir, id)
  if (!existsSync(file)) return 0
  return (await fs.stat(file)).size
}

export interface ApiResponse<T = any> {
  status: number
  body: T
  contentType: string | null
}

/** A JSON API call; `rawBody` is sent as is (with `contentType`) instead of JSON-encoding `json`. */
export async function api<T = any>(
  base: string,
  method: string,
  route: string,
  options: { json?: unknown; rawBody?: string; contentType?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {}
  let body: string | undefined
  if (options.rawBody !== undefined) {
    body = options.rawBody
    headers['content-type'] = options.contentType ?? 'application/json'
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    headers['content-type'] = 'application/json'
  }
  const response = await fetch(`${base}${route}`, { method, headers, body })
  const text = await response.text()
  let parsed: unknown = text
  if (text.length > 0 && response.headers.get('content-type')?.includes('json')) parsed = JSON.parse(text)
  return { status: response.status, body: parsed as T, contentType: response.headers.get('content-type') }
}

export async function createDocument(
  base: string,
  title: string,
  text?: string,
): Promise<{ id: string; title: string; createdAt: string; updatedAt: string }> {
  const response = await api(base, 'POST', '/api/documents', { json: text === undefined ? { title } : { title, text } })
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`)
  return response.body
}
