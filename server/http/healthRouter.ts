import express from 'express'
import { INSTANCE_ID } from '../logger'

/** Why this process should get no new traffic now, or null when it can take it. */
export type ReadinessCheck = () => Promise<string | null>

/**
 * /api/health: the process runs (a load balancer's liveness probe; restart it when this fails).
 * /api/ready: it can serve — its database answers and it is not stopping (take it out of rotation
 * while this fails, but do not restart it). Both name the process, for whoever reads the answer.
 */
export function healthRouter(checks: ReadinessCheck[]): express.Router {
  const router = express.Router()
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()), pid: process.pid, instance: INSTANCE_ID })
  })
  router.get('/ready', async (_req, res) => {
    const reasons = (await Promise.all(checks.map((check) => check().catch((error: Error) => error.message)))).filter((reason) => reason !== null)
    res.status(reasons.length === 0 ? 200 : 503).json({ ready: reasons.length === 0, reasons, pid: process.pid, instance: INSTANCE_ID })
  })
  return router
}

/** A database check that gives up after `timeoutMs`: a hung database must fail readiness, not hang it. */
export function databaseCheck(query: () => Promise<unknown>, timeoutMs = 2_000): ReadinessCheck {
  return async () => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`database did not answer within ${timeoutMs} ms`), timeoutMs)))
    try {
      return await Promise.race([query().then(() => null), timeout])
    } catch (error) {
      return `database unreachable: ${(error as Error).message}`
    } finally {
      clearTimeout(timer)
    }
  }
}
