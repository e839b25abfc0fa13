import fc from 'fast-check'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { createPool } from '../postgres/pool'
import { postgresForTests } from '../postgres/testing'
import { waitFor } from '../testing/harness'
import type { ClusterEvent } from './events'
import { EVENT_CHANNEL, isClusterEvent, PgEventBus, splitEvent } from './PgEventBus'

const sessionIds = (n: number, tag = 's') => Array.from({ length: n }, (_, i) => `${tag}${String(i).padStart(63, '0')}`)

describe('splitEvent: long sign-outs are sent in parts that fit a NOTIFY', () => {
  it('every part is small enough and well formed; together they carry every id once, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 80 }), { maxLength: 600 }), fc.boolean(), (ids, sessions) => {
        const event: ClusterEvent = sessions
          ? { type: 'sessions-ended', userId: 'u1', sessionIds: ids, reason: 'password-reset' }
          : { type: 'document-reopened', documentId: 'd1', userIds: ids }
        const parts = splitEvent(event)
        for (const part of parts) {
          expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(7_000)
          expect(isClusterEvent(part)).toBe(true)
        }
        const carried = parts.flatMap((part) => (part.type === 'sessions-ended' ? part.sessionIds : part.type === 'document-reopened' ? part.userIds : []))
        expect(carried).toEqual(ids)
      }),
      { numRuns: 200 },
    )
  })

  it('refuses what cannot be split rather than sending something PostgreSQL would reject', () => {
    expect(() => splitEvent({ type: 'document-deleted', documentId: 'x'.repeat(9_000) })).toThrow(/too large/)
  })
})

const database = await postgresForTests({ migrated: false })

describe.skipIf(!database.url)('PgEventBus (LISTEN/NOTIFY between processes)', () => {
  const url = database.url!
  const pools: pg.Pool[] = []
  const buses: PgEventBus[] = []
  afterAll(async () => {
    for (const bus of buses) await bus.close()
    for (const pool of pools) await pool.end()
  })

  async function process(name: string) {
    const pool = createPool(url, { max: 2 })
    pools.push(pool)
    const bus = await PgEventBus.start({ connectionString: url, pool, instanceId: name })
    buses.push(bus)
    const received: ClusterEvent[] = []
    bus.subscribe((event) => received.push(event))
    return { bus, received, pool }
  }

  it('an event reaches the other process once, and the publisher once, at once', async () => {
    const a = await process('a')
    const b = await process('b')
    const signOut: ClusterEvent = { type: 'sessions-ended', userId: 'u1', sessionIds: ['abc'], reason: 'signed-out' }
    const published = a.bus.publish(signOut)
    // Delivered to the publisher before publishing resolves, as a single process did without a bus.
    expect(a.received).toEqual([signOut])
    await published
    await waitFor(() => b.received.length === 1, 30_000, 'b to receive the sign-out')
    expect(b.received).toEqual([signOut])

    // b answers; once a has that answer, a's own first event would have come back already if it were going to.
    const reply: ClusterEvent = { type: 'document-deleted', documentId: 'd1' }
    await b.bus.publish(reply)
    await waitFor(() => a.received.length === 2, 30_000, 'a to receive the reply')
    expect(a.received).toEqual([signOut, reply])
    expect(b.received).toEqual([signOut, reply])
  })

  it('a password reset ending hundreds of sessions arrives whole (in parts under the NOTIFY limit)', async () => {
    const a = await process('a2')
    const b = await process('b2')
    const ids = sessionIds(400)
    await a.bus.publish({ type: 'sessions-ended', userId: 'u2', sessionIds: ids, reason: 'password-reset' })
    const carried = () => b.received.flatMap((event) => (event.type === 'sessions-ended' ? event.sessionIds : []))
    await waitFor(() => carried().length === ids.length, 30_000, 'every session id')
    expect(carried()).toEqual(ids)
    expect(b.received.every((event) => event.type === 'sessions-ended' && event.reason === 'password-reset' && event.userId === 'u2')).toBe(true)
  })

  it('ignores junk sent on the channel by anyone else and keeps delivering', async () => {
    const a = await process('a3')
    const b = await process('b3')
    for (const junk of ['not json', JSON.stringify({ origin: 'x', event: { type: 'drop-tables' } }), JSON.stringify({ origin: 'x', event: { type: 'member-changed', documentId: 1 } })]) {
      await a.pool.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, junk])
    }
    const event: ClusterEvent = { type: 'member-changed', documentId: 'd', userId: 'u', change: 'removed' }
    await a.bus.publish(event)
    await waitFor(() => b.received.length > 0, 30_000, 'the well-formed event')
    expect(b.received).toEqual([event])
  })

  it('reconnects when its listening connection is cut, and receives what is published afterwards', async () => {
    const a = await process('a4')
    const b = await process('b4')
    const admin = createPool(url, { max: 1 })
    pools.push(admin)
    // Cut every event listener of this database (as a restarted PostgreSQL or a network drop would).
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'huigao-events' AND datname = current_database()`)
    await waitFor(() => !b.bus.listening, 30_000, 'b to notice')
    // Events published while b is away are lost to it (NOTIFY keeps nothing); so publish until one arrives.
    let n = 0
    await waitFor(
      async () => {
        await a.bus.publish({ type: 'document-submitted', documentId: `d${n++}` })
        return b.received.length > 0
      },
      60_000,
      'b to listen again',
    )
    expect(b.bus.listening).toBe(true)
    expect(b.received.every((event) => event.type === 'document-submitted')).toBe(true)
  })
})
