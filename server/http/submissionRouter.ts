import { Router } from 'express'
import { canManage } from '../../shared/roles'
import type { DocumentService } from '../documents/DocumentService'
import { NotSubmittedError, SubmissionRefusedError, type Submissions } from '../documents/submission'
import { DocumentSubmittedError } from '../documents/versions'
import type { DocumentMeta } from '../storage/Catalog'
import { VERSION_NAME_MAX } from '../documents/VersionStore'
import { currentUser, requireUser } from './auth'
import { access, documentParam, requireRole } from './documentsRouter'
import { HttpError } from './errors'
import { objectBody, optionalString, requiredString } from './validate'
import { componentLogger } from '../logger'

const log = componentLogger('requests')

export const OVERRIDE_REASON_MAX = 1000

/**
 * The submission check and submitting (报送) / reopening a document:
 * GET /:id/check, POST /:id/submit {versionName, overrideReason?}, POST /:id/reopen.
 */
export function submissionRouter(
  documents: DocumentService,
  submissions: Submissions,
  /** After a successful submission (提请提交 requests are fulfilled and their senders told). */
  afterSubmit?: (document: DocumentMeta, submittedBy: string) => Promise<void>,
): Router {
  const router = Router()
  router.use(requireUser)
  router.param('id', documentParam(documents))

  router.get('/:id/check', async (req, res) => {
    res.json(await submissions.check(access(req).document.id))
  })

  router.post('/:id/submit', async (req, res) => {
    const document = requireRole(req, canManage, 'submit this document')
    const body = objectBody(req.body, ['versionName', 'overrideReason'])
    const versionName = requiredString(body, 'versionName', { max: VERSION_NAME_MAX })
    const overrideReason = optionalString(body, 'overrideReason', { max: OVERRIDE_REASON_MAX }) || null
    if (document.status === 'submitted') throw new HttpError(409, 'The document is already submitted')
    try {
      const meta = await submissions.submit(document.id, { versionName, overrideReason, submittedBy: currentUser(req).displayName })
      await afterSubmit?.(meta, currentUser(req).displayName).catch((error: unknown) => log.error(`${document.id}: ${(error as Error).message}`))
      res.json({ ...meta, role: access(req).role })
    } catch (error) {
      if (error instanceof SubmissionRefusedError) {
        res.status(409).json({ error: error.message, check: error.check })
        return
      }
      if (error instanceof DocumentSubmittedError) throw new HttpError(409, 'The document is already submitted')
      throw error
    }
  })

  router.post('/:id/reopen', async (req, res) => {
    const document = requireRole(req, canManage, 'reopen this document')
    // No body is needed; an empty JSON object is fine too.
    if (req.body !== undefined) objectBody(req.body, [])
    try {
      res.json({ ...(await submissions.reopen(document.id)), role: access(req).role })
    } catch (error) {
      if (error instanceof NotSubmittedError) throw new HttpError(409, error.message)
      throw error
    }
  })

  return router
}
