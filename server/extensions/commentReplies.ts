import * as Y from 'yjs'
import { COMMENTS_MAP } from '../../shared/comments/threads'
import type { CollabDocument } from '../collab/CollabDocument'
import { Connection } from '../collab/Connection'
import type { CollabExtension } from '../collab/hooks'
import { roleOf } from '../documents/DocumentService'
import type { Catalog } from '../storage/Catalog'
import type { NotificationCenter } from '../notifications/NotificationCenter'
import { componentLogger } from '../logger'

const log = componentLogger('notifications')

/** The account behind a change made over a sync connection; null for the server's own changes. */
export function connectionSender(transaction: Y.Transaction): { id: string; name: string } | null {
  return transaction.origin instanceof Connection ? transaction.origin.context.user : null
}

/**
 * Sends 「回复了你的批注」 notifications: when someone adds a message to a comment thread over the sync
 * connection, everyone who wrote in that thread before (the thread's author included) is told, except
 * the sender. The sender is the connection's account, not the name the message claims. Only comment
 * changes are observed, so typing costs nothing.
 */
export class CommentReplyNotifier implements CollabExtension {
  constructor(
    private readonly catalog: Catalog,
    private readonly center: NotificationCenter,
  ) {}

  async onLoadDocument({ document }: { document: CollabDocument }): Promise<void> {
    const threads = document.ydoc.getMap<Y.Map<unknown>>(COMMENTS_MAP)
    const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
      const sender = connectionSender(transaction)
      if (!sender) return
      for (const event of events) {
        if (!(event.target instanceof Y.Array) || !(event.target.parent instanceof Y.Map)) continue
        const messages = event.target.toArray() as { id?: string; authorId?: string; text?: string }[]
        const added = new Set<unknown>(event.changes.added.size > 0 ? [...event.changes.added].flatMap((item) => item.content.getContent()) : [])
        const earlier = messages.filter((message) => !added.has(message))
        const replies = messages.filter((message) => added.has(message))
        // A new thread's first message is not a reply.
        if (earlier.length === 0 || replies.length === 0) continue
        const thread = event.target.parent
        const recipients = new Set([String(thread.get('authorId') ?? ''), ...earlier.map((message) => String(message.authorId ?? ''))])
        recipients.delete(sender.id)
        const meta = this.catalog.get(document.name)
        if (!meta) continue
        // Someone no longer in the document is not told about it.
        void this.center
          .notify([...recipients].filter((id) => roleOf(meta, id) !== null), {
            kind: 'commentReply',
            documentId: meta.id,
            documentTitle: meta.title,
            actorName: sender.name,
            text: String(replies.at(-1)?.text ?? ''),
            sectionLabel: null,
          })
          .catch((error: unknown) => log.error(`${document.name}: ${(error as Error).message}`))
      }
    }
    // Lives as long as the Y.Doc: an unloaded document is destroyed with its observers.
    threads.observeDeep(observer)
  }
}
