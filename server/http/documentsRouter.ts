import express, { Router } from 'express'
import { modelToDocJSON, plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import { DocxReadError, importDocx } from '../../shared/report/importDocx'
import { DOCUMENT_ID_PATTERN, type DocumentService } from '../documents/DocumentService'
import { outlineView, placeholdersView, reviewView } from '../documents/views'
import { HttpError } from './errors'
import { objectBody, optionalString, requiredString } from './validate'

const TITLE_MAX = 200
const TEXT_MAX = 1_000_000
const DOCX_MAX_BYTES = 10 * 1024 * 1024
const UNTITLED = '未命名文稿'

export function documentsRouter(documents: DocumentService): Router {
  const router = Router()

  router.param('id', (_req, _res, next, id: string) => {
    if (!DOCUMENT_ID_PATTERN.test(id)) return next(new HttpError(400, `Invalid document id "${id.slice(0, 80)}"`))
    if (!documents.get(id)) return next(new HttpError(404, `Document ${id} not found`))
    next()
  })

  router.get('/', (_req, res) => {
    res.json(documents.list())
  })

  router.post('/', async (req, res) => {
    const body = objectBody(req.body, ['title', 'text'])
    const title = requiredString(body, 'title', { max: TITLE_MAX })
    const text = optionalString(body, 'text', { max: TEXT_MAX })
    const content = plainTextToDocJSON(text ?? '', title)
    res.status(201).json(await documents.create(title, content))
  })

  router.post('/import', express.raw({ type: () => true, limit: DOCX_MAX_BYTES }), async (req, res) => {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new HttpError(400, 'Send the .docx file as the request body')
    const model = await importDocx(req.body).catch((error: unknown) => {
      throw error instanceof DocxReadError ? new HttpError(400, `Cannot import: ${error.message}`) : error
    })
    const title = (typeof req.query.title === 'string' && req.query.title.trim()) || model.title || UNTITLED
    if (title.length > TITLE_MAX) throw new HttpError(400, `Title is longer than ${TITLE_MAX} characters`)
    res.status(201).json(await documents.create(title.trim(), modelToDocJSON(model, title.trim())))
  })

  router.get('/:id', (req, res) => {
    res.json(documents.get(req.params.id))
  })

  router.get('/:id/placeholders', async (req, res) => {
    res.json(await documents.read(req.params.id, placeholdersView))
  })

  router.get('/:id/outline', async (req, res) => {
    res.json(await documents.read(req.params.id, outlineView))
  })

  router.get('/:id/review', async (req, res) => {
    res.json(await documents.read(req.params.id, reviewView))
  })

  router.patch('/:id', async (req, res) => {
    const body = objectBody(req.body, ['title'])
    res.json(await documents.rename(req.params.id, requiredString(body, 'title', { max: TITLE_MAX })))
  })

  router.delete('/:id', async (req, res) => {
    await documents.remove(req.params.id)
    res.status(204).end()
  })

  return router
}
