import { Router } from 'express'
import { canEdit } from '../../shared/roles'
import type { DocumentService } from '../documents/DocumentService'
import type { NotificationCenter } from '../notifications/NotificationCenter'
import { DocumentSubmittedError, VersionUnreadableError, type VersionService } from '../documents/versions'
import { summaryOf, VERSION_ID_PATTERN, VERSION_NAME_MAX, VersionLimitError } from '../documents/VersionStore'
import { currentUser, requireUser } from './auth'
import { access, documentParam, requireDraft, requireRole } from './documentsRouter'
import { HttpError } from './errors'
import { objectBody, requiredString } from './validate'

/** Maps the version service's refusals to HTTP errors. */
function asHttpError(error: unknown): unknown {
  if (error instanceof DocumentSubmittedError || error instanceof VersionLimitError) return new HttpError(409, error.message)
  if (error instanceof VersionUnreadableError) return new HttpError(422, error.message)
  return error
}

/**
 * Versions (版本) of a document:
 * GET /:id/versions, POST /:id/versions {name}, GET /:id/versions/:vid,
 * GET /:id/versions/:vid/compare, POST /:id/versions/:vid/restore.
 */
export function versionsRouter(documents: DocumentService, versions: VersionService, notifications: NotificationCenter): Router {
  const router = Router()
  router.use(requireUser)
  router.param('id', documentParam(documents))
  router.param('vid', (_req, _res, next, vid: string) => {
    if (!VERSION_ID_PATTERN.test(vid)) return next(new HttpError(400, `Invalid version id "${vid.slice(0, 80)}"`))
    next()
  })

  const notFound = (vid: string) => new HttpError(404, `Version ${vid} not found`)

  router.get('/:id/versions', async (req, res) => {
    res.json(await versions.list(access(req).document.id))
  })

  router.post('/:id/versions', async (req, res) => {
    const document = requireRole(req, canEdit, 'save versions of this document')
    requireDraft(document, 'save a version')
    const body = objectBody(req.body, ['name'])
    const name = requiredString(body, 'name', { max: VERSION_NAME_MAX })
    const version = await versions.save(document.id, 'named', name, currentUser(req).displayName).catch((error: unknown) => {
      throw asHttpError(error)
    })
    res.status(201).json(summaryOf(version))
  })

  router.get('/:id/versions/:vid', async (req, res) => {
    const vid = String(req.params.vid)
    const version = await versions.get(access(req).document.id, vid)
    if (!version) throw notFound(vid)
    res.json(version)
  })

  router.get('/:id/versions/:vid/compare', async (req, res) => {
    const vid = String(req.params.vid)
    const comparison = await versions.compare(access(req).document.id, vid).catch((error: unknown) => {
      throw asHttpError(error)
    })
    if (!comparison) throw notFound(vid)
    res.json(comparison)
  })

  router.post('/:id/versions/:vid/restore', async (req, res) => {
    const document = requireRole(req, canEdit, 'restore versions of this document')
    requireDraft(document, 'restore a version')
    if (req.body !== undefined) objectBody(req.body, [])
    const vid = String(req.params.vid)
    const result = await versions.restore(document.id, vid, currentUser(req).displayName).catch((error: unknown) => {
      throw asHttpError(error)
    })
    if (!result) throw notFound(vid)
    // Everyone else on the document sees the text change at once; the bell says who did it and why.
    const user = currentUser(req)
    await notifications.notify(
      [document.ownerId, ...Object.keys(document.members)].filter((id) => id !== user.id),
      { kind: 'versionRestored', documentId: document.id, documentTitle: document.title, actorName: user.displayName, text: result.name },
    )
    res.json(result)
  })

  return router
}
