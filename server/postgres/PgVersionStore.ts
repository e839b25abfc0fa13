import type pg from 'pg'
import type { DocJSON } from '../../shared/editor/lib/ydoc'
import { MAX_AUTO_VERSIONS, MAX_NAMED_VERSIONS, VersionLimitError, VersionsRemovedError, type Version, type VersionKind, type VersionRepository, type VersionSummary } from '../documents/VersionStore'
import { inTransaction } from './pool'

interface Row {
  id: string
  name: string
  kind: VersionKind
  created_at: Date
  created_by: string
  doc?: DocJSON
}

const SUMMARY_COLUMNS = 'id, name, kind, created_at, created_by'

const summaryOfRow = (row: Row): VersionSummary => ({ id: row.id, name: row.name, kind: row.kind, createdAt: row.created_at.toISOString(), createdBy: row.created_by })
const versionOfRow = (row: Row): Version => ({ ...summaryOfRow(row), doc: row.doc! })

/**
 * Versions in PostgreSQL (table document_versions), with the embedded store's limit and retention.
 * Saves of one document are serialized across processes by locking its catalog row; a version of a
 * deleted document is refused (its row is gone).
 */
export class PgVersionStore implements VersionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async list(documentId: string): Promise<VersionSummary[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${SUMMARY_COLUMNS} FROM document_versions WHERE document_id = $1 ORDER BY seq DESC`, [documentId])
    return rows.map(summaryOfRow)
  }

  async get(documentId: string, versionId: string): Promise<Version | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT ${SUMMARY_COLUMNS}, doc FROM document_versions WHERE document_id = $1 AND id = $2`, [documentId, versionId])
    return rows[0] && versionOfRow(rows[0])
  }

  async latest(documentId: string): Promise<Version | undefined> {
    return latestOf(this.pool, documentId)
  }

  add(documentId: string, version: Version): Promise<Version> {
    return this.update(documentId, () => version)
  }

  update<T extends Version | null>(documentId: string, prepare: (latest: Version | undefined) => T): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      // One save per document at a time, on every process; none for a deleted document.
      const { rowCount } = await client.query('SELECT 1 FROM documents WHERE id = $1 FOR NO KEY UPDATE', [documentId])
      if (!rowCount) throw new VersionsRemovedError(`document ${documentId} was deleted`)
      const version = prepare(await latestOf(client, documentId))
      if (version === null) return version
      if (version.kind === 'named') {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM document_versions WHERE document_id = $1 AND kind = 'named'`, [documentId])
        if (rows[0].n >= MAX_NAMED_VERSIONS) throw new VersionLimitError()
      }
      await client.query(`INSERT INTO document_versions (document_id, id, name, kind, created_at, created_by, doc) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        documentId,
        version.id,
        version.name,
        version.kind,
        version.createdAt,
        version.createdBy,
        JSON.stringify(version.doc),
      ])
      if (version.kind === 'auto' || version.kind === 'backup') {
        // Retention: the newest MAX_AUTO_VERSIONS of this kind stay.
        await client.query(
          `DELETE FROM document_versions WHERE document_id = $1 AND kind = $2 AND seq NOT IN
             (SELECT seq FROM document_versions WHERE document_id = $1 AND kind = $2 ORDER BY seq DESC LIMIT $3)`,
          [documentId, version.kind, MAX_AUTO_VERSIONS],
        )
      }
      return version
    })
  }

  async remove(documentId: string): Promise<void> {
    // The catalog's delete cascades here too; this covers a document whose catalog row stays.
    await this.pool.query('DELETE FROM document_versions WHERE document_id = $1', [documentId])
  }
}

async function latestOf(db: pg.Pool | pg.PoolClient, documentId: string): Promise<Version | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${SUMMARY_COLUMNS}, doc FROM document_versions WHERE document_id = $1 ORDER BY seq DESC LIMIT 1`, [documentId])
  return rows[0] && versionOfRow(rows[0])
}
