import { afterAll, describe, expect, it } from 'vitest'
import { createPool } from '../postgres/pool'
import { postgresForTests } from '../postgres/testing'
import { InProcessEventBus, type ClusterEvent, type EventBus } from './events'
import { PgEventBus } from './PgEventBus'

const database = await postgresForTests({ migrated: false })
const closers: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const close of closers) await close()
})

const backends: Array<[string, (() => Promise<EventBus>) | undefined]> = [
  ['in-process', async () => new InProcessEventBus((error) => void error)],
  [
    'PostgreSQL LISTEN/NOTIFY',
    database.url
      ? async () => {
          const pool = createPool(database.url!, { max: 1 })
          const bus = await PgEventBus.start({ connectionString: database.url!, pool, instanceId: `contract-${Math.random()}` })
          closers.push(async () => (await bus.close(), await pool.end()))
          return bus
        }
      : undefined,
  ],
]

describe.each(backends)('the event bus contract: %s', (_name, open) => {
  it.skipIf(!open)('the publisher’s own listeners get each event once, before publish resolves, in order', async () => {
    const bus = await open!()
    const received: ClusterEvent[] = []
    bus.subscribe((event) => received.push(event))
    const events: ClusterEvent[] = [
      { type: 'sessions-ended', userId: 'u', sessionIds: ['s'], reason: 'signed-out' },
      { type: 'member-changed', documentId: 'd', userId: 'u', change: 'role' },
      { type: 'document-reopened', documentId: 'd', userIds: ['u', 'v'] },
    ]
    for (const event of events) {
      const done = bus.publish(event)
      expect(received.at(-1)).toBe(event)
      await done
    }
    expect(received).toEqual(events)
  })

  it.skipIf(!open)('a listener that throws keeps the event from no other listener; unsubscribing stops delivery', async () => {
    const bus = await open!()
    const got: string[] = []
    bus.subscribe(() => {
      throw new Error('listener bug')
    })
    const off = bus.subscribe((event) => got.push(event.type))
    await bus.publish({ type: 'document-deleted', documentId: 'd' })
    off()
    await bus.publish({ type: 'document-submitted', documentId: 'd' })
    expect(got).toEqual(['document-deleted'])
  })
})
