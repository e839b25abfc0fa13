import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import express from 'express'
import type { AccountStore } from './accounts/AccountStore'
import { ADMIN_USERNAME, ensureAdmin } from './accounts/bootstrap'
import { CollabServer } from './collab/CollabServer'
import { HandOverRequests, openEventBus } from './cluster/closeConnections'
import type { EventBus } from './cluster/events'
import { PgEventBus } from './cluster/PgEventBus'
import { CloseCode } from '../shared/closeCodes'
import type { CollabExtension } from './collab/hooks'
import { DEFAULT_AUTO_VERSION_IDLE_MS, DEFAULT_AUTO_VERSION_MIN_INTERVAL_MS, type HuigaoConfig } from './config'
import { DocumentService } from './documents/DocumentService'
import { Permissions } from './extensions/Permissions'
import { UpdateRules } from './extensions/UpdateRules'
import { Persistence } from './extensions/Persistence'
import { FollowMoves } from './extensions/FollowMoves'
import { Submissions } from './documents/submission'
import { VersionService } from './documents/versions'
import { checkOrigin, sessionUser } from './http/auth'
import { preloadLinks } from './http/preloadLinks'
import { readCookie, SESSION_COOKIE } from './accounts/cookies'
import { noStore, parseTrustProxy, securityHeaders, type TrustProxy } from './http/security'
import { authRouter } from './http/authRouter'
import { apiErrorHandler, apiNotFound } from './http/errors'
import { usersRouter } from './http/usersRouter'
import { documentsRouter } from './http/documentsRouter'
import { exportRouter } from './http/exportRouter'
import { figuresRouter } from './http/figuresRouter'
import { FigureService } from './documents/figures'
import { submissionRouter } from './http/submissionRouter'
import { versionsRouter } from './http/versionsRouter'
import { RequestService } from './documents/RequestService'
import { documentRequestsRouter, myRequestsRouter } from './http/requestsRouter'
import { notificationsRouter } from './http/notificationsRouter'
import { CommentReplyNotifier } from './extensions/commentReplies'
import { NotificationCenter } from './notifications/NotificationCenter'
import { SectionEventNotifier } from './extensions/sectionEvents'
import { seedSample } from './seed'
import { lockDataDir, type DataDirLock } from './storage/dataDirLock'
import { openDocumentStorage } from './storage/openDocumentStorage'
import { fontsRouter } from './http/fontsRouter'
import { wordRouter } from './http/wordRouter'
import { databaseCheck, healthRouter } from './http/healthRouter'
import { INSTANCE_ID, logger } from './logger'
import { openRepositories, type Repositories } from './repositories'

export interface HuigaoServer {
  http: http.Server
  accounts: AccountStore
  /** Accounts, catalog, versions, throttling, requests, notifications; `pool` when on PostgreSQL. */
  repositories: Repositories
  collab: CollabServer
  documents: DocumentService
  /** Resolves once listening; returns the bound port. */
  listen(): Promise<number>
  /** Stops accepting, disconnects clients and makes every document durable. */
  close(): Promise<void>
  /**
   * Tests only: gives up the lock on DATA_DIR as a killed process would, so that another server in
   * the same test process can open the directory while this one is left as it is (a crash).
   */
  releaseDataDirLock(): Promise<void>
}

/** Wires storage, the sync core, the API and the static client into one HTTP server. */
export async function createHuigaoServer(config: HuigaoConfig): Promise<HuigaoServer> {
  await fs.mkdir(config.dataDir, { recursive: true })
  // One process per data directory; released when the server stops, or if it fails to start.
  const lock = await lockDataDir(config.dataDir)
  try {
    return await startWithLock(config, lock)
  } catch (error) {
    await lock.release()
    throw error
  }
}

async function startWithLock(config: HuigaoConfig, lock: DataDirLock): Promise<HuigaoServer> {
  // Accounts, sessions, the catalog, versions and throttling: DATA_DIR's files, or PostgreSQL (DATABASE_URL).
  const repositories = await openRepositories(config)
  try {
    return await startWithRepositories(config, lock, repositories)
  } catch (error) {
    await repositories.close()
    throw error
  }
}

