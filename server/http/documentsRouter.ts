import { ERROR_CODES } from '../../shared/errorCodes'
import express, { Router, type Request, type RequestParamHandler } from 'express'
import { modelToDocJSON, plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import { DocxReadError, importDocx } from '../../shared/report/importDocx'
import { importedDocumentUpdate } from '../../shared/word/threadsToYdoc'
import { accountAuthors } from '../export/authors'
import { canEdit, canManage, isRole, SHAREABLE_ROLES, type Role } from '../../shared/roles'
import type { AccountStore } from '../accounts/AccountStore'
import { DOCUMENT_ID_PATTERN, roleOf, type DocumentService } from '../documents/DocumentService'
import { outlineView, placeholdersView, reviewView } from '../documents/views'
import type { DocumentMeta } from '../storage/Catalog'
import { currentUser, requireUser } from './auth'
import { HttpError } from './errors'
import { objectBody, optionalString, requiredString } from './validate'

const TITLE_MAX = 200
const TEXT_MAX = 1_000_000
const DOCX_MAX_BYTES = 10 * 1024 * 1024
const UNTITLED = '未命名文稿'

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      document?: DocumentMeta
      role?: Role
    }
  }
}

/** The document of a `/:id` route and the caller's role in it (set by the id param handler). */
export function access(req: Request): { document: DocumentMeta; role: Role } {
  if (!req.document || !req.role) throw new HttpError(500, 'document access not resolved')
  return { document: req.document, role: req.role }
}

export function requireRole(req: Request, allowed: (role: Role) => boolean, action: string): DocumentMeta {
  const { document, role } = access(req)
  if (!allowed(role)) throw new HttpError(403, `Your role (${role}) may not ${action}`)
  return document
}

/** A submitted document (报送) is read-only until its owner reopens it. */
export function requireDraft(document: DocumentMeta, action: string): void {
  if (document.status === 'submitted') throw new HttpError(409, `The document has been submitted and is read-only: cannot ${action}; its owner must reopen it first`)
}

/** Resolves `:id` to the document and the caller's role (400 bad id, 404 unknown, 403 not shared). */
export function documentParam(documents: DocumentService): RequestParamHandler {
  return (req, _res, next, id: string) => {
    if (!DOCUMENT_ID_PATTERN.test(id)) return next(new HttpError(400, `Invalid document id "${id.slice(0, 80)}"`))
    const document = documents.get(id)
    if (!document) return next(new HttpError(404, `Document ${id} not found`))
    const role = roleOf(document, currentUser(req).id)
    if (!role) return next(new HttpError(403, 'This document is not shared with you'))
    req.document = document
    req.role = role
    next()
  }
}

export function documentsRouter(documents: DocumentService, accounts: AccountStore): Router {
  const router = Router()
  router.use(requireUser)

  router.param('id', documentParam(documents))

  router.get('/', (req, res) => {
    res.json(documents.listFor(currentUser(req).id))
  })

  router.post('/', async (req, res) => {
    const body = objectBody(req.body, ['title', 'text'])
    const title = requiredString(body, 'title', { max: TITLE_MAX })
    const text = optionalString(body, 'text', { max: TEXT_MAX, trim: false })
    const meta = await documents.create(title, plainTextToDocJSON(text ?? '', title), currentUser(req).id)
    res.status(201).json({ ...meta, role: 'owner' })
  })

  router.post('/import', express.raw({ type: () => true, limit: DOCX_MAX_BYTES }), async (req, res) => {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new HttpError(400, 'Send the .docx file as the request body', ERROR_CODES.docxUnreadable)
    const { model, threads } = await importDocx(req.body, await accountAuthors(accounts)).catch((error: unknown) => {
      throw error instanceof DocxReadError ? new HttpError(400, `Cannot import: ${error.message}`, ERROR_CODES.docxUnreadable) : error
    })
    const title = ((typeof req.query.title === 'string' && req.query.title.trim()) || model.title || UNTITLED).trim()
    if (title.length > TITLE_MAX) throw new HttpError(400, `Title is longer than ${TITLE_MAX} characters`)
    const meta = await documents.create(title, importedDocumentUpdate(modelToDocJSON(model, title), threads), currentUser(req).id)
    res.status(201).json({ ...meta, role: 'owner' })
  })

  router.get('/:id', (req, res) => {
    const { document, role } = access(req)
    res.json({ ...document, role })
  })

  router.get('/:id/placeholders', async (req, res) => {
    res.json(await documents.read(access(req).document.id, placeholdersView))
  })

  router.get('/:id/outline', async (req, res) => {
    res.json(await documents.read(access(req).document.id, outlineView))
  })

  router.get('/:id/review', async (req, res) => {
    res.json(await documents.read(access(req).document.id, reviewView))
  })

  router.patch('/:id', async (req, res) => {
    const document = requireRole(req, canEdit, 'rename this document')
    requireDraft(document, 'rename it')
    const body = objectBody(req.body, ['title'])
    res.json(await documents.rename(document.id, requiredString(body, 'title', { max: TITLE_MAX })))
  })

  router.delete('/:id', async (req, res) => {
    const document = requireRole(req, canManage, 'delete this document')
    await documents.remove(document.id)
    res.status(204).end()
  })

  router.get('/:id/members', async (req, res) => {
    const { document } = access(req)
    const owner = await accounts.byId(document.ownerId)
    const entries = Object.entries(document.members)
    const users = await Promise.all(entries.map(([userId]) => accounts.byId(userId)))
    const members = entries.flatMap(([, role], i) => {
      const user = users[i]
      return user ? [{ id: user.id, username: user.username, displayName: user.displayName, role }] : []
    })
    res.json([...(owner ? [{ id: owner.id, username: owner.username, displayName: owner.displayName, role: 'owner' }] : []), ...members])
  })

  router.put('/:id/members/:username', async (req, res) => {
    const document = requireRole(req, canManage, 'share this document')
    const user = await accounts.byUsername(String(req.params.username))
    if (!user || user.disabled) throw new HttpError(404, `User ${req.params.username} not found`)
    if (user.id === document.ownerId) throw new HttpError(400, 'The owner already has every right')
    const body = objectBody(req.body, ['role'])
    const role = body.role
    if (!isRole(role) || role === 'owner') throw new HttpError(400, `Field "role" must be one of: ${SHAREABLE_ROLES.join(', ')}`)
    await documents.setMember(document.id, user.id, role)
    res.json({ username: user.username, displayName: user.displayName, role })
  })

  router.delete('/:id/members/:username', async (req, res) => {
    const document = requireRole(req, canManage, 'change sharing')
    const user = await accounts.byUsername(String(req.params.username))
    if (!user || !(await documents.removeMember(document.id, user.id))) throw new HttpError(404, `${req.params.username} is not a member`)
    res.status(204).end()
  })

  return router
}
