import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Low } from 'lowdb'
import type { DocumentMeta } from '../../shared/contract'
import type { Role } from '../../shared/roles'
import { openLowFile } from './lowFile'
import { componentLogger } from '../logger'

const log = componentLogger('catalog')

export type { DocumentMeta, DocumentStatus, Submission } from '../../shared/contract'

interface CatalogData {
  documents: DocumentMeta[]
}

const isCatalog = (data: unknown): data is CatalogData =>
  typeof data === 'object' && data !== null && Array.isArray((data as CatalogData).documents)

export type MemberRole = Exclude<Role, 'owner'>

/**
 * The document list and who may open what: FileCatalog (DATA_DIR/catalog.json, the embedded backend)
 * or PgCatalog (server/postgres, DATABASE_URL).
 *
 * Reads are synchronous: the sync core asks on every incoming update (is the document submitted?) and
 * must not wait. Each process therefore holds the whole list in memory; PgCatalog keeps its copy
 * current with PostgreSQL notifications (see there). A write changes this process's copy at once,
 * before it is stored: from that moment on, this process acts on it.
 */
export interface Catalog {
  /** True on the first start of this installation (the sample report is created then). */
  readonly isNew: boolean
  /** Most recently edited first. */
  list(): DocumentMeta[]
  get(id: string): DocumentMeta | undefined
  add(meta: DocumentMeta): Promise<void>
  update(id: string, changes: Partial<Omit<DocumentMeta, 'id'>>): Promise<DocumentMeta | undefined>
  /** Gives one person a role (or changes it) without touching the other members. */
  setMember(id: string, userId: string, role: MemberRole): Promise<DocumentMeta | undefined>
  /** False when they were not a member. */
  removeMember(id: string, userId: string): Promise<boolean>
  /** Documents from before accounts existed have no owner: gives them to `ownerId`. Returns how many. */
  adoptOrphans(ownerId: string): Promise<number>
  /** Marks several documents as edited at `at`, in one write. */
  touch(ids: string[], at: string): Promise<void>
  remove(id: string): Promise<boolean>
  /**
   * Reads every entry again from where several processes share them (PgCatalog); the embedded
   * catalog has no such source and is always current, so it has none.
   */
  reloadAll?(): Promise<void>
  close(): Promise<void>
}

/** `Catalog.open(dataDir)`: the embedded catalog (as before the interface existed). */
export const Catalog = {
  open: (dataDir: string, options: { recover?: boolean } = {}): Promise<Catalog> => FileCatalog.open(dataDir, options),
}

function withStatus(meta: DocumentMeta): DocumentMeta {
  if (meta.status !== 'submitted') meta.status = 'draft'
  meta.submission ??= null
  return meta
}

/** catalog.json is missing while documents are stored: starting as a fresh installation would hide them all. */
export class MissingCatalogError extends Error {
  override name = 'MissingCatalogError'
  constructor(
    readonly file: string,
    readonly documents: number,
  ) {
    super(
      `${file} is missing, but ${path.join(path.dirname(file), 'documents')} holds ${documents} document(s). ` +
        `Restore catalog.json from a backup, or start once with RECOVER_CATALOG=1 to list every stored document again ` +
        `(owned by the administrator, titled by id; titles and sharing are then set again by hand).`,
    )
  }
}

/** Ids of the documents stored in `dir` (a state file, a log or a legacy state file). */
export async function storedDocumentIds(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[]
    throw error
  })
  const ids = new Set<string>()
  for (const name of names) {
    const match = /^(.+)\.(state|log|json)$/.exec(name)
    if (match && !match[1].endsWith('.versions')) ids.add(match[1])
  }
  return [...ids].sort()
}

/** The document list (DATA_DIR/catalog.json). Small, so one lowdb file for all documents is fine. */
export class FileCatalog implements Catalog {
  private constructor(
    private readonly db: Low<CatalogData>,
    /** True when the catalog file did not exist yet: this is the first start with this data directory. */
    readonly isNew: boolean,
  ) {}

