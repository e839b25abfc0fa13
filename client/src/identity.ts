import { colorFor } from '../../shared/editor/lib/colors'
import { newId } from '../../shared/editor/lib/ids'

/**
 * The person at this browser. Accounts replace this later (through the server's onAuthenticate hook);
 * until then the name is asked once and kept, with a random id that marks their suggestions.
 */
export interface Identity {
  id: string
  name: string
  color: string
}

const STORAGE_KEY = 'huigao.identity'

export function loadIdentity(): Identity | null {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Identity> | null
    if (!stored || typeof stored.name !== 'string' || !stored.name.trim()) return null
    const id = typeof stored.id === 'string' && stored.id ? stored.id : newId('u')
    if (id !== stored.id) localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...stored, id }))
    return { id, name: stored.name, color: colorFor(id) }
  } catch {
    return null
  }
}

export function saveIdentity(name: string, previous?: Identity | null): Identity {
  const id = previous?.id ?? newId('u')
  const identity = { id, name: name.trim(), color: colorFor(id) }
  localStorage.setItem(STORAGE_KEY, JSON.stringify(identity))
  return identity
}
