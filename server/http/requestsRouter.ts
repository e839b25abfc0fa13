import { Router } from 'express'
import { canEdit, canManage, type Role } from '../../shared/roles'
import { REQUEST_ANSWER_MAX, REQUEST_NOTE_MAX } from '../../shared/submissionRequests'
import type { DocumentService } from '../documents/DocumentService'
import type { RequestService } from '../documents/RequestService'
import { RequestClosedError, RequestPendingError, type SubmissionRequests } from '../documents/SubmissionRequests'
import { currentUser, requireUser } from './auth'
import { access, documentParam, requireDraft, requireRole } from './documentsRouter'
import { ERROR_CODES } from '../../shared/errorCodes'
import { HttpError } from './errors'
import { objectBody, optionalString, requiredString } from './validate'

const isDrafter = (role: Role) => canEdit(role) && !canManage(role)

/**
 * 提请提交, under /api/documents:
 * GET /:id/requests (any member), POST /:id/requests {note} (起草人 only),
 * POST /:id/requests/:requestId/answer {text} (owner only), DELETE /:id/requests/:requestId (its sender).
 */
export function documentRequestsRouter(documents: DocumentService, service: RequestService, store: SubmissionRequests): Router {
  const router = Router()
  router.use(requireUser)
  router.param('id', documentParam(documents))

  const requestOf = (documentId: string, requestId: string) => {
    const request = store.get(documentId, requestId)
    if (!request) throw new HttpError(404, `Request ${requestId.slice(0, 80)} not found`)
    return request
  }
  const closed = (error: unknown): never => {
    if (error instanceof RequestClosedError || error instanceof RequestPendingError) throw new HttpError(409, error.message, error instanceof RequestPendingError ? ERROR_CODES.requestPending : ERROR_CODES.requestClosed)
    throw error
  }

  router.get('/:id/requests', async (req, res) => {
    res.json(await service.forDocument(access(req).document.id))
  })

  router.post('/:id/requests', async (req, res) => {
    const document = requireRole(req, isDrafter, 'ask to submit this document (only drafters ask; the owner submits)')
    requireDraft(document, 'ask to submit it')
    const note = optionalString(objectBody(req.body ?? {}, ['note']), 'note', { max: REQUEST_NOTE_MAX }) ?? ''
    res.status(201).json(await service.request(document, currentUser(req).id, note).catch(closed))
  })

  router.post('/:id/requests/:requestId/answer', async (req, res) => {
    const document = requireRole(req, canManage, 'answer requests to submit')
    const request = requestOf(document.id, String(req.params.requestId))
    const text = requiredString(objectBody(req.body, ['text']), 'text', { max: REQUEST_ANSWER_MAX })
    res.json(await service.answer(document, request, currentUser(req).id, text).catch(closed))
  })

  router.delete('/:id/requests/:requestId', async (req, res) => {
    const { document } = access(req)
    const request = requestOf(document.id, String(req.params.requestId))
    if (request.fromUserId !== currentUser(req).id) throw new HttpError(403, 'Only whoever sent a request can withdraw it')
    res.json(await service.withdraw(request).catch(closed))
  })

  return router
}

/** GET /api/requests: open requests addressed to me and sent by me, across my documents. */
export function myRequestsRouter(service: RequestService): Router {
  const router = Router()
  router.use(requireUser)
  router.get('/', async (req, res) => {
    res.json(await service.openFor(currentUser(req).id))
  })
  return router
}
