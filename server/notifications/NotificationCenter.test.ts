import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Response } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { NOTIFICATIONS_KEPT, NOTIFICATION_TEXT_MAX } from '../../shared/notifications'
import { PgListener } from '../postgres/PgListener'
import { PgNotificationRepository } from '../postgres/PgNotificationRepository'
import { createPool } from '../postgres/pool'
import { testBackends } from '../postgres/testing'
import { waitFor } from '../testing/harness'
import { NotificationCenter } from './NotificationCenter'

const event = (text: string) => ({ kind: 'commentReply' as const, documentId: 'd1', documentTitle: '报告', actorName: '李四', text })

/** A server-sent event stream that records what is written to it. */
function fakeStream(): { res: Response; events: string[] } {
  const events: string[] = []
  const res = { writeHead: () => res, write: (chunk: string) => events.push(chunk), on: () => res, end: () => undefined } as unknown as Response
  return { res, events }
}

for (const backend of await testBackends()) {
  describe.skipIf(backend.skipReason !== undefined)(`NotificationCenter on ${backend.name}`, () => {
    const cleanups: (() => Promise<unknown> | unknown)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    /** One installation; `again()` opens a second center on it (a restart, or another process). */
    async function installation() {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'huigao-notes-'))
      cleanups.push(() => fs.rm(dir, { recursive: true, force: true }))
      const url = backend.database && (await backend.database())
      const again = async () => {
        if (!url) return NotificationCenter.open(dir)
        const pool = createPool(url, { max: 2 })
        const listener = new PgListener(url)
        cleanups.push(() => pool.end(), () => listener.close())
        return new NotificationCenter(await PgNotificationRepository.open(pool, listener))
      }
      const center = await again()
      return { center, dir, again }
    }

    it('keeps each person’s latest notifications only, newest first, and shortens long texts', async () => {
      const { center } = await installation()
      for (let i = 0; i < NOTIFICATIONS_KEPT + 5; i++) await center.notify(['a'], event(`第${i}条`))
      await center.notify(['b', 'b', ''], event('长'.repeat(NOTIFICATION_TEXT_MAX + 50)))
      const a = await center.list('a', 1000)
      expect(a.notifications).toHaveLength(NOTIFICATIONS_KEPT)
      expect(a.notifications[0].text).toBe(`第${NOTIFICATIONS_KEPT + 4}条`)
      expect(a.notifications.at(-1)?.text).toBe('第5条')
      expect(a.unread).toBe(NOTIFICATIONS_KEPT)
      // Duplicates and empty ids are dropped; b's one notification is untouched by a's pruning.
      const b = await center.list('b')
      expect(b.notifications).toHaveLength(1)
      expect(b.notifications[0].text).toHaveLength(NOTIFICATION_TEXT_MAX)
      center.close()
    }, 60_000)

    it('marks read per id or all, only the caller’s, and keeps it', async () => {
      const { center, again } = await installation()
      await center.notify(['a', 'b'], event('一'))
      await center.notify(['a'], event('二'))
      const [latest] = (await center.list('a')).notifications
      expect((await center.markRead('a', [latest.id])).unread).toBe(1)
      // Someone else's id marks nothing of theirs.
      const bId = (await center.list('b')).notifications[0].id
      expect((await center.markRead('a', [bId])).unread).toBe(1)
      expect((await center.list('b')).unread).toBe(1)
      expect((await center.markRead('a', 'all')).unread).toBe(0)
      center.close()
      const reopened = await again()
      expect(await reopened.list('a')).toMatchObject({ unread: 0 })
      expect(await reopened.list('b')).toMatchObject({ unread: 1 })
      reopened.close()
    })

    it('pushes new notifications and unread counts to the person’s open streams, on any process', async () => {
      const { center, again } = await installation()
      // With the files there is one process; with PostgreSQL the stream is held by another one.
      const other = backend.name === 'postgres' ? await again() : center
      const mine = fakeStream()
      const theirs = fakeStream()
      other.subscribe('a', mine.res)
      other.subscribe('b', theirs.res)
      await center.notify(['a'], event('新回复'))
      await waitFor(() => mine.events.some((e) => e.includes('新回复')), 10_000, 'the pushed notification')
      const [pushed] = mine.events.filter((e) => e.startsWith('event: notification'))
      expect(JSON.parse(pushed.split('data: ')[1])).toEqual((await center.list('a')).notifications[0])
      await center.markRead('a', 'all')
      await waitFor(() => mine.events.some((e) => e === `event: unread\ndata: {"unread":0}\n\n`), 10_000, 'the unread count')
      expect(theirs.events.filter((e) => e.startsWith('event:'))).toEqual([])
      center.close()
      other.close()
    })

    it.runIf(backend.name === 'files')('refuses a corrupt file instead of starting empty', async () => {
      const { dir } = await installation()
      await fs.writeFile(path.join(dir, 'notifications.json'), '{"notifications": 5}')
      await expect(NotificationCenter.open(dir)).rejects.toThrow()
    })
  })
}
