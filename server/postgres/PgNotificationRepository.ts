import type pg from 'pg'
import { NOTIFICATIONS_KEPT, type NotificationKind, type NotificationList, type NotificationView } from '../../shared/notifications'
import { view, type NotificationRepository, type Published, type StoredNotification } from '../notifications/NotificationRepository'
import type { PgListener } from './PgListener'
import { inTransaction } from './pool'

/** New notifications and unread counts, as JSON (Published); a notification's text is at most 200 characters, far below NOTIFY's 8000 bytes. */
export const NOTIFICATIONS_CHANNEL = 'huigao_notifications'

interface Row {
  id: string
  kind: NotificationKind
  document_id: string
  document_title: string
  actor_name: string
  text: string
  section_label: string | null
  created_at: Date
  read: boolean
}

const viewOf = (row: Row): NotificationView => ({
  id: row.id,
  kind: row.kind,
  documentId: row.document_id,
  documentTitle: row.document_title,
  actorName: row.actor_name,
  text: row.text,
  sectionLabel: row.section_label,
  createdAt: row.created_at.toISOString(),
  read: row.read,
})

/**
 * Notifications in PostgreSQL (table notifications). Every addition and read-marking is announced with
 * NOTIFY in its transaction, and every process pushes what it hears to the streams it holds: a person's
 * browser tabs may be connected to any process. Notices sent while a process is not listening (a lost
 * connection) are not pushed live; the list fetched when a tab opens still has them.
 */
export class PgNotificationRepository implements NotificationRepository {
  private readonly listeners = new Set<(message: Published) => void>()

  private constructor(private readonly pool: pg.Pool) {}

  static async open(pool: pg.Pool, listener: PgListener): Promise<PgNotificationRepository> {
    const repository = new PgNotificationRepository(pool)
    await listener.listen(NOTIFICATIONS_CHANNEL, { onMessage: (payload) => repository.received(payload), onReconnected: () => undefined })
    return repository
  }

  add(notifications: StoredNotification[]): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO notifications (id, user_id, kind, document_id, document_title, actor_name, text, section_label, created_at, read)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::boolean[])`,
        [
          notifications.map((n) => n.id),
          notifications.map((n) => n.userId),
          notifications.map((n) => n.kind),
          notifications.map((n) => n.documentId),
          notifications.map((n) => n.documentTitle),
          notifications.map((n) => n.actorName),
          notifications.map((n) => n.text),
          notifications.map((n) => n.sectionLabel),
          notifications.map((n) => n.createdAt),
          notifications.map((n) => n.read),
        ],
      )
      // Each person keeps their latest NOTIFICATIONS_KEPT.
      await client.query(
        `DELETE FROM notifications n USING (
           SELECT seq FROM (SELECT seq, row_number() OVER (PARTITION BY user_id ORDER BY seq DESC) AS rank FROM notifications WHERE user_id = ANY($1)) ranked
           WHERE rank > $2) old WHERE n.seq = old.seq`,
        [[...new Set(notifications.map((n) => n.userId))], NOTIFICATIONS_KEPT],
      )
      for (const notification of notifications) {
        await client.query('SELECT pg_notify($1, $2)', [NOTIFICATIONS_CHANNEL, JSON.stringify({ userId: notification.userId, notification: view(notification) } satisfies Published)])
      }
    })
  }

  async list(userId: string, limit: number): Promise<NotificationList> {
    const [{ rows }, unread] = await Promise.all([
      this.pool.query<Row>(
        'SELECT id, kind, document_id, document_title, actor_name, text, section_label, created_at, read FROM notifications WHERE user_id = $1 ORDER BY seq DESC LIMIT $2',
        [userId, limit],
      ),
      this.unread(this.pool, userId),
    ])
    return { notifications: rows.map(viewOf), unread }
  }

  markRead(userId: string, ids: readonly string[] | 'all'): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      if (ids === 'all') await client.query('UPDATE notifications SET read = true WHERE user_id = $1 AND NOT read', [userId])
      else await client.query('UPDATE notifications SET read = true WHERE user_id = $1 AND id = ANY($2) AND NOT read', [userId, ids])
      const unread = await this.unread(client, userId)
      await client.query('SELECT pg_notify($1, $2)', [NOTIFICATIONS_CHANNEL, JSON.stringify({ userId, unread } satisfies Published)])
    })
  }

  onPublished(listener: (message: Published) => void): void {
    this.listeners.add(listener)
  }

  /** The listener is closed by its owner (server/postgres/repositories.ts). */
  async close(): Promise<void> {
    this.listeners.clear()
  }

  private async unread(db: pg.Pool | pg.PoolClient, userId: string): Promise<number> {
    return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND NOT read', [userId])).rows[0].n
  }

  private received(payload: string): void {
    let message: Published
    try {
      message = JSON.parse(payload) as Published
    } catch {
      console.error(`[notifications] unreadable notice: ${payload.slice(0, 100)}`)
      return
    }
    for (const listener of this.listeners) listener(message)
  }
}
