import { Router } from 'express'
import { plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import { DOCUMENT_ID_PATTERN, type DocumentService } from '../documents/DocumentService'
import { HttpError } from './errors'
import { objectBody, optionalString, requiredString } from './validate'

const TITLE_MAX = 200
const TEXT_MAX = 1_000_000

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
    const content = plainTextToDocJSON(text ?? title)
    res.status(201).json(await documents.create(title, content))
  })

  router.get('/:id', (req, res) => {
    res.json(documents.get(req.params.id))
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
