/**
 * Test helpers for the server: temp data directories, servers on free ports, stock y-websocket
 * clients and raw WebSocket clients, all torn down by `TestContext.cleanup()` (last in, first out).
 */
import { existsSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import pg from 'pg'
import WebSocket from 'ws'
import { readAuthMessage } from 'y-protocols/auth'
import * as syncProtocol from 'y-protocols/sync'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CONTENT_FRAGMENT, yDocToNode } from '../../shared/editor/lib/ydoc'
import { createHuigaoServer, type HuigaoServer } from '../app'
import type { CollabServer } from '../collab/CollabServer'
import { SESSION_COOKIE } from '../accounts/cookies'
import { TEST_PASSWORD_HASHING } from '../accounts/passwords'
import type { HuigaoConfig } from '../config'
import { readStoredState } from '../storage/DocumentStateFile'
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

/** The administrator's password in test servers (config.adminPassword). */
export const TEST_ADMIN_PASSWORD = 'test-admin-password'
/** The password `RunningServer.createUser` gives new accounts unless told otherwise. */
export const TEST_USER_PASSWORD = 'user-password-1'

export interface SessionUser {
  id: string
  username: string
  displayName: string
  isAdmin: boolean
}

/** A signed-in person on one server: what `api`, `createDocument`, `ctx.provider` and `ctx.rawFor` take. */
export interface Session {
  /** http://127.0.0.1:<port> */
  base: string
  /** ws://127.0.0.1:<port>/collab */
  collabUrl: string
  /** The Cookie header value (`huigao_session=<token>`). */
  cookie: string
  user: SessionUser
}

/** A running server, itself usable as the administrator's session (signed in when it started). */
export interface RunningServer extends Session {
  server: HuigaoServer
  config: HuigaoConfig
  port: number
  /** Graceful shutdown (what SIGTERM does); safe to call more than once. */
  close(): Promise<void>
  /** Signs in; throws unless the server answers 200. */
  login(username: string, password: string): Promise<Session>
  /** Creates an account through the admin API and signs it in. */
  createUser(username: string, options?: { displayName?: string; password?: string; isAdmin?: boolean }): Promise<Session>
}

/** The `name=value` pair of the session cookie in a response, for sending back in a Cookie header. */
export function sessionCookieOf(headers: Headers): string | null {
  for (const line of headers.getSetCookie()) {
    const pair = line.split(';')[0].trim()
    if (pair.startsWith(`${SESSION_COOKIE}=`) && pair.length > SESSION_COOKIE.length + 1) return pair
  }
  return null
}

/** Signs in and returns the Cookie header value; throws unless the server answers 200. */
export async function login(base: string, username: string, password: string): Promise<string> {
  return (await loginSession(base, username, password)).cookie
}

async function loginSession(base: string, username: string, password: string): Promise<Session> {
  const response = await api(base, 'POST', '/api/login', { json: { username, password } })
  const cookie = sessionCookieOf(response.headers)
  if (response.status !== 200 || !cookie) throw new Error(`login as ${username} failed: ${response.status} ${JSON.stringify(response.body)}`)
  return { base, collabUrl: `${base.replace(/^http/, 'ws')}/collab`, cookie, user: response.body as SessionUser }
}

/** The same session (cookie) against another server, e.g. one restarted on the same DATA_DIR. */
export function sessionOn(session: Session, running: Pick<Session, 'base' | 'collabUrl'>): Session {
  return { ...session, base: running.base, collabUrl: running.collabUrl }
}

/** A `ws` WebSocket class that sends `cookie` (and `headers`) with its upgrade, for y-websocket's WebSocketPolyfill. */
export function webSocketWithHeaders(headers: Record<string, string>): new (address: string | URL, protocols?: string | string[]) => WebSocket {
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[], options?: WebSocket.ClientOptions) {
      super(address, protocols ?? [], { ...options, headers: { ...options?.headers, ...headers } })
    }
  }
}

export interface ProviderHandle {
  provider: WebsocketProvider
  doc: Y.Doc
  destroy(): void
}

let defaultDatabase: (() => Promise<string>) | undefined

/** From now on, TestContexts made without options start servers on PostgreSQL (see server/postgres/backendSetup.ts). */
export function useDatabaseForTestServers(database: () => Promise<string>): void {
  defaultDatabase = database
}

/** Owns everything a test starts and tears it down in reverse order. */
export class TestContext {
  private readonly cleanups: Array<() => unknown> = []
  /** The database of each data directory, so that a restart on the same directory finds its data. */
  private readonly databases = new Map<string, string>()