async function startWithRepositories(config: HuigaoConfig, lock: DataDirLock, repositories: Repositories): Promise<HuigaoServer> {
  const { accounts, catalog } = repositories
  // The documents' content: DATA_DIR's files, or PostgreSQL under per-document leases (DATABASE_URL).
  const store = openDocumentStorage(config, repositories.pool)
  await store.init()

  await ensureAdmin(accounts, config.dataDir, config.adminPassword)
  const adminId = (await accounts.byUsername(ADMIN_USERNAME))!.id
  const adopted = await catalog.adoptOrphans(adminId)
  if (adopted > 0) logger.info(`Gave ${adopted} document(s) from before accounts existed to "${ADMIN_USERNAME}".`)

  let documents: DocumentService | undefined
  const persistence = new Persistence(store, catalog, (id) => documents?.touch(id))
  const app = express()
  app.disable('x-powered-by')
  // Which process answered: behind a load balancer, to follow a request into that process's logs.
  app.use((_req, res, next) => {
    res.setHeader('X-Huigao-Instance', INSTANCE_ID)
    next()
  })
  // Behind a reverse proxy, TRUST_PROXY lets req.ip (sign-in throttling) and req.protocol (Secure
  // cookies, the Origin check) come from the proxy's X-Forwarded-* headers.
  if (config.trustProxy) app.set('trust proxy', parseTrustProxy(config.trustProxy))
  const trustProxy = app.get('trust proxy fn') as TrustProxy
  // The document model's rules first: they are cheap, and refuse junk before the ReviewGuard's shadow sees it.
  const notifications = new NotificationCenter(repositories.notifications)
  // After persistence: the notifiers observe comment threads and sections once the stored content is in.
  const permissions = new Permissions(accounts, catalog, trustProxy)
  // Set below, before the server listens: a hand-over request can only come from a connection.
  let bus: EventBus | undefined
  const handOvers = config.databaseUrl ? [new HandOverRequests((event) => bus!.publish(event), config.instanceId ?? INSTANCE_ID)] : []
  const extensions: CollabExtension[] = [
    new UpdateRules(),
    permissions,
    persistence,
    new CommentReplyNotifier(catalog, notifications),
    new SectionEventNotifier(catalog, notifications),
    ...handOvers,
    // Last: it reads only the updates every extension above let through.
    new FollowMoves(),
  ]
  const collab = new CollabServer({
    path: '/collab',
    extensions,
    unloadDelayMs: config.unloadDelayMs,
    maxMessageBytes: config.maxMessageBytes,
    heartbeatMs: config.heartbeatMs,
  })
  persistence.handLeaseLossTo(collab)
  const versions = new VersionService(repositories.versions, catalog, collab, {
    autoVersionIdleMs: config.autoVersionIdleMs ?? DEFAULT_AUTO_VERSION_IDLE_MS,
    autoVersionMinIntervalMs: config.autoVersionMinIntervalMs ?? DEFAULT_AUTO_VERSION_MIN_INTERVAL_MS,
  })
  // Changes that close sockets reach every process: a session knows its sockets, wherever they are.
  const events = await openEventBus(collab, {
    databaseUrl: config.databaseUrl,
    pool: repositories.pool,
    catalog,
    check: (name, context) => permissions.recheck(name, context),
    firstReconnectMs: config.eventsReconnectMs,
    handOverAfterMs: config.handOverAfterMs,
    instanceId: config.instanceId,
  })
  bus = events
  accounts.onSessionsEnded(({ userId, sessionIds, reason }) => void events.publish({ type: 'sessions-ended', userId, sessionIds, reason }))
  const submissions = new Submissions(catalog, collab, versions, events)
  documents = new DocumentService(catalog, store, collab, persistence, versions, events)
  const requestStore = repositories.requests
  const requests = new RequestService(requestStore, notifications, documents, accounts)
  if (catalog.isNew && config.seedSample) await seedSample(documents, adminId)

  app.use(securityHeaders())
  app.use('/api', noStore, express.json({ limit: '2mb' }), checkOrigin, sessionUser(accounts))
  let draining = false
  const pool = repositories.pool
  app.use(
    '/api',
    healthRouter([
      async () => (draining ? 'stopping' : null),
      ...(pool ? [databaseCheck(() => pool.query('SELECT 1'))] : []),
      async () => (events instanceof PgEventBus && !events.listening ? 'not listening for events from the other processes' : null),
    ]),
  )
  app.use('/api', authRouter(accounts, repositories.throttle, config.sessionIdleMs))
  app.use('/api/users', usersRouter(accounts))
  app.use('/api/documents', documentsRouter(documents, accounts))
  app.use('/api/documents', submissionRouter(documents, submissions, (document, by) => requests.submitted(document, by)))
  app.use('/api/documents', documentRequestsRouter(documents, requests, requestStore))
  app.use('/api/requests', myRequestsRouter(requests))
  app.use('/api/notifications', notificationsRouter(notifications))
  app.use('/api/documents', versionsRouter(documents, versions, notifications))
  app.use('/api/documents', exportRouter(documents))
  app.use('/api/documents', wordRouter(documents, accounts))
  app.use('/api/documents', figuresRouter(documents, new FigureService(collab, catalog), catalog))
  app.use('/api', apiNotFound)
  app.use('/api', apiErrorHandler)
  app.use('/fonts', fontsRouter())
  serveClient(app, config.clientDir, accounts)

  const server = http.createServer(app)
  server.on('upgrade', (request, socket, head) => {
    if (!collab.handleUpgrade(request, socket, head)) socket.destroy()
  })

  return {
    http: server,
    accounts,
    repositories,
    collab,
    documents,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(config.port, config.host, () => resolve((server.address() as AddressInfo).port))
      }),
    close: async () => {
      // Drain: not ready (load balancers stop sending), no new connections, then every client is told
      // to reconnect — at once when other processes can serve its document (they share the database).
      draining = true
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Automatic versions lease documents: stop them before the sync core stores and unloads everything.
      await versions.close()
      notifications.close()
      await (config.databaseUrl ? collab.close(CloseCode.Moved, 'server stopping: reconnect') : collab.close())
      await documents.close()
      await store.close()
      server.closeAllConnections()
      await closed
      await events.close()
      await repositories.close()
      await lock.release()
    },
    releaseDataDirLock: () => lock.release(),
  }
}

