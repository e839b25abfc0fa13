import type pg from 'pg'
import type { Catalog, DocumentMeta, MemberRole } from '../storage/Catalog'
import type { PgListener } from './PgListener'
import { inTransaction } from './pool'
import { componentLogger } from '../logger'

const log = componentLogger('catalog')

/** The channel a catalog change is announced on, with the document id as payload. */
export const CATALOG_CHANNEL = 'huigao_catalog'

interface Row {
  id: string
  title: string
  created_at: Date
  updated_at: Date
  owner_id: string
  status: 'draft' | 'submitted'
  submission: DocumentMeta['submission']
  require_verified_figures: boolean | null
  members: Record<string, MemberRole>
}

const SELECT = `SELECT d.id, d.title, d.created_at, d.updated_at, d.owner_id, d.status, d.submission, d.require_verified_figures,
  COALESCE((SELECT json_object_agg(m.user_id, m.role) FROM document_members m WHERE m.document_id = d.id), '{}'::json) AS members
  FROM documents d`

function metaOf(row: Row): DocumentMeta {
  const meta: DocumentMeta = {
    id: row.id,
    title: row.title,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ownerId: row.owner_id,
    members: row.members,
    status: row.status,
    submission: row.submission ?? null,
  }
  if (row.require_verified_figures !== null) meta.requireVerifiedFigures = row.require_verified_figures
  return meta
}

type Changes = Partial<Omit<DocumentMeta, 'id'>>
const COLUMNS: Record<Exclude<keyof Changes, 'members'>, string> = {
  title: 'title',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  ownerId: 'owner_id',
  status: 'status',
  submission: 'submission',
  requireVerifiedFigures: 'require_verified_figures',
}
const columnValue = (key: string, value: unknown) => (key === 'submission' ? (value == null ? null : JSON.stringify(value)) : value)

/**
 * The catalog in PostgreSQL (documents, document_members), shared by every process.
 *
 * Reads stay synchronous (see Catalog): each process holds every entry in memory. What keeps that copy
 * correct across processes: every write sends NOTIFY huigao_catalog '<id>' in its own transaction, so
 * the notice arrives only once the change is committed, and each process then reads that document's
 * row again (or drops it when deleted). The LISTEN connection is opened before the first full read, so
 * no change falls in between; if it breaks, the process listens again and reads the whole catalog
 * again (changes made meanwhile are then seen). A process's own writes change its copy at once; a
 * notice for a document with a write of its own still under way is applied when that write is done.
 *
 * Reads are answered late at times (a busy pool, another connection): an answer is applied only when
 * it is newer than what the copy holds. Every read and every write of this process takes a number in
 * one sequence; an answer is dropped when a write of this process started after its read was sent
 * (that write's own notice reads the row again) or when a read sent later was already applied.
 */
export class PgCatalog implements Catalog {
  private readonly documents = new Map<string, DocumentMeta>()
  /** Writes of this process under way, per document. */
  private readonly writing = new Map<string, number>()
  /** Documents whose notice came while a write of this process was under way: read again after it. */
  private readonly stale = new Set<string>()
  /** The sequence that orders this process's reads and writes of the catalog (see above). */
  private sequence = 0
  /** Per document: the number of the latest write of this process. */
  private readonly wroteAt = new Map<string, number>()
  /** Per document: the number of the read whose answer the copy holds. */
  private readonly readAt = new Map<string, number>()
  private closed = false

  private constructor(
    private readonly pool: pg.Pool,
    readonly isNew: boolean,
  ) {}

  static async open(pool: pg.Pool, listener: PgListener): Promise<PgCatalog> {
    // Exactly one process, the first ever to start on this database, sees a new installation.
    const created = await pool.query(`INSERT INTO installation (key, value) VALUES ('catalog-created', now()::text) ON CONFLICT (key) DO NOTHING`)
    const catalog = new PgCatalog(pool, created.rowCount === 1)
    // Listening first, then the full read: no change falls in between.
    await listener.listen(CATALOG_CHANNEL, { onMessage: (id) => void catalog.refresh(id), onReconnected: () => catalog.reloadAll() })
    await catalog.reloadAll()
    return catalog
  }

