import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import express from 'express'
import { AccountStore } from './accounts/AccountStore'
import { ADMIN_USERNAME, ensureAdmin } from './accounts/bootstrap'
import { LoginThrottle } from './accounts/LoginThrottle'
import { CollabServer } from './collab/CollabServer'
import { CloseCode } from './collab/Connection'
import type { CollabExtension } from './collab/hooks'
import { DEFAULT_AUTO_VERSION_IDLE_MS, DEFAULT_AUTO_VERSION_MIN_INTERVAL_MS, type HuigaoConfig } from './config'
import { DocumentService } from './documents/DocumentService'
import { Permissions } from './documents/Permissions'
import { Persistence } from './documents/Persistence'
import { Submissions } from './documents/submission'
import { VersionService } from './documents/versions'
import { checkOrigin, sessionUser } from './http/auth'
import { authRouter } from './http/authRouter'
import { apiErrorHandler, apiNotFound } from './http/errors'
import { usersRouter } from './http/usersRouter'
import { documentsRouter } from './http/documentsRouter'
import { exportRouter } from './http/exportRouter'
import { submissionRouter } from './http/submissionRouter'
import { versionsRouter } from './http/versionsRouter'
import { RequestService } from './documents/RequestService'
import { SubmissionRequests } from './documents/SubmissionRequests'
import { documentRequestsRouter, myRequestsRouter } from './http/requestsRouter'
import { notificationsRouter } from './http/notificationsRouter'
import { CommentReplyNotifier } from './notifications/commentReplies'
import { NotificationCenter } from './notifications/NotificationCenter'
import { SectionEventNotifier } from './notifications/sectionEvents'
import { seedSample } from './seed'
import { Catalog } from './storage/Catalog'
import { DocumentStore } from './storage/DocumentStore'

export interface HuigaoServer {
  http: http.Server
  accounts: AccountStore
  collab: CollabServer
  documents: DocumentService
  /** Resolves once listening; returns the bound port. */
  listen(): Promise<number>
  /** Stops accepting, disconnects clients and makes every document durable. */
  close(): Promise<void>
}

/** Wires storage, the sync core, the API and the static client into one HTTP server. */
export async function createHuigaoServer(config: HuigaoConfig): Promise<HuigaoServer> {
  await fs.mkdir(config.dataDir, { recursive: true })
  const catalog = await Catalog.open(config.dataDir)
  const store = new DocumentStore(config.dataDir, {
    flushIntervalMs: config.flushIntervalMs,
    compactAfterBytes: config.compactAfterBytes,
    onError: (error, id) => console.error(`[store] ${id}: ${(error as Error).message}`),
  })
  await store.init()

  const accounts = await AccountStore.open(config.dataDir, config.sessionIdleMs)
  await ensureAdmin(accounts, config.dataDir, config.adminPassword)
  const adopted = await catalog.adoptOrphans(accounts.byUsername(ADMIN_USERNAME)!.id)
  if (adopted > 0) console.log(`Gave ${adopted} document(s) from before accounts existed to "${ADMIN_USERNAME}".`)

  let documents: DocumentService | undefined
  const persistence = new Persistence(store, catalog, (id) => documents?.touch(id))
  const notifications = await NotificationCenter.open(config.dataDir)
  // After persistence: the notifier observes comment threads once the stored content is in.
  const extensions: CollabExtension[] = [new Permissions(accounts, catalog), persistence, new CommentReplyNotifier(catalog, notifications), new SectionEventNotifier(catalog, notifications)]
  const collab = new CollabServer({
    path: '/collab',
    extensions,
    unloadDelayMs: config.unloadDelayMs,
    maxMessageBytes: config.maxMessageBytes,
    heartbeatMs: config.heartbeatMs,
  })
  const versions = new VersionService(config.dataDir, catalog, collab, {
    autoVersionIdleMs: config.autoVersionIdleMs ?? DEFAULT_AUTO_VERSION_IDLE_MS,
    autoVersionMinIntervalMs: config.autoVersionMinIntervalMs ?? DEFAULT_AUTO_VERSION_MIN_INTERVAL_MS,
  })
  const submissions = new Submissions(catalog, collab, versions)
  documents = new DocumentService(catalog, store, collab, persistence, versions)
  const requestStore = await SubmissionRequests.open(config.dataDir)
  const requests = new RequestService(requestStore, notifications, documents, accounts)
  if (catalog.isNew && config.seedSample) await seedSample(documents, accounts.byUsername(ADMIN_USERNAME)!.id)

  const app = express()
  app.disable('x-powered-by')
  // Behind a reverse proxy, set TRUST_PROXY so req.ip (login throttling) is the client's address.
  if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY)
  app.use('/api', express.json({ limit: '2mb' }), checkOrigin, sessionUser(accounts))
  app.get('/api/health', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) })
  })
  app.use('/api', authRouter(accounts, new LoginThrottle(), config.sessionIdleMs))
  app.use('/api/users', usersRouter(accounts, (userId) => collab.disconnectUserEverywhere(userId, CloseCode.Unauthorized, 'signed out')))
  app.use('/api/documents', documentsRouter(documents, accounts))
  app.use('/api/documents', submissionRouter(documents, submissions, (document, by) => requests.submitted(document, by)))
  app.use('/api/documents', documentRequestsRouter(documents, requests, requestStore))
  app.use('/api/requests', myRequestsRouter(requests))
  app.use('/api/notifications', notificationsRouter(notifications))
  app.use('/api/documents', versionsRouter(documents, versions))
  app.use('/api/documents', exportRouter(documents))
  app.use('/api', apiNotFound)
  app.use('/api', apiErrorHandler)
  serveClient(app, config.clientDir)

  const server = http.createServer(app)
  server.on('upgrade', (request, socket, head) => {
    if (!collab.handleUpgrade(request, socket, head)) socket.destroy()
  })

  return {
    http: server,
    accounts,
    collab,
    documents,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(config.port, config.host, () => resolve((server.address() as AddressInfo).port))
      }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Automatic versions lease documents: stop them before the sync core stores and unloads everything.
      await versions.close()
      notifications.close()
      await collab.close()
      await documents.close()
      await store.close()
      server.closeAllConnections()
      await closed
    },
  }
}

/** Serves the built client, with index.html for any non-API path so client-side routes reload. */
function serveClient(app: express.Express, clientDir: string): void {
  const index = path.join(clientDir, 'index.html')
  app.use(express.static(clientDir, { index: false, maxAge: '1h', setHeaders: (res, file) => cachePolicy(res, path.relative(clientDir, file)) }))
  // A page from an older build asking for its assets must get an error, not index.html served as a script.
  app.use('/assets', (_req, res) => {
    res.status(404).type('text/plain; charset=utf-8').send('没有这个文件（客户端可能已更新，请刷新页面）。')
  })
  app.get('/{*path}', (_req, res) => {
    if (existsSync(index)) res.set('Cache-Control', 'no-cache').sendFile(index)
    else res.status(503).type('text/plain; charset=utf-8').send('客户端尚未构建：请运行 npm start（它会先构建客户端）。')
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
