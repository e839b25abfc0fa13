import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { applyConnectionAwareness, type AwarenessState } from './applyAwareness'

const identity = (state: AwarenessState): AwarenessState => (state === null ? null : { ...state, user: { ...(state.user as object), id: 'u-1', name: '起草人' }, role: 'drafter' })

type Entry = { clientId: number; clock: number; state: AwarenessState }

function encode(entries: Entry[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(e, entry.clientId)
    encoding.writeVarUint(e, entry.clock)
    encoding.writeVarString(e, JSON.stringify(entry.state))
  }
  return encoding.toUint8Array(e)
}

/** An awareness whose events are recorded. */
function recorded() {
  const doc = new Y.Doc()
  const awareness = new awarenessProtocol.Awareness(doc)
  const events: unknown[] = []
  awareness.on('change', (change: unknown) => events.push(['change', change]))
  awareness.on('update', (change: unknown) => events.push(['update', change]))
  return { awareness, events, localId: doc.clientID }
}

const state = fc.oneof(fc.constant(null), fc.record({ user: fc.record({ name: fc.constantFrom('a', '张三', 'x'), id: fc.constantFrom('u-1', 'u-evil') }), cursor: fc.option(fc.nat(5)) }))

describe('applyConnectionAwareness', () => {
  it('stores, clocks and announces exactly what filter → modifyAwarenessUpdate → applyAwarenessUpdate did', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.record({ clientId: fc.integer({ min: 1, max: 4 }), clock: fc.nat(4), state }), { minLength: 1, maxLength: 3 }), { maxLength: 8 }), fc.boolean(), (messages, localPresent) => {
        const stock = recorded()
        const ours = recorded()
        if (!localPresent) {
          stock.awareness.setLocalState(null)
          ours.awareness.setLocalState(null)
        }
        const keep = (clientId: number) => clientId !== 3
        for (const entries of messages) {
          // The local client id may be spoken for too (a peer must not remove the local state).
          const withLocal = entries.map((e) => (e.clientId === 4 ? { ...e, clientId: stock.localId } : e))
          const kept = withLocal.filter((e) => keep(e.clientId === stock.localId ? 4 : e.clientId))
          if (kept.length > 0) awarenessProtocol.applyAwarenessUpdate(stock.awareness, awarenessProtocol.modifyAwarenessUpdate(encode(kept), identity), 'c')
          applyConnectionAwareness(ours.awareness, encode(withLocal.map((e) => (e.clientId === stock.localId ? { ...e, clientId: ours.localId } : e))), (id) => keep(id === ours.localId ? 4 : id), identity, 'c')
        }
        const view = (r: ReturnType<typeof recorded>) => ({
          states: [...r.awareness.getStates()].map(([id, s]) => [id === r.localId ? 'local' : id, s]),
          clocks: [...r.awareness.meta].map(([id, m]) => [id === r.localId ? 'local' : id, m.clock]),
          events: JSON.parse(JSON.stringify(r.events).replaceAll(String(r.localId), '"local"')),
        })
        expect(view(ours)).toEqual(view(stock))
      }),
      { numRuns: 500 },
    )
  })

  it('throws on a state that is not JSON (the connection is closed)', () => {
    const { awareness } = recorded()
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, 5)
    encoding.writeVarUint(e, 1)
    encoding.writeVarString(e, '{not json')
    expect(() => applyConnectionAwareness(awareness, encoding.toUint8Array(e), () => true, identity, 'c')).toThrow()
    expect(awareness.getStates().has(5)).toBe(false)
  })
})