  list(): DocumentMeta[] {
    return [...this.documents.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  }

  get(id: string): DocumentMeta | undefined {
    return this.documents.get(id)
  }

  async add(meta: DocumentMeta): Promise<void> {
    meta.status = meta.status === 'submitted' ? 'submitted' : 'draft'
    meta.submission ??= null
    this.documents.set(meta.id, meta)
    await this.write(meta.id, async (client) => {
      await client.query(
        `INSERT INTO documents (id, title, created_at, updated_at, owner_id, status, submission, require_verified_figures) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [meta.id, meta.title, meta.createdAt, meta.updatedAt, meta.ownerId, meta.status, columnValue('submission', meta.submission), meta.requireVerifiedFigures ?? null],
      )
      await insertMembers(client, meta.id, meta.members)
    }).catch((error: unknown) => {
      this.documents.delete(meta.id)
      throw error
    })
  }

  async update(id: string, changes: Changes): Promise<DocumentMeta | undefined> {
    const meta = this.documents.get(id)
    if (!meta) return undefined
    Object.assign(meta, changes)
    const sets: string[] = []
    const values: unknown[] = [id]
    for (const [key, value] of Object.entries(changes)) {
      if (key === 'members' || !(key in COLUMNS)) continue
      values.push(columnValue(key, value))
      sets.push(`${COLUMNS[key as keyof typeof COLUMNS]} = $${values.length}`)
    }
    const found = await this.write(id, async (client) => {
      const { rowCount } = await client.query(`UPDATE documents SET ${sets.length > 0 ? sets.join(', ') : 'id = id'} WHERE id = $1`, values)
      if (!rowCount) return false
      if (changes.members) {
        await client.query('DELETE FROM document_members WHERE document_id = $1', [id])
        await insertMembers(client, id, changes.members)
      }
      return true
    })
    return found ? meta : undefined
  }

  async setMember(id: string, userId: string, role: MemberRole): Promise<DocumentMeta | undefined> {
    const meta = this.documents.get(id)
    if (!meta) return undefined
    meta.members = { ...meta.members, [userId]: role }
    const found = await this.write(id, async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO document_members (document_id, user_id, role) SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM documents WHERE id = $1)
           ON CONFLICT (document_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
        [id, userId, role],
      )
      return rowCount === 1
    })
    return found ? meta : undefined
  }

  async removeMember(id: string, userId: string): Promise<boolean> {
    const meta = this.documents.get(id)
    if (meta && userId in meta.members) {
      const members = { ...meta.members }
      delete members[userId]
      meta.members = members
    }
    return this.write(id, async (client) => {
      const { rowCount } = await client.query('DELETE FROM document_members WHERE document_id = $1 AND user_id = $2', [id, userId])
      return rowCount === 1
    })
  }

  /** Every document has an owner in this schema (owner_id is NOT NULL): none to adopt. */
  async adoptOrphans(): Promise<number> {
    return 0
  }

  async touch(ids: string[], at: string): Promise<void> {
    const known = ids.filter((id) => this.documents.has(id))
    for (const id of known) this.documents.get(id)!.updatedAt = at
    if (known.length === 0) return
    for (const id of known) this.startWrite(id)
    try {
      await inTransaction(this.pool, async (client) => {
        await client.query('UPDATE documents SET updated_at = $2 WHERE id = ANY($1)', [known, at])
        await client.query(`SELECT pg_notify('${CATALOG_CHANNEL}', id) FROM unnest($1::text[]) AS id`, [known])
      })
    } catch (error) {
      for (const id of known) this.stale.add(id)
      throw error
    } finally {
      for (const id of known) this.written(id)
    }
  }

  async remove(id: string): Promise<boolean> {
    this.documents.delete(id)
    return this.write(id, async (client) => {
      const { rowCount } = await client.query('DELETE FROM documents WHERE id = $1', [id])
      return rowCount === 1
    })
  }

  /** The listener is closed by its owner (server/postgres/repositories.ts). */
  async close(): Promise<void> {
    this.closed = true
  }

  /**
   * Runs a change of one document in a transaction that announces it. A change that failed or found
   * no row leaves this process's copy wrong: it is read again.
   */
  private async write<T>(id: string, change: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    this.startWrite(id)
    try {
      const result = await inTransaction(this.pool, async (client) => {
        const result = await change(client)
        await client.query(`SELECT pg_notify('${CATALOG_CHANNEL}', $1)`, [id])
        return result
      })
      if (result === false) this.stale.add(id)
      return result
    } catch (error) {
      this.stale.add(id)
      throw error
    } finally {
      this.written(id)
    }
  }

  private startWrite(id: string): void {
    this.writing.set(id, (this.writing.get(id) ?? 0) + 1)
    this.wroteAt.set(id, ++this.sequence)
  }

  private written(id: string): void {
    const left = (this.writing.get(id) ?? 1) - 1
    if (left > 0) {
      this.writing.set(id, left)
      return
    }
    this.writing.delete(id)
    if (this.stale.delete(id)) void this.refresh(id)
  }

  private async refresh(id: string): Promise<void> {
    if (this.closed) return
    if (this.writing.has(id)) {
      this.stale.add(id)
      return
    }
    const read = ++this.sequence
    try {
      const { rows } = await this.pool.query<Row>(`${SELECT} WHERE d.id = $1`, [id])
      if (this.writing.has(id)) this.stale.add(id)
      else this.answer(id, rows[0], read)
    } catch (error) {
      if (!this.closed) log.error(`cannot read ${id} again: ${(error as Error).message}`)
    }
  }

  /** Applies the answer to read number `read`, unless the copy already holds something newer. */
  private answer(id: string, row: Row | undefined, read: number): void {
    if ((this.wroteAt.get(id) ?? 0) > read || (this.readAt.get(id) ?? 0) > read) return
    this.readAt.set(id, read)
    this.apply(id, row)
  }

  /** Updates the entry in place: code holding the object (a loaded document's meta) sees the change. */
  private apply(id: string, row: Row | undefined): void {
    if (!row) {
      // wroteAt and readAt stay: an answer from before the deletion must not bring the document back.
      this.documents.delete(id)
      return
    }
    const fresh = metaOf(row)
    const entry = this.documents.get(id)
    if (!entry) {
      this.documents.set(id, fresh)
      return
    }
    if (!('requireVerifiedFigures' in fresh)) delete entry.requireVerifiedFigures
    Object.assign(entry, fresh)
  }

  /** Everything, after (re)connecting: notices sent while not listening were missed. */
  async reloadAll(): Promise<void> {
    if (this.closed) return
    const read = ++this.sequence
    const { rows } = await this.pool.query<Row>(SELECT)
    const seen = new Set<string>()
    for (const row of rows) {
      seen.add(row.id)
      if (this.writing.has(row.id)) this.stale.add(row.id)
      else this.answer(row.id, row, read)
    }
    for (const id of [...this.documents.keys()]) {
      if (seen.has(id)) continue
      if (this.writing.has(id)) this.stale.add(id)
      else this.answer(id, undefined, read)
    }
  }
}

async function insertMembers(client: pg.PoolClient, id: string, members: Record<string, MemberRole>): Promise<void> {
  const entries = Object.entries(members)
  if (entries.length === 0) return
  await client.query('INSERT INTO document_members (document_id, user_id, role) SELECT $1, u, r FROM unnest($2::text[], $3::text[]) AS t(u, r)', [
    id,
    entries.map(([userId]) => userId),
    entries.map(([, role]) => role),
  ])
}
