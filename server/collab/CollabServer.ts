import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { CollabDocument } from './CollabDocument'
import { CloseCode } from '../../shared/closeCodes'
import { Connection } from './Connection'
import { RejectConnection, type CollabExtension, type ConnectionContext } from './hooks'
import { DocumentOwnedElsewhere } from './storage'
import { componentLogger } from '../logger'

const log = componentLogger('collab')

export interface CollabServerOptions {
  /** URL path prefix of the sync endpoint; the document name follows it: /collab/<name>. */
  path: string
  extensions: CollabExtension[]
  /** How long a document with no connections stays loaded. */
  unloadDelayMs: number
  /** Largest accepted WebSocket frame; larger ones close the connection with 1009. */
  maxMessageBytes: number
  heartbeatMs: number
}

/** A short lease on a loaded document for server-side readers and writers (API, exports). */
export interface DocumentLease {
  document: CollabDocument
  release(): void
}

/**
 * The sync core: a registry of loaded documents and the y-websocket endpoint. Loading, storing,
 * authentication and permissions all come from extensions.
 */
export class CollabServer {
  private readonly wss: WebSocketServer
  private readonly loaded = new Map<string, Promise<CollabDocument>>()
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly leases = new Map<CollabDocument, number>()
  /**
   * Every open connection, attached or still waiting for its document to load, so that ending a
   * session or an account reaches all of its sockets, not only those of documents already loaded.
   */
  private readonly open = new Set<Connection>()
  private readonly heartbeat: NodeJS.Timeout
  private closing = false

