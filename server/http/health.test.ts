import express from 'express'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { postgresForTests } from '../postgres/testing'
import { api, TestContext } from '../testing/harness'
import { databaseCheck, healthRouter } from './healthRouter'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

async function serve(router: express.Router): Promise<string> {
  const app = express().use('/api', router)
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  ctx.defer(() => new Promise((resolve) => server.close(resolve)))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('/api/health and /api/ready', () => {
  it('the embedded backend: healthy and ready, naming the process', async () => {
    const running = await ctx.startServer()
    const health = await api(running.base, 'GET', '/api/health')
    expect(health.status).toBe(200)
    expect(health.body).toMatchObject({ status: 'ok', pid: process.pid, instance: expect.any(String) })
    expect(health.headers.get('x-huigao-instance')).toBe(health.body.instance)
    const ready = await api(running.base, 'GET', '/api/ready')
    expect(ready.status).toBe(200)
    expect(ready.body).toMatchObject({ ready: true, reasons: [] })
  })

  it('not ready (503, with the reason) when the database refuses or does not answer; health stays ok', async () => {
    const base = await serve(
      healthRouter([
        databaseCheck(() => Promise.reject(new Error('connection refused'))),
        databaseCheck(() => new Promise(() => undefined), 50),
        async () => null,
      ]),
    )
    const ready = await api(base, 'GET', '/api/ready')
    expect(ready.status).toBe(503)
    expect(ready.body.ready).toBe(false)
    expect(ready.body.reasons).toEqual(['database unreachable: connection refused', 'database did not answer within 50 ms'])
    expect((await api(base, 'GET', '/api/health')).status).toBe(200)
  })

  it('a check that throws counts as not ready rather than failing the request', async () => {
    const base = await serve(healthRouter([() => Promise.reject(new Error('broken check'))]))
    const ready = await api(base, 'GET', '/api/ready')
    expect(ready.status).toBe(503)
    expect(ready.body.reasons).toEqual(['broken check'])
  })
})

const pg = await postgresForTests()

describe.skipIf(!pg.url)('/api/ready on the PostgreSQL backend', () => {
  it('is ready when the database answers and the event connection listens', async () => {
    const running = await ctx.startServer({ databaseUrl: pg.url })
    const ready = await api(running.base, 'GET', '/api/ready')
    expect(ready.body).toMatchObject({ ready: true, reasons: [] })
    expect(ready.status).toBe(200)
  })
})