  /** `database`: servers keep accounts, the catalog and versions in PostgreSQL, a fresh database per data directory. */
  constructor(private readonly options: { database?: () => Promise<string> } = { database: defaultDatabase }) {}

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
      adminPassword: TEST_ADMIN_PASSWORD,
      sessionIdleMs: 12 * 3_600_000,
      // Fast hashing for tests (each sign-in would cost ~0.5 s of CPU at the default); one test proves the default.
      passwordHashing: TEST_PASSWORD_HASHING,
      ...overrides,
    }
  }

  /**
   * Starts a server on a free port (a fresh temp DATA_DIR unless `dataDir` is given) and signs in as
   * the administrator (with the password of the first start: config.adminPassword or the generated one).
   */
  async startServer(overrides: Partial<HuigaoConfig> = {}, dataDir?: string): Promise<RunningServer> {
    const config = this.config(dataDir ?? (await this.tempDir()), overrides)
    if (this.options.database && !('databaseUrl' in overrides)) {
      let databaseUrl = this.databases.get(config.dataDir)
      if (!databaseUrl) this.databases.set(config.dataDir, (databaseUrl = await this.options.database()))
      config.databaseUrl = databaseUrl
    }
    const server = await createHuigaoServer(config)
    let closing: Promise<void> | null = null
    const close = () => (closing ??= server.close())
    this.defer(close)
    const port = await server.listen()
    const base = `http://127.0.0.1:${port}`
    // The administrator keeps the password of the first start: the generated one if there was no ADMIN_PASSWORD then.
    const generated = path.join(config.dataDir, 'initial-admin-password')
    const adminPassword = existsSync(generated) ? (await fs.readFile(generated, 'utf8')).trim() : (config.adminPassword ?? '')
    const admin = await loginSession(base, 'admin', adminPassword)
    const running: RunningServer = {
      ...admin,
      server,
      config,
      port,
      close,
      login: (username, password) => loginSession(base, username, password),
      createUser: async (username, options = {}) => {
        const password = options.password ?? TEST_USER_PASSWORD
        const created = await api(running, 'POST', '/api/users', {
          json: { username, displayName: options.displayName ?? username, password, isAdmin: options.isAdmin ?? false },
        })
        if (created.status !== 201) throw new Error(`creating user ${username} failed: ${created.status} ${JSON.stringify(created.body)}`)
        return loginSession(base, username, password)
      },
    }
    return running
  }

  /**
   * A stock y-websocket client (BroadcastChannel disabled so that only the server connects clients).
   * Given a session it connects with that session's cookie; given a URL, with no cookie.
   */
  provider(target: string | Session, documentId: string, doc = new Y.Doc(), options: { connect?: boolean; headers?: Record<string, string> } = {}): ProviderHandle {
    const collabUrl = typeof target === 'string' ? target : target.collabUrl
    const headers = { ...(typeof target === 'string' ? {} : { cookie: target.cookie }), ...options.headers }
    const provider = new WebsocketProvider(collabUrl, documentId, doc, {
      WebSocketPolyfill: webSocketWithHeaders(headers) as unknown as typeof globalThis.WebSocket,
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
  async syncedProvider(target: string | Session, documentId: string, doc = new Y.Doc()): Promise<ProviderHandle> {
    const handle = this.provider(target, documentId, doc)
    await waitFor(() => handle.provider.synced, 10_000, `provider for ${documentId} to sync`)
    return handle
  }

  raw(url: string, options?: WebSocket.ClientOptions): RawClient {
    const client = new RawClient(url, options)
    this.defer(() => client.terminate())
    return client
  }

  /** Serves a bare sync core (no API) on a free port; returns the base URL of its /collab endpoint. */
  async serveCollab(collab: CollabServer): Promise<string> {
    const server = http.createServer((_req, res) => res.writeHead(404).end())
    server.on('upgrade', (request, socket, head) => {
      if (!collab.handleUpgrade(request, socket, head)) socket.destroy()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    this.defer(async () => {
      await collab.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
    return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/collab`
  }

  /** A raw client on a document, sending the session's cookie (and any other `options.headers`). */
  rawFor(session: Session, documentId: string, options: WebSocket.ClientOptions = {}): RawClient {
    return this.raw(`${session.collabUrl}/${documentId}`, { ...options, headers: { cookie: session.cookie, ...options.headers } })
  }

  /** A hand-written y-protocols client (no y-websocket) on a document, with the session's cookie. */
  yClient(session: Session, documentId: string): YClient {
    const client = new YClient(`${session.collabUrl}/${documentId}`, { headers: { cookie: session.cookie } })
    this.defer(() => client.destroy())
    return client
  }

  /** A yClient that has received the server's content (sync step 2). */
  async syncedYClient(session: Session, documentId: string): Promise<YClient> {
    const client = this.yClient(session, documentId)
    await waitFor(() => client.synced, 10_000, `raw client for ${documentId} to sync`)
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

/**
 * A minimal y-protocols client over a bare `ws` socket: syncs a local Y.Doc with the server and
 * sends every local change as a sync update, with no checks of its own (it does what a modified
 * browser could do). Records permission-denied messages and the close code.
 */
export class YClient {
  readonly doc = new Y.Doc()
  readonly raw: RawClient
  synced = false
  readonly permissionDenied: string[] = []

  constructor(url: string, options?: WebSocket.ClientOptions) {
    this.raw = new RawClient(url, options)
    this.raw.ws.on('open', () => this.send((encoder) => syncProtocol.writeSyncStep1(encoder, this.doc), 0))
    this.raw.ws.on('message', (data, isBinary) => {
      if (isBinary) this.receive(new Uint8Array(data as ArrayBuffer))
    })
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.sendUpdate(update)
    })
  }

  get closed(): Promise<CloseInfo> {
    return this.raw.closed
  }

  /** Sends an update as the y-websocket protocol's sync "update" message. */
  sendUpdate(update: Uint8Array): void {
    this.send((encoder) => syncProtocol.writeUpdate(encoder, update), 0)
  }

  destroy(): void {
    this.raw.terminate()
    this.doc.destroy()
  }

  private send(write: (encoder: encoding.Encoder) => void, messageType: number): void {
    if (this.raw.ws.readyState !== WebSocket.OPEN) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, messageType)
    write(encoder)
    this.raw.send(encoding.toUint8Array(encoder))
  }

  private receive(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data)
    const messageType = decoding.readVarUint(decoder)
    if (messageType === 0) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, 0)
      const step = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this)
      if (encoding.length(encoder) > 1) this.raw.send(encoding.toUint8Array(encoder))
      if (step === syncProtocol.messageYjsSyncStep2) this.synced = true
    } else if (messageType === 2) {
      readAuthMessage(decoder, this.doc, (_doc, reason) => this.permissionDenied.push(reason))
    }
  }
}

/** The XmlText inside the `index`-th top-level block (title = 0) of the editor content. */
export function blockText(doc: Y.Doc, index: number): Y.XmlText {
  const block = doc.getXmlFragment(CONTENT_FRAGMENT).get(index)
  if (!(block instanceof Y.XmlElement)) throw new Error(`block ${index} is not an element`)
  const text = block.get(0)
  if (!(text instanceof Y.XmlText)) throw new Error(`block ${index} (${block.nodeName}) has no text`)
  return text
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

export const stateFilePath = (dataDir: string, id: string) => path.join(dataDir, 'documents', `${id}.state`)
/** The state file of data directories from before chunked state files (lowdb JSON, base64). */
export const legacyStateFilePath = (dataDir: string, id: string) => path.join(dataDir, 'documents', `${id}.json`)
export const logFilePath = (dataDir: string, id: string) => path.join(dataDir, 'documents', `${id}.log`)

/** Runs one query on a server's PostgreSQL database (DATABASE_URL), on a connection of its own. */
async function queryDatabase<T extends pg.QueryResultRow>(databaseUrl: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return (await client.query<T>(sql, values)).rows
  } finally {
    await client.end()
  }
}

/** Ids of the documents whose content a server stores, whichever backend: files in DATA_DIR/documents or PostgreSQL rows. */
export async function storedDocumentIds(running: Pick<RunningServer, 'config'>): Promise<string[]> {
  const { databaseUrl, dataDir } = running.config
  if (databaseUrl) {
    const rows = await queryDatabase<{ id: string }>(databaseUrl, 'SELECT document_id AS id FROM document_states UNION SELECT document_id FROM document_updates')
    return rows.map((row) => row.id).sort()
  }
  const files = await fs.readdir(path.join(dataDir, 'documents')).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)))
  return [...new Set(files.map((file) => file.split('.')[0]))].sort()
}

/**
 * A document as a server stored it, whichever backend: its files (loadFromDisk) or its PostgreSQL rows
 * (compacted state, then the updates since), read without taking its lease. Empty when nothing is stored.
 */
export async function loadStored(running: Pick<RunningServer, 'config'>, id: string): Promise<Y.Doc> {
  const { databaseUrl, dataDir } = running.config
  if (!databaseUrl) return loadFromDisk(dataDir, id)
  const doc = new Y.Doc()
  const [state] = await queryDatabase<{ chunks: Buffer[] }>(databaseUrl, 'SELECT chunks FROM document_states WHERE document_id = $1', [id])
  const updates = await queryDatabase<{ data: Buffer }>(databaseUrl, 'SELECT data FROM document_updates WHERE document_id = $1 ORDER BY seq', [id])
  for (const update of [...(state?.chunks ?? []), ...updates.map((row) => row.data)]) Y.applyUpdate(doc, update)
  return doc
}

/** Whether updates of a document were written since its last compaction (its log, or its rows). */
export async function hasStoredUpdates(running: Pick<RunningServer, 'config'>, id: string): Promise<boolean> {
  const { databaseUrl, dataDir } = running.config
  if (!databaseUrl) return existsSync(logFilePath(dataDir, id)) || (await journalIncludes(dataDir, id))
  return (await queryDatabase<{ n: number }>(databaseUrl, 'SELECT count(*)::int AS n FROM document_updates WHERE document_id = $1', [id]))[0].n > 0
}

/** Whether the group commit's journal (DATA_DIR/journal) holds these bytes (a document id, text typed: Yjs stores it as UTF-8). */
export async function journalIncludes(dataDir: string, text: string): Promise<boolean> {
  const dir = path.join(dataDir, 'journal')
  if (!existsSync(dir)) return false
  for (const name of await fs.readdir(dir)) {
    if ((await fs.readFile(path.join(dir, name)).catch(() => Buffer.alloc(0))).includes(Buffer.from(text))) return true
  }
  return false
}

/** The chunks of a state file (throws if it is not one). */
export async function readStateChunks(dataDir: string, id: string): Promise<Uint8Array[]> {
  const stored = await readStoredState({ state: stateFilePath(dataDir, id), legacy: path.join(dataDir, '__none__') })
  if (!stored) throw new Error(`no state file for ${id}`)
  return stored.chunks
}

/** The document stored in a state file (compacted state only, without the log). */
export async function readStateFile(dataDir: string, id: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  for (const chunk of await readStateChunks(dataDir, id)) Y.applyUpdate(doc, chunk)
  return doc
}

/**
 * What a restarted server would load (state file + log replayed), read from a copy of the files so
 * that a live server's log is never touched (replaying truncates a torn tail in place).
 */
export async function loadFromDisk(dataDir: string, id: string): Promise<Y.Doc> {
  const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'huigao-copy-'))
  try {
    await fs.mkdir(path.join(copy, 'documents'))
    for (const file of [stateFilePath(dataDir, id), legacyStateFilePath(dataDir, id), logFilePath(dataDir, id)]) {
      await fs.copyFile(file, path.join(copy, 'documents', path.basename(file))).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      })
    }
    // The group commit's journal (the updates of the last flushes may be there only), folded in by init().
    await fs.cp(path.join(dataDir, 'journal'), path.join(copy, 'journal'), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
    const store = new DocumentStore(copy, { flushIntervalMs: 10_000, compactAfterBytes: Number.MAX_SAFE_INTEGER })
    await store.init()
    try {
      const doc = new Y.Doc()
      await store.open(id, doc)
      return doc
    } finally {
      await store.close()
    }
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
  headers: Headers
}

export interface ApiOptions {
  json?: unknown
  rawBody?: string
  contentType?: string
  /** Cookie header; defaults to the session's when `target` is a session, null sends none. */
  cookie?: string | null
  /** Extra request headers (e.g. origin). */
  headers?: Record<string, string>
}

/**
 * A JSON API call, as `target` (a session: with its cookie) or anonymously (a base URL).
 * `rawBody` is sent as is (with `contentType`) instead of JSON-encoding `json`.
 */
export async function api<T = any>(target: string | Session, method: string, route: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const base = typeof target === 'string' ? target : target.base
  const cookie = options.cookie === undefined ? (typeof target === 'string' ? null : target.cookie) : options.cookie
  const headers: Record<string, string> = { ...options.headers }
  if (cookie) headers.cookie = cookie
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
  return { status: response.status, body: parsed as T, contentType: response.headers.get('content-type'), headers: response.headers }
}

export interface CreatedDocument {
  id: string
  title: string
  createdAt: string
  updatedAt: string
  ownerId: string
  members: Record<string, string>
  role: string
}

/** Creates a document as `session` (its owner). */
export async function createDocument(session: Session, title: string, text?: string): Promise<CreatedDocument> {
  const response = await api(session, 'POST', '/api/documents', { json: text === undefined ? { title } : { title, text } })
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`)
  return response.body
}

/** Shares a document (as its owner) with `username` in `role`; throws unless it succeeds. */
export async function share(owner: Session, documentId: string, username: string, role: string): Promise<void> {
  const response = await api(owner, 'PUT', `/api/documents/${documentId}/members/${username}`, { json: { role } })
  if (response.status !== 200) throw new Error(`sharing failed: ${response.status} ${JSON.stringify(response.body)}`)
}
