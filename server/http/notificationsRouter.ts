import { Router } from 'express'
import type { NotificationCenter } from '../notifications/NotificationCenter'
import { currentUser, requireUser } from './auth'
import { HttpError } from './errors'
import { objectBody } from './validate'

const MAX_IDS = 500

/**
 * GET /api/notifications (latest 50 and the unread count), POST /api/notifications/read {ids?} (all when
 * no ids), GET /api/notifications/stream (server-sent events: `notification` and `unread`).
 */
export function notificationsRouter(center: NotificationCenter): Router {
  const router = Router()
  router.use(requireUser)

  router.get('/', async (req, res) => {
    res.json(await center.list(currentUser(req).id))
  })

  router.post('/read', async (req, res) => {
    const body = objectBody(req.body ?? {}, ['ids'])
    const ids = body.ids
    if (ids !== undefined && (!Array.isArray(ids) || ids.length > MAX_IDS || !ids.every((id) => typeof id === 'string'))) {
      throw new HttpError(400, `Field "ids" must be a list of at most ${MAX_IDS} notification ids`)
    }
    res.json(await center.markRead(currentUser(req).id, (ids as string[] | undefined) ?? 'all'))
  })

  router.get('/stream', (req, res) => {
    center.subscribe(currentUser(req).id, res)
  })

  return router
}
