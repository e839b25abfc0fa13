import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { COMMENTS_MAP, readThreads, type CommentThread } from '../../../shared/comments/threads'

/** Comment threads of a document, live. */
export function useThreads(ydoc: Y.Doc): CommentThread[] {
  const [threads, setThreads] = useState(() => readThreads(ydoc))
  useEffect(() => {
    const map = ydoc.getMap(COMMENTS_MAP)
    const refresh = () => setThreads(readThreads(ydoc))
    map.observeDeep(refresh)
    refresh()
    return () => map.unobserveDeep(refresh)
  }, [ydoc])
  return threads
}
