import path from 'node:path'
import type { Low } from 'lowdb'
import { NOTIFICATIONS_KEPT, type NotificationList, type NotificationView } from '../../shared/notifications'
import { openLowFile } from '../storage/lowFile'

export interface StoredNotification extends NotificationView {
  userId: string
}

/** What the live streams are told: a new notification, or a person's new unread count. */
export type Published = { userId: string; notification: NotificationView } | { userId: string; unread: number }

/**
 * Where notifications are kept: FileNotificationRepository (DATA_DIR/notifications.json, the embedded
 * backend) or PgNotificationRepository (server/postgres, DATABASE_URL). Each person keeps their latest
 * NOTIFICATIONS_KEPT. What is stored is also published — on the PostgreSQL backend to every process,
 * since the person's streams may be open on any of them.
 */
export interface NotificationRepository {
  /** Stores them (pruning each person's oldest) and publishes each one. */
  add(notifications: StoredNotification[]): Promise<void>
  /** A person's latest `limit`, newest first, and their unread count. */
  list(userId: string, limit: number): Promise<NotificationList>
  /** Marks the given notifications (or all) of one person read and publishes the new unread count. */
  markRead(userId: string, ids: readonly string[] | 'all'): Promise<void>
  onPublished(listener: (message: Published) => void): void
  close(): Promise<void>
}

interface NotificationData {
  notifications: StoredNotification[]
}

const isData = (data: unknown): data is NotificationData =>
  typeof data === 'object' && data !== null && Array.isArray((data as NotificationData).notifications)

export function view({ userId: _userId, ...rest }: StoredNotification): NotificationView {
  return rest
}

/** The embedded backend: DATA_DIR/notifications.json (lowdb), one process. */
export class FileNotificationRepository implements NotificationRepository {
  private readonly listeners = new Set<(message: Published) => void>()

  private constructor(private readonly db: Low<NotificationData>) {}

  static async open(dataDir: string): Promise<FileNotificationRepository> {
    return new FileNotificationRepository(await openLowFile(path.join(dataDir, 'notifications.json'), { notifications: [] }, isData))
  }

  async add(notifications: StoredNotification[]): Promise<void> {
    this.db.data.notifications.push(...notifications)
    this.prune([...new Set(notifications.map((n) => n.userId))])
    await this.db.write()
    for (const notification of notifications) this.publish({ userId: notification.userId, notification: view(notification) })
  }

  /** Every stored notification, oldest first (importing the data directory into PostgreSQL). */
  all(): readonly StoredNotification[] {
    return this.db.data.notifications
  }

  async list(userId: string, limit: number): Promise<NotificationList> {
    const mine = this.db.data.notifications.filter((n) => n.userId === userId)
    return { notifications: mine.slice(-limit).reverse().map(view), unread: mine.filter((n) => !n.read).length }
  }

  async markRead(userId: string, ids: readonly string[] | 'all'): Promise<void> {
    const wanted = ids === 'all' ? null : new Set(ids)
    for (const n of this.db.data.notifications) if (n.userId === userId && (!wanted || wanted.has(n.id))) n.read = true
    await this.db.write()
    this.publish({ userId, unread: this.db.data.notifications.filter((n) => n.userId === userId && !n.read).length })
  }

  onPublished(listener: (message: Published) => void): void {
    this.listeners.add(listener)
  }

  async close(): Promise<void> {}

  private publish(message: Published): void {
    for (const listener of this.listeners) listener(message)
  }

  private prune(userIds: readonly string[]): void {
    for (const userId of userIds) {
      let excess = this.db.data.notifications.filter((n) => n.userId === userId).length - NOTIFICATIONS_KEPT
      if (excess <= 0) continue
      this.db.data.notifications = this.db.data.notifications.filter((n) => n.userId !== userId || excess-- <= 0)
    }
  }
}
