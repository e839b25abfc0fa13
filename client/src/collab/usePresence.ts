import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'

export interface Participant {
  clientId: number
  name: string
  color: string
  isSelf: boolean
  mode: 'edit' | 'suggest' | 'view' | null
}

/** The people in a document, from Yjs awareness; the local person first. */
export function usePresence(awareness: Awareness | null): Participant[] {
  const [participants, setParticipants] = useState<Participant[]>([])
  useEffect(() => {
    if (!awareness) return
    // Awareness changes with every caret move; the page re-renders only when the people change.
    let previous = ''
    const read = () => {
      const list: Participant[] = []
      awareness.getStates().forEach((state, clientId) => {
        const user = state.user as { name?: unknown; color?: unknown } | undefined
        if (!user || typeof user.name !== 'string') return
        list.push({
          clientId,
          name: user.name,
          color: typeof user.color === 'string' ? user.color : '#888',
          isSelf: clientId === awareness.clientID,
          mode: state.mode === 'edit' || state.mode === 'suggest' || state.mode === 'view' ? state.mode : null,
        })
      })
      list.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name, 'zh-CN'))
      const key = JSON.stringify(list)
      if (key === previous) return
      previous = key
      setParticipants(list)
    }
    read()
    awareness.on('change', read)
    return () => awareness.off('change', read)
  }, [awareness])
  return participants
}