/** Serves the built client, with index.html for any non-API path so client-side routes reload. */
function serveClient(app: express.Express, clientDir: string, accounts: AccountStore): void {
  const index = path.join(clientDir, 'index.html')
  app.use(express.static(clientDir, { index: false, maxAge: '1h', setHeaders: (res, file) => cachePolicy(res, path.relative(clientDir, file)) }))
  // A page from an older build asking for its assets must get an error, not index.html served as a script.
  app.use('/assets', (_req, res) => {
    res.status(404).type('text/plain; charset=utf-8').send('没有这个文件（客户端可能已更新，请刷新页面）。')
  })
  app.get('/{*path}', async (req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain; charset=utf-8').send('客户端尚未构建：请运行 npm start（它会先构建客户端）。')
      return
    }
    // A store that cannot answer costs the preloads, not the page.
    const signedIn = Boolean(await accounts.resolveSession(readCookie(req, SESSION_COOKIE)).catch(() => null))
    res.set({ 'Cache-Control': 'no-cache', Link: preloadLinks(req.path, signedIn) }).sendFile(index)
  })
}

/**
 * index.html is revalidated on every load, so a new build is picked up at once. Vite names the files
 * under assets/ by their content, so those never change: the browser keeps them (and the compiled
 * code it caches for scripts) without asking again.
 */
function cachePolicy(res: express.Response, fileInClient: string): void {
  if (fileInClient.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache')
  else if (fileInClient.split(path.sep)[0] === 'assets') res.setHeader('Cache-Control', 'public, max-age=31536000, immutable')
}
