import type { Response } from 'express'
import { newId } from '../../shared/editor/lib/ids'
import { NOTIFICATION_EVENT, NOTIFICATION_TEXT_MAX, type NotificationKind, type NotificationList, type NotificationView } from '../../shared/notifications'
import { FileNotificationRepository, type NotificationRepository, type Published, type StoredNotification } from './NotificationRepository'

export interface NotificationEvent {
  kind: NotificationKind
  documentId: string
  documentTitle: string
  actorName: string
  text?: string
  sectionLabel?: string | null
}

/** How often an idle stream gets a comment line, so proxies and the browser keep it open. */
const KEEPALIVE_MS = 25_000

/**
 * Stores each person's notifications (in a NotificationRepository) and pushes new ones to their open
 * streams (server-sent events, one per browser tab). Notifications are per person, across documents, so
 * they travel on their own small stream rather than on a document's sync connection: the document list
 * has no sync connection, and the y-websocket protocol stays untouched.
 */
export class NotificationCenter {
  private readonly streams = new Map<string, Set<Response>>()
  private readonly keepalive: NodeJS.Timeout

  /** Whatever the repository publishes (from any process, on PostgreSQL) goes to this process's streams. */
  constructor(private readonly repository: NotificationRepository) {
    this.keepalive = setInterval(() => {
      for (const set of this.streams.values()) for (const res of set) res.write(': keepalive\n\n')
    }, KEEPALIVE_MS)
    this.keepalive.unref()
    repository.onPublished((message) => this.deliver(message))
  }

  /** The embedded backend: DATA_DIR/notifications.json. */
  static async open(dataDir: string): Promise<NotificationCenter> {
    return new NotificationCenter(await FileNotificationRepository.open(dataDir))
  }

  /** Stores the event for each recipient (duplicates and empty ids dropped) and pushes it to their streams. */
  async notify(userIds: Iterable<string>, event: NotificationEvent): Promise<void> {
    const recipients = [...new Set(userIds)].filter((id) => id !== '')
    if (recipients.length === 0) return
    const createdAt = new Date().toISOString()
    const added = recipients.map(
      (userId): StoredNotification => ({
        id: newId('n'),
        userId,
        kind: event.kind,
        documentId: event.documentId,
        documentTitle: event.documentTitle,
        actorName: event.actorName,
        text: (event.text ?? '').slice(0, NOTIFICATION_TEXT_MAX),
        sectionLabel: event.sectionLabel ?? null,
        createdAt,
        read: false,
      }),
    )
    await this.repository.add(added)
  }

  list(userId: string, limit = 50): Promise<NotificationList> {
    return this.repository.list(userId, limit)
  }

  /** Marks the given notifications (or all of them) read; returns the new list. */
  async markRead(userId: string, ids: readonly string[] | 'all'): Promise<NotificationList> {
    await this.repository.markRead(userId, ids)
    return this.list(userId)
  }

  /** Attaches a server-sent event stream; it gets every new notification until the client goes away. */
  subscribe(userId: string, res: Response): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    res.write(`retry: 3000\n\n`)
    let set = this.streams.get(userId)
    if (!set) this.streams.set(userId, (set = new Set()))
    set.add(res)
    res.on('close', () => {
      set.delete(res)
      if (set.size === 0) this.streams.delete(userId)
    })
  }

  /** Ends every stream (server shutdown); the repository is closed by its owner. */
  close(): void {
    clearInterval(this.keepalive)
    for (const set of this.streams.values()) for (const res of set) res.end()
    this.streams.clear()
  }

  private deliver(message: Published): void {
    if ('notification' in message) this.push(message.userId, message.notification)
    else this.pushUnread(message.userId, message.unread)
  }

  private push(userId: string, notification: NotificationView): void {
    const data = JSON.stringify(notification)
    for (const res of this.streams.get(userId) ?? []) res.write(`event: ${NOTIFICATION_EVENT}\ndata: ${data}\n\n`)
  }

  /** Other tabs of the same person learn that something was read elsewhere. */
  private pushUnread(userId: string, unread: number): void {
    for (const res of this.streams.get(userId) ?? []) res.write(`event: unread\ndata: ${JSON.stringify({ unread })}\n\n`)
  }
}
