/**
 * CPU per awareness message on the server's receive path, the stock route (filter the client's own
 * entries, `modifyAwarenessUpdate` to put the account's identity in, `applyAwarenessUpdate`) against
 * server/collab/applyAwareness.ts (one decode, one parse). Caret updates as W1/W3 writers send them.
 *   npx tsx bench/tools/awareness-cost.ts
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { applyConnectionAwareness, type AwarenessState } from '../../server/collab/applyAwareness'

const MESSAGES = 200_000
const user = { id: 'u-1', name: '起草人', color: '#3366cc' }
const identity = (state: AwarenessState): AwarenessState => (state === null ? null : { ...state, user: { ...(state.user as object), ...user }, role: 'drafter' })

function message(clock: number): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, 424242)
  encoding.writeVarUint(e, clock)
  encoding.writeVarString(e, JSON.stringify({ user: { name: 'writer 7', color: '#30bced' }, cursor: { anchor: clock, head: clock } }))
  return encoding.toUint8Array(e)
}

/** The stock route's filter: re-reads every entry (as server/collab/protocol.ts did). */
function filter(update: Uint8Array, keep: (id: number) => boolean): Uint8Array | null {
  const d = decoding.createDecoder(update)
  const n = decoding.readVarUint(d)
  let kept = 0
  for (let i = 0; i < n; i++) {
    if (keep(decoding.readVarUint(d))) kept++
    decoding.readVarUint(d)
    decoding.readVarString(d)
  }
  return kept === n ? update : null
}

function run(label: string, apply: (a: awarenessProtocol.Awareness, update: Uint8Array) => void): number {
  const doc = new Y.Doc()
  const awareness = new awarenessProtocol.Awareness(doc)
  awareness.setLocalState(null)
  const messages = Array.from({ length: MESSAGES }, (_, i) => message(i + 1))
  let broadcasts = 0
  awareness.on('update', ({ updated }: { updated: number[] }) => {
    broadcasts += awarenessProtocol.encodeAwarenessUpdate(awareness, updated).length > 0 ? 1 : 0
  })
  const t0 = process.cpuUsage()
  for (const m of messages) apply(awareness, m)
  const used = process.cpuUsage(t0)
  const us = (used.user + used.system) / MESSAGES
  console.log(`${label}: ${us.toFixed(2)} µs per message (incl. the broadcast encode), ${broadcasts} broadcasts`)
  awareness.destroy()
  doc.destroy()
  return us
}

const keep = () => true
for (let round = 0; round < 2; round++) {
  const before = run('stock (filter → modify → apply)', (a, u) => {
    const own = filter(u, keep)
    if (own) awarenessProtocol.applyAwarenessUpdate(a, awarenessProtocol.modifyAwarenessUpdate(own, identity), 'c')
  })
  const after = run('applyConnectionAwareness      ', (a, u) => applyConnectionAwareness(a, u, keep, identity, 'c'))
  console.log(`  → ${(after / before).toFixed(2)}×`)
}
