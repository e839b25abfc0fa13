import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Low } from 'lowdb'
import type { DocJSON } from '../../shared/editor/lib/ydoc'
import { openLowFile } from '../storage/lowFile'

/**
 * Saved versions (版本) of a document, one lowdb file per document beside its content:
 * DATA_DIR/documents/<id>.versions.json. The file appears with the first version and goes with the document.
 *
 * Retention:
 * - named versions (「保存版本」) and submission versions are kept until the document is deleted;
 *   at most MAX_NAMED_VERSIONS named versions, saving one more is refused (VersionLimitError, HTTP 409);
 * - automatic versions and the backups taken before a restore: the newest MAX_AUTO_VERSIONS of each
 *   kind are kept, older ones are dropped when a new one is saved.
 */

import type { VersionKind, VersionSummary } from '../../shared/contract'

export type { VersionKind, VersionSummary } from '../../shared/contract'

export interface Version {
  id: string
  name: string
  kind: VersionKind
  createdAt: string
  /** Display name of who saved it, or AUTO_AUTHOR for automatic versions. */
  createdBy: string
  /** ProseMirror JSON of the content. */
  doc: DocJSON
}


export const MAX_NAMED_VERSIONS = 200
/** Longest version name (named versions and submissions). */
export const VERSION_NAME_MAX = 100
export const MAX_AUTO_VERSIONS = 30
export const AUTO_AUTHOR = '自动'
export const VERSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** Saving another named version would pass MAX_NAMED_VERSIONS. */
export class VersionLimitError extends Error {
  override name = 'VersionLimitError'
  constructor() {
    super(`A document keeps at most ${MAX_NAMED_VERSIONS} named versions; this one has reached the limit`)
  }
}

/** The document was deleted while a version was being saved. */
export class VersionsRemovedError extends Error {
  override name = 'VersionsRemovedError'
}

interface VersionFile {
  versions: Version[]
}

const isVersionFile = (data: unknown): data is VersionFile =>
  typeof data === 'object' && data !== null && Array.isArray((data as VersionFile).versions)

export const summaryOf = ({ id, name, kind, createdAt, createdBy }: Version): VersionSummary => ({ id, name, kind, createdAt, createdBy })

export const newVersionId = () => randomBytes(9).toString('base64url')

/**
 * Applies the retention policy to a version list in chronological order (oldest first); returns the
 * versions to keep, in the same order. Named and submission versions are never dropped here.
 */
export function applyRetention(versions: readonly Version[], keepPerKind = MAX_AUTO_VERSIONS): Version[] {
  const dropped = new Set<Version>()
  for (const kind of ['auto', 'backup'] as const) {
    const ofKind = versions.filter((version) => version.kind === kind)
    for (const version of ofKind.slice(0, Math.max(0, ofKind.length - keepPerKind))) dropped.add(version)
  }
  return dropped.size === 0 ? [...versions] : versions.filter((version) => !dropped.has(version))
}

/** Adds a version to a chronological list, enforcing the limit and retention; returns the new list. */
export function addVersion(versions: readonly Version[], version: Version): Version[] {
  if (version.kind === 'named' && versions.filter((v) => v.kind === 'named').length >= MAX_NAMED_VERSIONS) throw new VersionLimitError()
  return applyRetention([...versions, version])
}

/**
 * Where versions are kept: VersionStore (files, the embedded backend) or PgVersionStore (server/postgres,
 * DATABASE_URL). Both enforce the limit and the retention policy above.
 */
export interface VersionRepository {
  /** Every version without its content, newest first. */
  list(documentId: string): Promise<VersionSummary[]>
  get(documentId: string, versionId: string): Promise<Version | undefined>
  /** The most recent version of any kind. */
  latest(documentId: string): Promise<Version | undefined>
  /** Saves a version; returns it. */
  add(documentId: string, version: Version): Promise<Version>
  /**
   * Calls `prepare` synchronously with the latest version, once no other save of this document can
   * come in between, and stores the version it returns (nothing when it returns null): whatever
   * `prepare` does (snapshotting the live document, changing it) happens in the same tick as the
   * version is decided, with no Yjs update in between. Resolves once stored. Throws
   * VersionLimitError, or VersionsRemovedError when the document was deleted.
   */
  update<T extends Version | null>(documentId: string, prepare: (latest: Version | undefined) => T): Promise<T>
  /** Deletes a document's versions; nothing writes them again. */
  remove(documentId: string): Promise<void>
}

