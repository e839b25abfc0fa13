import * as Y from 'yjs'
import { COMMENTS_MAP, type CommentThread } from '../comments/threads'
import { CONTENT_FRAGMENT, type DocJSON } from '../editor/lib/ydoc'
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap'
import { schema } from '../editor/schema'

/** Writes threads read from a file into the Y.Map `comments`, in the layout `createThread` uses. */
export function writeThreads(ydoc: Y.Doc, threads: readonly CommentThread[]): void {
  const map = ydoc.getMap<Y.Map<unknown>>(COMMENTS_MAP)
  ydoc.transact(() => {
    for (const { messages, ...fields } of threads) {
      const thread = new Y.Map<unknown>()
      for (const [key, value] of Object.entries(fields)) thread.set(key, value)
      const list = new Y.Array<CommentThread['messages'][number]>()
      list.push(messages.map((message) => ({ ...message })))
      thread.set('messages', list)
      map.set(fields.id, thread)
    }
  })
}

/** A Yjs update creating a whole imported document: its content and its comment threads. */
export function importedDocumentUpdate(content: DocJSON, threads: readonly CommentThread[]): Uint8Array {
  const ydoc = prosemirrorJSONToYDoc(schema, content, CONTENT_FRAGMENT)
  writeThreads(ydoc, threads)
  const update = Y.encodeStateAsUpdate(ydoc)
  ydoc.destroy()
  return update
}
