import type * as Y from 'yjs'
import { followMoves, MovedText } from '../../shared/editor/lib/followMoves'
import type { CollabDocument } from '../collab/CollabDocument'
import { Connection } from '../collab/Connection'
import { decodedUpdate } from '../collab/decodedUpdate'
import type { CollabExtension } from '../collab/hooks'
import { componentLogger } from '../logger'

const log = componentLogger('collab')

/** Origin of the server's own repairs (never read again by followMoves). */
export const MOVE_REPAIR = Symbol('move repair')

/**
 * Typing another person moved at the same moment (a paragraph split or joined) goes where the text
 * went (shared/editor/lib/followMoves.ts). Last in the extension list: it notes the updates every other
 * extension let through, and reads the transaction they make once applied. What moved is remembered
 * per loaded document, in memory: after a restart or a hand-over, typing into text moved before it
 * stays where Yjs puts it.
 */
export class FollowMoves implements CollabExtension {
  private readonly applying = new WeakMap<CollabDocument, Uint8Array[]>()

  beforeApplyUpdate({ document, update }: { document: CollabDocument; update: Uint8Array }): boolean {
    const updates = this.applying.get(document)
    if (updates) updates.push(update)
    else this.applying.set(document, [update])
    return true
  }

  async onLoadDocument({ document }: { document: CollabDocument }): Promise<void> {
    const moved = new MovedText()
    document.ydoc.on('afterTransaction', (transaction: Y.Transaction) => {
      const updates = this.applying.get(document)
      if (updates) this.applying.delete(document)
      if (!(transaction.origin instanceof Connection) || !updates) return
      let result
      try {
        result = followMoves(transaction, moved, MOVE_REPAIR, () => updates.map(decodedUpdate))
      } catch (error) {
        // A repair that fails leaves the document as Yjs merged it; the change itself is applied and kept.
        log.error({ documentId: document.name, error: (error as Error).message }, 'could not move typing along with moved text')
        return
      }
      if (result.rehomed > 0) log.info({ documentId: document.name, userId: transaction.origin.context.user?.id ?? null, characters: result.rehomed }, 'typing moved along with the text it was typed in')
    })
  }
}
