import * as Y from 'yjs'
import { decodedUpdate } from './decodedUpdate'

/**
 * Whether applying `update` to `ydoc` would leave something waiting: a struct that does not follow on
 * what the document has of its client, an item whose left, right or parent item is neither in the
 * document nor in the update, or a deletion of content the document does not have. Yjs keeps such
 * parts as "pending" and retries (and re-merges) them on every later update, so a stream of them costs
 * the square of their number; this looks without applying, from the decoded structs and the document's
 * state vector, with Yjs's own rules (Item.getMissing, readAndApplyDeleteSet).
 * Throws on an update that does not decode.
 */
export function hasMissingDependencies(ydoc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = decodedUpdate(update)
  // What the document will have of each client once the update's own structs are in.
  const known = new Map<number, number>()
  const knownOf = (client: number) => known.get(client) ?? Y.getState(ydoc.store, client)
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue
    const { client, clock } = struct.id
    const have = knownOf(client)
    if (clock > have) return true
    known.set(client, Math.max(have, clock + struct.length))
  }
  const present = (id: Y.ID | null) => id === null || id.clock < knownOf(id.client)
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    const parent = struct.parent instanceof Y.ID ? struct.parent : null
    if (!present(struct.origin) || !present(struct.rightOrigin) || !present(parent)) return true
  }
  for (const [client, deletions] of ds.clients) {
    const have = knownOf(client)
    for (const deletion of deletions) if (deletion.clock + deletion.len > have) return true
  }
  return false
}
