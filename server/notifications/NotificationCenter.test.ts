import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { NOTIFICATIONS_KEPT, NOTIFICATION_TEXT_MAX } from '../../shared/notifications'
import { NotificationCenter } from './NotificationCenter'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true })
})

async function open(): Promise<{ center: NotificationCenter; dir: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'huigao-notes-'))
  dirs.push(dir)
  return { center: await NotificationCenter.open(dir), dir }
}

const event = (text: string) => ({ kind: 'commentReply' as const, documentId: 'd1', documentTitle: '报告', actorName: '李四', text })

describe('NotificationCenter', () => {
  it('keeps each person’s latest notifications only, newest first, and shortens long texts', async () => {
    const { center } = await open()
    for (let i = 0; i < NOTIFICATIONS_KEPT + 5; i++) await center.notify(['a'], event(`第${i}条`))
    await center.notify(['b', 'b', ''], event('长'.repeat(NOTIFICATION_TEXT_MAX + 50)))
    const a = center.list('a', 1000)
    expect(a.notifications).toHaveLength(NOTIFICATIONS_KEPT)
    expect(a.notifications[0].text).toBe(`第${NOTIFICATIONS_KEPT + 4}条`)
    expect(a.notifications.at(-1)?.text).toBe('第5条')
    expect(a.unread).toBe(NOTIFICATIONS_KEPT)
    // Duplicates and empty ids are dropped; b's one notification is untouched by a's pruning.
    const b = center.list('b')
    expect(b.notifications).toHaveLength(1)
    expect(b.notifications[0].text).toHaveLength(NOTIFICATION_TEXT_MAX)
    center.close()
  })

  it('marks read per id or all, only the caller’s, and keeps it on disk', async () => {
    const { center, dir } = await open()
    await center.notify(['a', 'b'], event('一'))
    await center.notify(['a'], event('二'))
    const [latest] = center.list('a').notifications
    expect((await center.markRead('a', [latest.id])).unread).toBe(1)
    // Someone else's id marks nothing of theirs.
    const bId = center.list('b').notifications[0].id
    expect((await center.markRead('a', [bId])).unread).toBe(1)
    expect(center.list('b').unread).toBe(1)
    expect((await center.markRead('a', 'all')).unread).toBe(0)
    center.close()
    const reopened = await NotificationCenter.open(dir)
    expect(reopened.list('a')).toMatchObject({ unread: 0 })
    expect(reopened.list('b')).toMatchObject({ unread: 1 })
    reopened.close()
  })

  it('refuses a corrupt file instead of starting empty', async () => {
    const { dir } = await open()
    await fs.writeFile(path.join(dir, 'notifications.json'), '{"notifications": 5}')
    await expect(NotificationCenter.open(dir)).rejects.toThrow()
  })
})