  constructor(private readonly options: CollabServerOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes })
    this.heartbeat = setInterval(() => {
      for (const document of this.loadedDocuments()) for (const connection of document.connections) connection.checkAlive()
    }, options.heartbeatMs)
    this.heartbeat.unref()
  }

  /** Handles an HTTP upgrade; returns false if the path is not ours. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    let documentName: string | undefined
    try {
      documentName = this.documentNameOf(request)
    } catch {
      // A malformed percent-encoding (decodeURIComponent throws URIError) must not crash the process.
      refuseUpgrade(socket, new RejectConnection(400, 'malformed document name'))
      return true
    }
    if (documentName === undefined) return false
    this.authenticate(request, documentName).then(
      (context) => {
        this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, documentName, context))
      },
      (error) => refuseUpgrade(socket, error),
    )
    return true
  }

  /** Loads (or reuses) a document for server-side use; release the lease when done. */
  async lease(name: string): Promise<DocumentLease> {
    const document = await this.acquire(name)
    this.leases.set(document, (this.leases.get(document) ?? 0) + 1)
    this.cancelUnload(document)
    let released = false
    return {
      document,
      release: () => {
        if (released) return
        released = true
        this.leases.set(document, (this.leases.get(document) ?? 1) - 1)
        this.scheduleUnload(document)
      },
    }
  }

  /**
   * Closes every connection to a document and drops it from memory without storing it (the
   * document was deleted). Returns the evicted document so storage can forget it too.
   */
  async evict(name: string, code: number, reason: string): Promise<CollabDocument | null> {
    await this.unloading.get(name)
    const pending = this.loaded.get(name)
    if (!pending) return null
    this.loaded.delete(name)
    const document = await pending.catch(() => null)
    if (!document) return null
    this.settled.delete(name)
    for (const connection of document.connections) connection.close(code, reason)
    document.destroy()
    return document
  }

  /** Closes one person's connections to a document (their access changed). */
  disconnectUser(name: string, userId: string, code: number, reason: string): void {
    const document = this.settled.get(name)
    if (!document) return
    for (const connection of document.connections) if (connection.context.user?.id === userId) connection.close(code, reason)
  }

  /** Closes every connection to a document held here (it was deleted or submitted elsewhere). */
  disconnectDocument(name: string, code: number, reason: string): void {
    const document = this.settled.get(name)
    if (!document) return
    for (const connection of [...document.connections]) connection.close(code, reason)
  }

  /** Closes every connection of one person, on any document (their account was disabled or reset). */
  disconnectUserEverywhere(userId: string, code: number, reason: string): void {
    for (const connection of [...this.open]) if (connection.context.user?.id === userId) connection.close(code, reason)
  }

  /**
   * Gives a document up to the process the balancer now sends it to (it asked: onOwnedElsewhere on
   * that process): its connections are closed with Moved, so they reconnect there at once, and it is
   * stored and unloaded, which hands its lease back. A document loaded here less than `minHeldMs` ago
   * is kept: with no balancer routing consistently, two processes would otherwise pass it back and
   * forth. Returns whether it was handed over.
   */
  handOver(name: string, minHeldMs: number, to: string): boolean {
    const document = this.settled.get(name)
    if (!document || this.closing || Date.now() - document.loadedAt < minHeldMs) return false
    if ((this.leases.get(document) ?? 0) > 0) return false
    log.info({ documentId: name, connections: document.connections.size, to }, 'handing the document over to the process that asked for it')
    // Its clients reconnect at once; one that comes back here (no balancer in front, or a stale
    // route) must not take the document straight back before the asker has it.
    for (const [other, given] of this.handedOver) if (given.until <= Date.now()) this.handedOver.delete(other)
    this.handedOver.set(name, { to, until: Date.now() + KEEP_HANDED_OVER_MS })
    this.cancelUnload(document)
    for (const connection of [...document.connections]) connection.close(CloseCode.Moved, 'document moves to another process')
    void this.unload(document)
    return true
  }

  /** Every open connection, for checking them all again (see recheckConnections). */
  openConnections(): Connection[] {
    return [...this.open]
  }

  /** Closes every connection opened with one of these sign-in sessions (they ended). */
  disconnectSessions(sessionIds: readonly string[], code: number, reason: string): void {
    const ended = new Set(sessionIds)
    for (const connection of [...this.open]) if (connection.context.sessionId !== undefined && ended.has(connection.context.sessionId)) connection.close(code, reason)
  }

  isLoaded(name: string): boolean {
    return this.loaded.has(name)
  }

  /**
   * Stops accepting, disconnects everyone, and stores every loaded document. The code tells clients
   * what to do: reconnect later (this process restarts) or at once (another process takes over).
   */
  async close(code: number = CloseCode.ServiceRestart, reason = 'server restarting'): Promise<void> {
    this.closing = true
    clearInterval(this.heartbeat)
    const documents = await Promise.all([...this.loaded.values()].map((p) => p.catch(() => null)))
    for (const document of documents) {
      if (!document) continue
      for (const connection of document.connections) connection.close(code, reason)
    }
    await Promise.all(documents.map((document) => document && this.unload(document)))
    await Promise.all(this.unloading.values())
    this.wss.close()
  }

  private documentNameOf(request: IncomingMessage): string | undefined {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const prefix = `${this.options.path}/`
    if (!url.pathname.startsWith(prefix)) return undefined
    return decodeURIComponent(url.pathname.slice(prefix.length))
  }

  private async authenticate(request: IncomingMessage, documentName: string): Promise<ConnectionContext> {
    if (this.closing) throw new RejectConnection(503, 'server is shutting down')
    const context: ConnectionContext = { user: null }
    for (const extension of this.options.extensions) await extension.onAuthenticate?.({ request, documentName, context })
    return context
  }

  private accept(ws: WebSocket, documentName: string, context: ConnectionContext): void {
    const connection = new Connection(ws, context, this.options.extensions)
    this.open.add(connection)
    ws.on('error', (error) => log.warn({ documentId: documentName, err: error }, 'socket error'))
    ws.on('close', () => {
      connection.closed = true
      this.open.delete(connection)
      const document = connection.attachedDocument
      if (!document) return
      document.remove(connection)
      for (const extension of this.options.extensions) extension.onDisconnect?.({ document, connection })
      this.scheduleUnload(document)
    })
    const acquiring = this.acquire(documentName)
    // Loading (acquire starts it synchronously): the connection may be answered before it finishes.
    const loading = this.loadingDocuments.get(documentName)
    if (loading) connection.awaitLoad(loading)
    acquiring.then(
      (document) => {
        if (connection.closed) return this.scheduleUnload(document)
        this.cancelUnload(document)
        connection.attach(document)
        for (const extension of this.options.extensions) extension.onConnect?.({ document, connection })
      },
      (error: Error) => {
        if (error instanceof DocumentOwnedElsewhere) {
          // Another live process holds the lease: the client reconnects at once and the balancer sends it there.
          log.info({ documentId: documentName, owner: error.owner }, 'document owned by another process: moved')
          connection.close(CloseCode.Moved, 'document served by another process')
          for (const extension of this.options.extensions) extension.onOwnedElsewhere?.({ documentName, owner: error.owner })
          return
        }
        log.error({ documentId: documentName, err: error }, 'cannot load')
        const code = error instanceof RejectConnection && error.status === 404 ? CloseCode.DocumentDeleted : CloseCode.DocumentUnavailable
        connection.close(code, error instanceof RejectConnection ? error.message : 'document cannot be loaded')
      },
    )
  }

  private *loadedDocuments(): Iterable<CollabDocument> {
    for (const document of this.settled.values()) yield document
  }

  /** Documents whose loading finished, kept separately so hot paths need not await promises. */
  private readonly settled = new Map<string, CollabDocument>()
  /** Documents being loaded (onLoadDocument running). */
  private readonly loadingDocuments = new Map<string, CollabDocument>()

  /** Documents handed over to another process lately (see handOver): not loaded here again until `until`. */
  private readonly handedOver = new Map<string, { to: string; until: number }>()

  private async acquire(name: string): Promise<CollabDocument> {
    const given = this.handedOver.get(name)
    if (given && given.until > Date.now() && !this.loaded.has(name)) throw new DocumentOwnedElsewhere(name, given.to, new Date(given.until))
    if (given) this.handedOver.delete(name)
    for (let pending = this.unloading.get(name); pending; pending = this.unloading.get(name)) await pending
    let loading = this.loaded.get(name)
    if (!loading) {
      loading = this.load(name)
      this.loaded.set(name, loading)
      loading.catch(() => {
        if (this.loaded.get(name) === loading) this.loaded.delete(name)
      })
    }
    return loading
  }

  private async load(name: string): Promise<CollabDocument> {
    const document = new CollabDocument(name)
    this.loadingDocuments.set(name, document)
    try {
      for (const extension of this.options.extensions) await extension.onLoadDocument?.({ document })
    } catch (error) {
      document.destroy()
      throw error
    } finally {
      this.loadingDocuments.delete(name)
      document.finishLoading()
    }
    document.startRelaying((update, origin) => {
      for (const extension of this.options.extensions) extension.onChange?.({ document, update, origin })
    })
    document.loadedAt = Date.now()
    this.settled.set(name, document)
    return document
  }

  private cancelUnload(document: CollabDocument): void {
    if (document.unloadTimer) clearTimeout(document.unloadTimer)
    document.unloadTimer = null
  }

  private scheduleUnload(document: CollabDocument): void {
    // Not the loaded copy any more (unloading already, e.g. handed over): nothing to schedule.
    if (this.closing || document.destroyed || this.settled.get(document.name) !== document || !this.isIdle(document)) return
    this.cancelUnload(document)
    document.unloadTimer = setTimeout(() => {
      document.unloadTimer = null
      if (this.isIdle(document)) void this.unload(document)
    }, this.options.unloadDelayMs)
  }

  private isIdle(document: CollabDocument): boolean {
    return document.connections.size === 0 && (this.leases.get(document) ?? 0) === 0
  }

  private unload(document: CollabDocument): Promise<void> {
    const name = document.name
    this.settled.delete(name)
    this.loaded.delete(name)
    const unloading = (async () => {
      try {
        for (const extension of this.options.extensions) await extension.onStoreDocument?.({ document })
      } catch (error) {
        log.error({ documentId: name, err: error }, 'storing failed, keeping it in memory')
        this.unloading.delete(name)
        if (!this.closing) return this.keepLoaded(document)
      }
      this.leases.delete(document)
      document.destroy()
      this.unloading.delete(name)
      for (const extension of this.options.extensions) await extension.afterUnloadDocument?.({ documentName: name })
    })()
    this.unloading.set(name, unloading)
    return unloading
  }

  /** Puts back a document whose storing failed, so nothing is lost; unloading is retried later. */
  private keepLoaded(document: CollabDocument): void {
    this.settled.set(document.name, document)
    this.loaded.set(document.name, Promise.resolve(document))
    this.scheduleUnload(document)
  }
}

/** How long a process does not load a document it has just handed over (the asker takes the lease meanwhile). */
const KEEP_HANDED_OVER_MS = 5_000

function refuseUpgrade(socket: Duplex, error: unknown): void {
  const status = error instanceof RejectConnection ? error.status : 500
  const message = error instanceof RejectConnection ? error.message : 'internal error'
  if (!(error instanceof RejectConnection)) log.error({ err: error }, 'upgrade failed')
  const body = JSON.stringify({ error: message })
  socket.end(
    `HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

function statusText(status: number): string {
  return ({ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' } as Record<number, string>)[status] ?? 'Error'
}
