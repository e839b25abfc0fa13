import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { skipUpdateEncoding } from './skipUpdateEncoding'

const COPY = Symbol('copy')

/** A report-sized update, as a browser's copy holds it. */
function copyOfReport(): Uint8Array {
  const source = new Y.Doc()
  const text = source.getText('t')
  for (let i = 0; i < 200; i++) text.insert(text.length, `第${i}段，全年主持局委会*次。`)
  return Y.encodeStateAsUpdate(source)
}

describe('skipUpdateEncoding', () => {
  it('emits no update for the copy\'s load, and every later change as before', () => {
    const doc = new Y.Doc()
    const emitted: Array<{ origin: unknown }> = []
    doc.on('update', (_update: Uint8Array, origin: unknown) => emitted.push({ origin }))
    skipUpdateEncoding(doc, (transaction) => transaction.origin === COPY)
    // Loaded as y-indexeddb does: the stored updates applied in one transaction whose origin is the copy.
    Y.transact(doc, () => Y.applyUpdate(doc, copyOfReport()), COPY, false)
    expect(doc.getText('t').length).toBeGreaterThan(2000)
    expect(emitted).toEqual([])
    doc.getText('t').insert(0, '甲')
    expect(emitted).toEqual([{ origin: null }])
  })

  it('emits the changes that the copy\'s observers make in their own transactions', () => {
    const doc = new Y.Doc()
    const replica = new Y.Doc()
    doc.on('update', (update: Uint8Array) => Y.applyUpdate(replica, update))
    skipUpdateEncoding(doc, (transaction) => transaction.origin === COPY)
    doc.getText('t').observe((event) => {
      if (event.transaction.origin === COPY) doc.transact(() => doc.getMap('m').set('seen', true), 'observer')
    })
    Y.transact(doc, () => Y.applyUpdate(doc, copyOfReport()), COPY, false)
    expect(replica.getMap('m').get('seen')).toBe(true)
    expect(replica.getText('t').length).toBe(0)
  })

  it('keeps a listener that subscribes while the others are set aside, and stops when asked', () => {
    const doc = new Y.Doc()
    const calls: string[] = []
    doc.on('update', () => calls.push('first'))
    const stop = skipUpdateEncoding(doc, (transaction) => transaction.origin === COPY)
    doc.on('afterTransactionCleanup', (transaction: Y.Transaction) => {
      if (transaction.origin === COPY && !calls.includes('subscribed')) {
        calls.push('subscribed')
        // Subscribed in the very moment the others are aside: Yjs then encodes for it, and it is kept.
        doc.on('update', () => calls.push('late'))
      }
    })
    Y.transact(doc, () => doc.getText('t').insert(0, 'a'), COPY)
    doc.getText('t').insert(0, 'b')
    expect(calls).toEqual(['subscribed', 'late', 'first', 'late'])
    stop()
    Y.transact(doc, () => doc.getText('t').insert(0, 'c'), COPY)
    expect(calls).toEqual(['subscribed', 'late', 'first', 'late', 'first', 'late'])
  })

  it('a replica fed the emitted updates and the skipped loads ends equal to the document', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ fromCopy: fc.boolean(), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 5 }) }), { maxLength: 30 }), (steps) => {
        const doc = new Y.Doc()
        const replica = new Y.Doc()
        let emittedCount = 0
        doc.on('update', (update: Uint8Array) => {
          emittedCount++
          Y.applyUpdate(replica, update)
        })
        skipUpdateEncoding(doc, (transaction) => transaction.origin === COPY)
        const copy = new Y.Doc()
        let expectedEmitted = 0
        for (const step of steps) {
          if (step.fromCopy) {
            // Something the copy holds (as IndexedDB would), loaded in the copy's transaction; the server has it by other means.
            const before = Y.encodeStateVector(copy)
            copy.getText('t').insert(step.at % (copy.getText('t').length + 1), step.text)
            const update = Y.encodeStateAsUpdate(copy, before)
            Y.transact(doc, () => Y.applyUpdate(doc, update), COPY, false)
            Y.applyUpdate(replica, update)
          } else {
            doc.getText('t').insert(step.at % (doc.getText('t').length + 1), step.text)
            expectedEmitted++
          }
        }
        expect(emittedCount).toBe(expectedEmitted)
        expect(replica.getText('t').toString()).toBe(doc.getText('t').toString())
      }),
    )
  })
})