/** How many version files stay in memory (the most recently used); a 50-page report's file can be megabytes. */
const CACHED_FILES = 16

export class VersionStore implements VersionRepository {
  private readonly dir: string
  private readonly files = new Map<string, Promise<Low<VersionFile>>>()
  /** Writes in flight per document, so a delete can wait for them before removing the file. */
  private readonly writing = new Map<string, Promise<unknown>>()
  /** Updates under way per document: their file stays cached (one in-memory copy per file). */
  private readonly busy = new Map<string, number>()
  /** Documents deleted since the start: nothing may write their file again. */
  private readonly removed = new Set<string>()

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'documents')
  }

  file(documentId: string): string {
    return path.join(this.dir, `${documentId}.versions.json`)
  }

  /** Every version without its content, newest first. */
  async list(documentId: string): Promise<VersionSummary[]> {
    const db = await this.open(documentId)
    return db.data.versions.map(summaryOf).reverse()
  }

  async get(documentId: string, versionId: string): Promise<Version | undefined> {
    const db = await this.open(documentId)
    return db.data.versions.find((version) => version.id === versionId)
  }

  /** The most recent version of any kind. */
  async latest(documentId: string): Promise<Version | undefined> {
    const db = await this.open(documentId)
    return db.data.versions.at(-1)
  }

  /** Saves a version (see the retention policy above); returns it. */
  async add(documentId: string, version: Version): Promise<Version> {
    return this.update(documentId, () => version)
  }

  /** Loads the file, then calls `prepare` and records its version in the same tick; resolves once written. */
  async update<T extends Version | null>(documentId: string, prepare: (latest: Version | undefined) => T): Promise<T> {
    this.busy.set(documentId, (this.busy.get(documentId) ?? 0) + 1)
    try {
      const db = await this.open(documentId)
      if (this.removed.has(documentId)) throw new VersionsRemovedError(`document ${documentId} was deleted`)
      const version = prepare(db.data.versions.at(-1))
      if (version === null) return version
      db.data.versions = addVersion(db.data.versions, version)
      const write = db.write()
      const tracked = Promise.all([this.writing.get(documentId), write]).catch(() => undefined)
      this.writing.set(documentId, tracked)
      void tracked.then(() => {
        if (this.writing.get(documentId) === tracked) this.writing.delete(documentId)
      })
      await write
      return version
    } finally {
      const count = (this.busy.get(documentId) ?? 1) - 1
      if (count > 0) this.busy.set(documentId, count)
      else this.busy.delete(documentId)
    }
  }

  /** Deletes a document's versions; nothing writes them again. */
  async remove(documentId: string): Promise<void> {
    this.removed.add(documentId)
    this.files.delete(documentId)
    await this.writing.get(documentId)
    await fs.rm(this.file(documentId), { force: true })
  }

  private open(documentId: string): Promise<Low<VersionFile>> {
    let db = this.files.get(documentId)
    if (db) {
      // Most recently used last.
      this.files.delete(documentId)
      this.files.set(documentId, db)
      return db
    }
    // A write of an evicted copy may still be under way: read the file once it has landed.
    const pending = this.writing.get(documentId)
    db = Promise.resolve(pending).then(() => openLowFile(this.file(documentId), { versions: [] }, isVersionFile))
    db.catch(() => {
      if (this.files.get(documentId) === db) this.files.delete(documentId)
    })
    this.files.set(documentId, db)
    this.evict()
    return db
  }

  /** Forgets the least recently used files beyond CACHED_FILES, except those being written. */
  private evict(): void {
    for (const id of this.files.keys()) {
      if (this.files.size <= CACHED_FILES) return
      if (!this.writing.has(id) && !this.busy.has(id)) this.files.delete(id)
    }
  }
}
