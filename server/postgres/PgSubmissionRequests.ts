import type pg from 'pg'
import { newId } from '../../shared/editor/lib/ids'
import type { SubmissionRequestStatus } from '../../shared/submissionRequests'
import { RequestClosedError, RequestPendingError, type StoredRequest, type SubmissionRequestRepository } from '../documents/SubmissionRequests'

interface Row {
  id: string
  document_id: string
  from_user_id: string
  note: string
  created_at: Date
  status: SubmissionRequestStatus
  answer: StoredRequest['answer']
}

const COLUMNS = 'id, document_id, from_user_id, note, created_at, status, answer'

const requestOf = (row: Row): StoredRequest => ({
  id: row.id,
  documentId: row.document_id,
  fromUserId: row.from_user_id,
  note: row.note,
  createdAt: row.created_at.toISOString(),
  status: row.status,
  answer: row.answer ?? null,
})

const CLOSED = 'This request has already been dealt with'

/**
 * 提请提交 requests in PostgreSQL (table submission_requests), shared by every process. Each change of
 * state is one conditional UPDATE (… WHERE status = 'open'), so two processes answering, withdrawing or
 * submitting the same request at once cannot both succeed.
 */
export class PgSubmissionRequests implements SubmissionRequestRepository {
  constructor(private readonly pool: pg.Pool) {}

  async forDocument(documentId: string): Promise<StoredRequest[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM submission_requests WHERE document_id = $1 ORDER BY seq DESC`, [documentId])
    return rows.map(requestOf)
  }

  async openFor(documentIds: ReadonlySet<string>): Promise<StoredRequest[]> {
    if (documentIds.size === 0) return []
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM submission_requests WHERE status = 'open' AND document_id = ANY($1) ORDER BY seq DESC`, [[...documentIds]])
    return rows.map(requestOf)
  }

  async get(documentId: string, requestId: string): Promise<StoredRequest | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM submission_requests WHERE id = $1 AND document_id = $2`, [requestId, documentId])
    return rows[0] && requestOf(rows[0])
  }

  /** Stores a request as it was kept elsewhere (importing a data directory, importDataDir.ts): id, times and outcome unchanged. */
  async restore(request: StoredRequest): Promise<void> {
    await this.pool.query(`INSERT INTO submission_requests (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      request.id,
      request.documentId,
      request.fromUserId,
      request.note,
      request.createdAt,
      request.status,
      request.answer === null ? null : JSON.stringify(request.answer),
    ])
  }

  async create(documentId: string, fromUserId: string, note: string): Promise<StoredRequest> {
    try {
      const { rows } = await this.pool.query<Row>(
        `INSERT INTO submission_requests (id, document_id, from_user_id, note, created_at, status) VALUES ($1, $2, $3, $4, $5, 'open') RETURNING ${COLUMNS}`,
        [newId('rq'), documentId, fromUserId, note, new Date().toISOString()],
      )
      return requestOf(rows[0])
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new RequestPendingError('You already have an open request to submit this document')
      throw error
    }
  }

  answer(request: StoredRequest, byUserId: string, text: string): Promise<StoredRequest> {
    return this.close(request, 'answered', { byUserId, text, at: new Date().toISOString() })
  }

  withdraw(request: StoredRequest): Promise<StoredRequest> {
    return this.close(request, 'withdrawn', null)
  }

  async submitted(documentId: string): Promise<StoredRequest[]> {
    const { rows } = await this.pool.query<Row>(
      `UPDATE submission_requests SET status = 'submitted' WHERE document_id = $1 AND status = 'open' RETURNING ${COLUMNS}`,
      [documentId],
    )
    return rows.map(requestOf)
  }

  /** Moves an open request to `status`; the caller's object is updated too (it is shown right after). */
  private async close(request: StoredRequest, status: SubmissionRequestStatus, answer: StoredRequest['answer']): Promise<StoredRequest> {
    const { rows } = await this.pool.query<Row>(
      `UPDATE submission_requests SET status = $2, answer = COALESCE($3::jsonb, answer) WHERE id = $1 AND status = 'open' RETURNING ${COLUMNS}`,
      [request.id, status, answer === null ? null : JSON.stringify(answer)],
    )
    if (rows.length === 0) throw new RequestClosedError(CLOSED)
    return Object.assign(request, requestOf(rows[0]))
  }
}
