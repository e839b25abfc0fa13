import path from 'node:path'
import type { Low } from 'lowdb'
import { newId } from '../../shared/editor/lib/ids'
import type { SubmissionRequestStatus } from '../../shared/submissionRequests'
import { openLowFile } from '../storage/lowFile'

export interface StoredRequest {
  id: string
  documentId: string
  fromUserId: string
  note: string
  createdAt: string
  status: SubmissionRequestStatus
  answer: { byUserId: string; text: string; at: string } | null
}

interface RequestData {
  requests: StoredRequest[]
}

const isData = (data: unknown): data is RequestData => typeof data === 'object' && data !== null && Array.isArray((data as RequestData).requests)

/** The request is not open any more (answered, submitted or withdrawn). */
export class RequestClosedError extends Error {
  override name = 'RequestClosedError'
}

/** The same person already has an open request on the document. */
export class RequestPendingError extends Error {
  override name = 'RequestPendingError'
}

/**
 * Where 提请提交 requests are kept: SubmissionRequests (DATA_DIR/submission-requests.json, the embedded
 * backend) or PgSubmissionRequests (server/postgres, DATABASE_URL). A request changes state once: a
 * second answer, withdrawal or submission of the same request is refused (RequestClosedError).
 */
export interface SubmissionRequestRepository {
  /** A document's requests, newest first. */
  forDocument(documentId: string): Promise<StoredRequest[]>
  /** Open requests on any of the given documents, newest first. */
  openFor(documentIds: ReadonlySet<string>): Promise<StoredRequest[]>
  get(documentId: string, requestId: string): Promise<StoredRequest | undefined>
  /** Throws RequestPendingError when the same person already has an open request on the document. */
  create(documentId: string, fromUserId: string, note: string): Promise<StoredRequest>
  answer(request: StoredRequest, byUserId: string, text: string): Promise<StoredRequest>
  withdraw(request: StoredRequest): Promise<StoredRequest>
  /** The document was submitted: every open request on it is fulfilled. Returns those requests. */
  submitted(documentId: string): Promise<StoredRequest[]>
}

/** 提请提交 requests (DATA_DIR/submission-requests.json): who asked the owner to submit which document, and the outcome. */
export class SubmissionRequests implements SubmissionRequestRepository {
  private constructor(private readonly db: Low<RequestData>) {}

  static async open(dataDir: string): Promise<SubmissionRequests> {
    return new SubmissionRequests(await openLowFile(path.join(dataDir, 'submission-requests.json'), { requests: [] }, isData))
  }

  /** Every request, oldest first (importing the data directory into PostgreSQL). */
  all(): readonly StoredRequest[] {
    return this.db.data.requests
  }

  async forDocument(documentId: string): Promise<StoredRequest[]> {
    return this.db.data.requests.filter((r) => r.documentId === documentId).reverse()
  }

  async openFor(documentIds: ReadonlySet<string>): Promise<StoredRequest[]> {
    return this.db.data.requests.filter((r) => r.status === 'open' && documentIds.has(r.documentId)).reverse()
  }

  async get(documentId: string, requestId: string): Promise<StoredRequest | undefined> {
    return this.db.data.requests.find((r) => r.id === requestId && r.documentId === documentId)
  }

  async create(documentId: string, fromUserId: string, note: string): Promise<StoredRequest> {
    if (this.db.data.requests.some((r) => r.documentId === documentId && r.fromUserId === fromUserId && r.status === 'open')) {
      throw new RequestPendingError('You already have an open request to submit this document')
    }
    const request: StoredRequest = { id: newId('rq'), documentId, fromUserId, note, createdAt: new Date().toISOString(), status: 'open', answer: null }
    this.db.data.requests.push(request)
    await this.db.write()
    return request
  }

  async answer(request: StoredRequest, byUserId: string, text: string): Promise<StoredRequest> {
    if (request.status !== 'open') throw new RequestClosedError('This request has already been dealt with')
    request.status = 'answered'
    request.answer = { byUserId, text, at: new Date().toISOString() }
    await this.db.write()
    return request
  }

  async withdraw(request: StoredRequest): Promise<StoredRequest> {
    if (request.status !== 'open') throw new RequestClosedError('This request has already been dealt with')
    request.status = 'withdrawn'
    await this.db.write()
    return request
  }

  async submitted(documentId: string): Promise<StoredRequest[]> {
    const fulfilled = this.db.data.requests.filter((r) => r.documentId === documentId && r.status === 'open')
    for (const request of fulfilled) request.status = 'submitted'
    if (fulfilled.length > 0) await this.db.write()
    return fulfilled
  }
}
