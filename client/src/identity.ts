import { colorFor } from '../../shared/editor/lib/colors'
import type { Me } from './api'

/** The signed-in person as collaborators see them: their account's name, and a colour from their id. */
export interface Identity {
  id: string
  name: string
  color: string
}

export const identityOf = (me: Me): Identity => ({ id: me.id, name: me.displayName, color: colorFor(me.id) })
