import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { propertyRuns } from '../../shared/testing/propertyRuns'
import { Permissions } from '../extensions/Permissions'
import type { AwarenessState } from './applyAwareness'
import type { Connection } from './Connection'
import { encodeAwareness, MessageType } from './protocol'

/** The stock message: y-protocols' update copied into a message by lib0's encoder. */
function stock(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.Awareness)
  encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(e)
}

const text = fc.oneof(fc.string(), fc.constantFrom('张三', '起草人🙂', '\ud800', 'a"b\\c', ''))
const state = fc.oneof(fc.constant(null), fc.record({ user: fc.record({ name: text, color: text }), cursor: fc.option(fc.record({ anchor: fc.nat(), head: fc.nat() })) }), fc.jsonValue())

describe('encodeAwareness', () => {
  it('writes the same bytes as y-protocols’ encodeAwarenessUpdate inside a message', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ client: fc.integer({ min: 0, max: 2 ** 32 }), clock: fc.integer({ min: 1, max: 2 ** 31 }), state }), { minLength: 1, maxLength: 6 }), (entries) => {
        const awareness = new awarenessProtocol.Awareness(new Y.Doc())
        awareness.setLocalState(null)
        const e = encoding.createEncoder()
        encoding.writeVarUint(e, entries.length)
        for (const entry of entries) {
          encoding.writeVarUint(e, entry.client)
          encoding.writeVarUint(e, entry.clock)
          encoding.writeVarString(e, JSON.stringify(entry.state))
        }
        awarenessProtocol.applyAwarenessUpdate(awareness, encoding.toUint8Array(e), 'test')
        const clients = [...new Set([...entries.map((entry) => entry.client), awareness.clientID])]
        expect(Buffer.from(encodeAwareness(awareness, clients)).equals(Buffer.from(stock(awareness, clients)))).toBe(true)
        awareness.destroy()
      }),
      propertyRuns(300),
    )
  })
})

describe('Permissions.transformAwareness', () => {
  const connection = { context: { user: { id: 'u-1', name: '起草人', color: '#3366cc' }, role: 'drafter' } } as unknown as Connection
  const permissions = new Permissions({} as never, {} as never)
  /** The rewrite as it was written before it worked in place: copies of the state and of its user. */
  const copied = (state: Record<string, unknown>) => ({ ...state, user: { ...(state.user as object), id: 'u-1', name: '起草人', color: '#3366cc' }, role: 'drafter' })

  it('gives the state the account’s identity and role, the same JSON as a copy would', () => {
    const user = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.record({ id: text, name: text, color: text, extra: fc.jsonValue() }, { requiredKeys: [] }))
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), user, fc.boolean(), (rest, claimed, withUser) => {
        const json = JSON.stringify(withUser ? { ...rest, user: claimed } : rest)
        const expected = JSON.stringify(copied(JSON.parse(json)))
        expect(JSON.stringify(permissions.transformAwareness({ state: JSON.parse(json) as AwarenessState, connection }))).toBe(expected)
      }),
      propertyRuns(300),
    )
    for (const odd of ['[1,2]', '5', '"x"']) expect(permissions.transformAwareness({ state: JSON.parse(odd), connection })).toMatchObject({ user: { id: 'u-1', name: '起草人' }, role: 'drafter' })
  })
})
