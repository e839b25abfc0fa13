import * as decoding from 'lib0/decoding'
import { equalityDeep } from 'lib0/function'
import type { Awareness } from 'y-protocols/awareness'

/** A state as a client sent it (parsed JSON; null = the client left), and what the server keeps of it. */
export type AwarenessState = Record<string, unknown> | null

/**
 * y-protocols' `applyAwarenessUpdate` for one connection's message, with its per-client filter and
 * state rewrite done on the one parse: entries for client ids `keep` refuses are skipped, and each
 * state is passed through `transform` (e.g. the account's name and colour) before it is stored. The
 * stock route (filter → `modifyAwarenessUpdate` → apply) decoded every message three times and ran
 * JSON.parse twice and JSON.stringify once on each state, on the hottest path of a busy server.
 * Events, clocks and the rule that a remote peer cannot remove the local state are y-protocols'.
 * Throws on a malformed message or state JSON (the connection is then closed).
 */
export function applyConnectionAwareness(
  awareness: Awareness,
  update: Uint8Array,
  keep: (clientId: number) => boolean,
  transform: (state: AwarenessState) => AwarenessState,
  origin: unknown,
): void {
  const decoder = decoding.createDecoder(update)
  const timestamp = Date.now()
  const added: number[] = []
  const updated: number[] = []
  const filteredUpdated: number[] = []
  // Only 'change' listeners need to know whether a state really changed (a deep compare per message);
  // the server has none (it relays 'update'), so the compare is skipped unless someone listens.
  const watchingChanges = (awareness as unknown as { _observers: Map<string, unknown> })._observers.has('change')
  const removed: number[] = []
  const count = decoding.readVarUint(decoder)
  for (let i = 0; i < count; i++) {
    const clientID = decoding.readVarUint(decoder)
    let clock = decoding.readVarUint(decoder)
    const json = decoding.readVarString(decoder)
    if (!keep(clientID)) continue
    const state = transform(JSON.parse(json) as AwarenessState)
    const clientMeta = awareness.meta.get(clientID)
    const prevState = awareness.states.get(clientID)
    const currClock = clientMeta === undefined ? 0 : clientMeta.clock
    if (currClock < clock || (currClock === clock && state === null && awareness.states.has(clientID))) {
      if (state === null) {
        if (clientID === awareness.clientID && awareness.getLocalState() != null) clock++
        else awareness.states.delete(clientID)
      } else {
        awareness.states.set(clientID, state)
      }
      awareness.meta.set(clientID, { clock, lastUpdated: timestamp })
      if (clientMeta === undefined && state !== null) added.push(clientID)
      else if (clientMeta !== undefined && state === null) removed.push(clientID)
      else if (state !== null) {
        if (watchingChanges && !equalityDeep(state, prevState)) filteredUpdated.push(clientID)
        updated.push(clientID)
      }
    }
  }
  if (added.length > 0 || filteredUpdated.length > 0 || removed.length > 0) awareness.emit('change', [{ added, updated: filteredUpdated, removed }, origin])
  if (added.length > 0 || updated.length > 0 || removed.length > 0) awareness.emit('update', [{ added, updated, removed }, origin])
}
