import express, { Router, type ErrorRequestHandler } from 'express'
import type { FigureChange } from '../../shared/figures/api'
import { canManage } from '../../shared/roles'
import type { DocumentService } from '../documents/DocumentService'
import { FigureError, type FigureService } from '../documents/figures'
import type { Catalog } from '../storage/Catalog'
import { currentUser, requireUser } from './auth'
import { access, documentParam, requireDraft, requireRole } from './documentsRouter'
import { contentDisposition } from './exportRouter'
import { HttpError } from './errors'
import { objectBody } from './validate'

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const SHEET_MAX_BYTES = 5 * 1024 * 1024
const MAX_CHANGES = 1000
const VALUE_MAX = 200
const SOURCE_MAX = 500

function parseChanges(body: unknown): FigureChange[] {
  const { changes } = objectBody(body, ['changes'])
  if (!Array.isArray(changes) || changes.length === 0 || changes.length > MAX_CHANGES) throw new HttpError(400, `Field "changes" must be a list of 1 to ${MAX_CHANGES} changes`)
  return changes.map((raw, index) => {
    const change = objectBody(raw, ['id', 'value', 'expected', 'source', 'verified', 'force'])
    const text = (field: string, max: number) => {
      const value = change[field]
      if (value === undefined) return undefined
      if (typeof value !== 'string' || value.length > max) throw new HttpError(400, `changes[${index}].${field} must be a string of at most ${max} characters`)
      return field === 'expected' ? value : value.trim()
    }
    const id = text('id', 64)
    if (!id) throw new HttpError(400, `changes[${index}].id is required`)
    for (const flag of ['verified', 'force'])
      if (change[flag] !== undefined && typeof change[flag] !== 'boolean') throw new HttpError(400, `changes[${index}].${flag} must be true or false`)
    const result: FigureChange = {
      id,
      value: text('value', VALUE_MAX),
      expected: text('expected', VALUE_MAX),
      source: text('source', SOURCE_MAX),
      verified: change.verified as boolean | undefined,
      force: change.force as boolean | undefined,
    }
    if (result.value === undefined && result.source === undefined && result.verified === undefined) throw new HttpError(400, `changes[${index}] changes nothing`)
    if (result.value === '') throw new HttpError(400, `changes[${index}].value must not be empty`)
    return result
  })
}

/** FigureError → `{ error, code, …details }` with its status. */
const figureErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if (!(error instanceof FigureError)) return next(error)
  res.status(error.status).json({ error: error.message, code: error.code, ...error.details })
}

/**
 * Figures (统计数据征集): GET /:id/figures, PATCH /:id/figures {changes}, GET /:id/figures.xlsx[?section=N],
 * POST /:id/figures/import (the .xlsx as body), POST /:id/figures/imports/:importId/undo,
 * PUT /:id/figures/settings {requireVerifiedFigures} (owner).
 */
export function figuresRouter(documents: DocumentService, figures: FigureService, catalog: Catalog): Router {
  const router = Router()
  router.use(requireUser)
  router.param('id', documentParam(documents))
  const actor = (req: express.Request) => {
    const user = currentUser(req)
    return { id: user.id, displayName: user.displayName, role: access(req).role }
  }

  router.get('/:id/figures', async (req, res) => {
    res.json(await figures.list(access(req).document.id))
  })

  router.patch('/:id/figures', async (req, res) => {
    const { document } = access(req)
    requireDraft(document, 'change figures')
    res.json(await figures.change(document.id, actor(req), parseChanges(req.body)))
  })

  router.get('/:id/figures.xlsx', async (req, res) => {
    const { document } = access(req)
    const raw = req.query.section
    const section = raw === undefined ? undefined : Number(raw)
    if (section !== undefined && !(Number.isInteger(section) && section >= -1)) throw new HttpError(400, 'Query parameter "section" must be a section number')
    const data = await figures.exportSheet(document.id, document.title, section)
    res
      .set({ 'Content-Type': XLSX_TYPE, 'Content-Disposition': contentDisposition(`${document.title}-统计数据征集表`, 'xlsx'), 'Cache-Control': 'no-store' })
      .send(data)
  })

  router.post('/:id/figures/import', express.raw({ type: () => true, limit: SHEET_MAX_BYTES }), async (req, res) => {
    const document = requireRole(req, (role) => role === 'owner' || role === 'drafter', 'import figures')
    requireDraft(document, 'import figures')
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new HttpError(400, 'Send the filled .xlsx file as the request body')
    res.json(await figures.importSheet(document.id, actor(req), req.body))
  })

  router.post('/:id/figures/imports/:importId/undo', async (req, res) => {
    const document = requireRole(req, (role) => role === 'owner' || role === 'drafter', 'undo an import')
    requireDraft(document, 'undo an import')
    res.json(await figures.undoImport(document.id, String(req.params.importId)))
  })

  router.put('/:id/figures/settings', async (req, res) => {
    const document = requireRole(req, canManage, 'change the figure settings')
    const body = objectBody(req.body, ['requireVerifiedFigures'])
    if (typeof body.requireVerifiedFigures !== 'boolean') throw new HttpError(400, 'Field "requireVerifiedFigures" must be true or false')
    await catalog.update(document.id, { requireVerifiedFigures: body.requireVerifiedFigures })
    res.json({ requireVerifiedFigures: body.requireVerifiedFigures })
  })

  router.use(figureErrors)
  return router
}