  /**
   * Opens DATA_DIR/catalog.json. When it is missing but documents/ holds documents, this is not a
   * new installation: the server refuses to start (every document would be invisible, and the
   * sample seeded over them) unless `recover` is set, which lists every stored document again
   * (RECOVER_CATALOG=1; owned by the administrator, titled by id, shared with nobody).
   */
  static async open(dataDir: string, options: { recover?: boolean } = {}): Promise<FileCatalog> {
    const file = path.join(dataDir, 'catalog.json')
    const isNew = !existsSync(file)
    const stored = isNew ? await storedDocumentIds(path.join(dataDir, 'documents')) : []
    if (stored.length > 0 && !options.recover) throw new MissingCatalogError(file, stored.length)
    const catalog = new FileCatalog(await openLowFile(file, { documents: [] }, isCatalog), isNew && stored.length === 0)
    // Entries from before submissions existed are drafts (filled in memory; written with the next change).
    for (const doc of catalog.db.data.documents) withStatus(doc)
    if (stored.length > 0) {
      const now = new Date().toISOString()
      for (const id of stored) catalog.db.data.documents.push(withStatus({ id, title: `恢复的文档 ${id}`, createdAt: now, updatedAt: now, ownerId: '', members: {} }))
      log.warn(`${file} was missing: listed ${stored.length} stored document(s) again, owned by the administrator.`)
    }
    if (isNew) await catalog.db.write()
    return catalog
  }

  list(): DocumentMeta[] {
    return [...this.db.data.documents].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  }

  /**
   * O(1): the sync server asks on every incoming update (is the document submitted?), so a scan of
   * the whole list cost O(documents) per keystroke. The index is rebuilt whenever the list array is
   * replaced or changes length; entries themselves are only ever mutated in place.
   */
  get(id: string): DocumentMeta | undefined {
    const list = this.db.data.documents
    if (this.indexedList !== list || this.indexedLength !== list.length) {
      this.index = new Map(list.map((doc) => [doc.id, doc]))
      this.indexedList = list
      this.indexedLength = list.length
    }
    return this.index.get(id)
  }

  private index = new Map<string, DocumentMeta>()
  private indexedList: DocumentMeta[] | null = null
  private indexedLength = -1

  async add(meta: DocumentMeta): Promise<void> {
    this.db.data.documents.push(withStatus(meta))
    await this.db.write()
  }

  async update(id: string, changes: Partial<Omit<DocumentMeta, 'id'>>): Promise<DocumentMeta | undefined> {
    const meta = this.get(id)
    if (!meta) return undefined
    Object.assign(meta, changes)
    await this.db.write()
    return meta
  }

  async setMember(id: string, userId: string, role: MemberRole): Promise<DocumentMeta | undefined> {
    const meta = this.get(id)
    return meta && this.update(id, { members: { ...meta.members, [userId]: role } })
  }

  async removeMember(id: string, userId: string): Promise<boolean> {
    const meta = this.get(id)
    if (!meta || !(userId in meta.members)) return false
    const members = { ...meta.members }
    delete members[userId]
    await this.update(id, { members })
    return true
  }

  async adoptOrphans(ownerId: string): Promise<number> {
    const orphans = this.db.data.documents.filter((doc) => !doc.ownerId || typeof doc.members !== 'object' || doc.members === null)
    for (const doc of orphans) {
      doc.ownerId ||= ownerId
      if (typeof doc.members !== 'object' || doc.members === null) doc.members = {}
    }
    if (orphans.length > 0) await this.db.write()
    return orphans.length
  }

  async touch(ids: string[], at: string): Promise<void> {
    const wanted = new Set(ids)
    for (const doc of this.db.data.documents) if (wanted.has(doc.id)) doc.updatedAt = at
    await this.db.write()
  }

  async remove(id: string): Promise<boolean> {
    const before = this.db.data.documents.length
    this.db.data.documents = this.db.data.documents.filter((doc) => doc.id !== id)
    if (this.db.data.documents.length === before) return false
    await this.db.write()
    return true
  }

  async close(): Promise<void> {}
}
