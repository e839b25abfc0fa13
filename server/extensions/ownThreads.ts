import type * as Y from 'yjs'
import { readThreads } from '../../shared/comments/threads'

/**
 * The comment threads `userId` started, in the document before or after an update: the anchors a
 * person without edit rights may add or remove. (The thread model keeps a thread's author fixed.)
 */
export function ownThreadIds(userId: string, ...docs: Y.Doc[]): Set<string> {
  const own = new Set<string>()
  for (const doc of docs) for (const thread of readThreads(doc)) if (thread.authorId === userId) own.add(thread.id)
  return own
}
