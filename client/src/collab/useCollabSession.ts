import { useEffect, useState, useSyncExternalStore } from 'react'
import type { Identity } from '../identity'
import { CollabSession, type SessionState } from './CollabSession'

/** Opens a document for as long as the calling component is mounted; a new `generation` reopens it afresh. */
export function useCollabSession(documentId: string, identity: Identity, generation = 0): { session: CollabSession | null; state: SessionState | null } {
  const [session, setSession] = useState<CollabSession | null>(null)

  useEffect(() => {
    const created = new CollabSession(documentId, identity)
    setSession(created)
    return () => {
      created.destroy()
      setSession(null)
    }
    // The identity is applied below without reopening the document.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [documentId, generation])

  useEffect(() => {
    session?.setIdentity(identity)
  }, [session, identity])

  const state = useSyncExternalStore(
    (notify) => session?.subscribe(notify) ?? (() => undefined),
    () => session?.getState() ?? null,
  )
  return { session, state }
}
