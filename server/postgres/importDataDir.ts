// Moving an installation from the embedded backend (DATA_DIR's files) to PostgreSQL: every account
// and session, the catalog, each document's content, its versions, the 提请提交 requests and the
// notifications, copied with their ids and times unchanged. Run once, on a new database, before any
// process serves it (`npm run import-data -- <DATA_DIR>`, DATABASE_URL set; README "Running several
// processes"). The data directory is only read (as the server would when loading it: a torn log tail
// is kept aside, see UpdateLog.replay), and held locked, so no server changes it meanwhile.
import path from 'node:path'
import * as Y from 'yjs'
import { FileAccountRepository } from '../accounts/FileAccountRepository'
import { SubmissionRequests } from '../documents/SubmissionRequests'
import { VersionStore } from '../documents/VersionStore'
import { FileNotificationRepository } from '../notifications/NotificationRepository'
import { Catalog, storedDocumentIds } from '../storage/Catalog'
import { lockDataDir } from '../storage/dataDirLock'
import { DocumentStore } from '../storage/DocumentStore'
import { migrate } from './migrate'
import { PgAccountRepository } from './PgAccountRepository'
import { PgCatalog } from './PgCatalog'
import { PgDocumentStore } from './PgDocumentStore'
import { PgListener } from './PgListener'
import { PgNotificationRepository } from './PgNotificationRepository'
import { PgSubmissionRequests } from './PgSubmissionRequests'
import { PgVersionStore } from './PgVersionStore'
import { IMPORT_INCOMPLETE_KEY } from './repositories'
import { createPool } from './pool'

/** The database is not a new one: importing would mix two installations. */
export class ImportRefusedError extends Error {
  override name = 'ImportRefusedError'
}

/** The import stopped; `partial`: part of the data is in the database (which refuses to be served). */
export class ImportFailedError extends Error {
  override name = 'ImportFailedError'
  constructor(
    message: string,
    readonly partial: boolean,
    options: ErrorOptions,
  ) {
    super(message, options)
  }
}

export interface ImportReport {
  users: number
  sessions: number
  documents: number
  versions: number
  requests: number
  notifications: number
  /** Content files in DATA_DIR that no catalog entry names: not imported, left where they are. */
  unlisted: string[]
}

/** Copies DATA_DIR into the (new) database at `databaseUrl`; `progress` is told each step. */
export async function importDataDir(dataDir: string, databaseUrl: string, progress: (line: string) => void = () => {}): Promise<ImportReport> {
  const lock = await lockDataDir(dataDir)
  try {
    await migrate(databaseUrl)
  } catch (error) {
    await lock.release()
    throw new ImportFailedError(`cannot use the database: ${(error as Error).message}`, false, { cause: error })
  }
  const pool = createPool(databaseUrl)
  const listener = new PgListener(databaseUrl)
  const source = new DocumentStore(dataDir, { flushIntervalMs: 1_000, compactAfterBytes: Number.MAX_SAFE_INTEGER })
  const target = new PgDocumentStore(pool, { owner: `import:${process.pid}`, leaseMs: 60_000, flushIntervalMs: 1_000, compactAfterBytes: Number.MAX_SAFE_INTEGER })
  let partial = false
  try {
    const { rows } = await pool.query<{ users: number; documents: number }>(
      'SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM documents)::int AS documents',
    )
    if (rows[0].users > 0 || rows[0].documents > 0) {
      throw new ImportRefusedError(
        `the database already holds ${rows[0].users} accounts and ${rows[0].documents} documents: import into a new, empty database, before any Huigao process has started on it`,
      )
    }
    await pool.query('INSERT INTO installation (key, value) VALUES ($1, now()::text)', [IMPORT_INCOMPLETE_KEY])
    partial = true

    const accounts = await FileAccountRepository.open(dataDir)
    const pgAccounts = new PgAccountRepository(pool)
    const users = await accounts.listUsers()
    for (const user of users) await pgAccounts.insertUser(user)
    const known = new Set(users.map((user) => user.id))
    const sessions = accounts.sessions().filter((session) => known.has(session.userId))
    for (const session of sessions) await pgAccounts.insertSession(session)
    progress(`accounts: ${users.length}, sessions: ${sessions.length}`)

    // Opening the catalog marks the installation as created: the first start adds no sample report.
    const catalog = await Catalog.open(dataDir)
    const pgCatalog = await PgCatalog.open(pool, listener)
    const fileVersions = new VersionStore(dataDir)
    const pgVersions = new PgVersionStore(pool)
    let versions = 0
    await target.init()
    for (const meta of catalog.list()) {
      // Content before the catalog entry, as when a document is created: an entry never names missing content.
      await pgCopyContent(source, target, meta.id)
      await pgCatalog.add(structuredClone(meta))
      const summaries = (await fileVersions.list(meta.id)).reverse()
      for (const summary of summaries) {
        const version = await fileVersions.get(meta.id, summary.id)
        if (version) await pgVersions.add(meta.id, version)
      }
      versions += summaries.length
      progress(`document ${meta.id} «${meta.title}»: content, ${summaries.length} versions`)
    }

    const requests = (await SubmissionRequests.open(dataDir)).all()
    const pgRequests = new PgSubmissionRequests(pool)
    for (const request of requests) await pgRequests.restore(request)
    const notifications = (await FileNotificationRepository.open(dataDir)).all()
    const pgNotifications = await PgNotificationRepository.open(pool, listener)
    if (notifications.length > 0) await pgNotifications.add([...notifications])
    progress(`提请提交 requests: ${requests.length}, notifications: ${notifications.length}`)

    const listed = new Set(catalog.list().map((meta) => meta.id))
    const unlisted = (await storedDocumentIds(path.join(dataDir, 'documents'))).filter((id) => !listed.has(id))
    await pgCatalog.close()
    await pgNotifications.close()
    await catalog.close()
    await pool.query('DELETE FROM installation WHERE key = $1', [IMPORT_INCOMPLETE_KEY])
    return { users: users.length, sessions: sessions.length, documents: listed.size, versions, requests: requests.length, notifications: notifications.length, unlisted }
  } catch (error) {
    if (error instanceof ImportRefusedError) throw error
    throw new ImportFailedError((error as Error).message, partial, { cause: error })
  } finally {
    await target.close()
    await source.close()
    await listener.close()
    await pool.end()
    await lock.release()
  }
}

/**
 * One document's content: loaded from its files as the server loads it, stored as the compacted
 * state of a new document, and read back from the database to check that nothing differs.
 */
async function pgCopyContent(source: DocumentStore, target: PgDocumentStore, id: string): Promise<void> {
  const loaded = new Y.Doc()
  const stored = await source.open(id, loaded, {}, { requireContent: true })
  // Nothing was appended: abandoning writes nothing to the data directory.
  await stored.abandon()
  const state = Y.encodeStateAsUpdate(loaded)
  await target.create(id, state)

  const check = new Y.Doc()
  // Closing hands the lease back: the first process to serve the document takes it at once.
  await (await target.open(id, check, {}, { requireContent: true })).close()
  const same = Buffer.from(Y.encodeStateAsUpdate(check)).equals(Buffer.from(state))
  loaded.destroy()
  check.destroy()
  if (!same) throw new Error(`document ${id}: the content read back from the database differs from the data directory's`)
}
