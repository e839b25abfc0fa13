import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import { CONTENT_FRAGMENT, docJSONToUpdate } from '../../shared/editor/lib/ydoc'
import { SAMPLE_TEXT } from '../../shared/editor/testing/reportFixtures'
import { CollabDocument } from '../collab/CollabDocument'
import { ReviewGuard } from './ReviewGuard'
import { contentTexts } from '../testing/randomDocument'

const ME = { id: 'u-reviewer', name: '王局长' }
const OTHER = { id: 'u-other', name: '李处长' }
/** The sample's first part: long enough for several kinds of paragraph, short enough for many runs. */
const initial = docJSONToUpdate(plainTextToDocJSON(SAMPLE_TEXT.split('\n').slice(0, 12).join('\n')))

const mark = (id: string, who: typeof ME) => ({ id, authorId: who.id, authorName: who.name, createdAt: '2026-12-01T00:00:00.000Z' })

const texts = contentTexts

/** Formatting a reviewer's raw client might attach: own or another's suggestions, plain marks, removals. */
const attributes = fc.constantFrom<Record<string, unknown>>(
  {},
  { insertion: mark('mine', ME) },
  { insertion: mark('mine2', ME) },
  { insertion: mark('mine', ME), bold: {} },
  { insertion: mark('mine', ME), deletion: mark('x', OTHER) },
  { insertion: mark('theirs', OTHER) },
  { insertion: mark('mine', OTHER) },
  { insertion: mark('theirs', ME) },
  { deletion: mark('mine', ME) },
  { deletion: mark('theirs', OTHER) },
  { bold: {} },
  { insertion: null },
  { deletion: null },
  { bold: null },
)

type Op =
  | { kind: 'insert'; text: number; at: number; value: string; attributes: Record<string, unknown> }
  | { kind: 'delete'; text: number; at: number; length: number }
  | { kind: 'format'; text: number; at: number; length: number; attributes: Record<string, unknown> }
  | { kind: 'paragraph'; at: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), text: fc.nat(), at: fc.nat(), value: fc.constantFrom('建', '议', '补充', 'ab'), attributes }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), text: fc.nat(), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('format' as const), text: fc.nat(), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }), attributes }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('paragraph' as const), at: fc.nat() }) },
)

/** What an honest reviewer mostly sends: their own suggestion typed, sometimes next to another's, or withdrawn. */
const typing: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), text: fc.nat(), at: fc.nat(), value: fc.constantFrom('建', '议补充'), attributes: fc.constantFrom({ insertion: mark('mine', ME) }, { insertion: mark('mine2', ME), bold: {} }) }) },
  { weight: 1, arbitrary: op },
)

function applyOp(doc: Y.Doc, o: Op): void {
  if (o.kind === 'paragraph') {
    const fragment = doc.getXmlFragment(CONTENT_FRAGMENT)
    const paragraph = new Y.XmlElement('paragraph')
    fragment.insert(o.at % (fragment.length + 1), [paragraph])
    paragraph.insert(0, [new Y.XmlText('新段')])
    return
  }
  const all = texts(doc)
  const text = all[o.text % all.length]
  const at = o.at % (text.length + 1)
  if (o.kind === 'insert') text.insert(at, o.value, o.attributes)
  else if (o.kind === 'delete') text.delete(at, Math.min(o.length, text.length - at))
  else text.format(at, Math.min(o.length, text.length - at), o.attributes)
}

/** Two copies of a document: one guarded with the fast path, one always compared in full. */
function pair(history: Op[][]) {
  const seed = new Y.Doc()
  Y.applyUpdate(seed, initial)
  // Earlier suggestions (own and another's), written as an editor would have let them through.
  for (const ops of history) seed.transact(() => ops.forEach((o) => applyOp(seed, o)))
  const state = Y.encodeStateAsUpdate(seed)
  const make = () => {
    const document = new CollabDocument('guarded')
    Y.applyUpdate(document.ydoc, state)
    return document
  }
  return { seed, fast: make(), full: make() }
}

describe('ReviewGuard fast path (own inserted text decided on the touched paragraphs)', () => {
  it('gives the verdict of the whole-document comparison on random reviewer updates', () => {
    const fastGuard = new ReviewGuard()
    const fullGuard = new ReviewGuard({ fastPath: false })
    let fastAllowed = 0
    let allowed = 0
    let refused = 0
    fc.assert(
      fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 2 }), { maxLength: 2 }), fc.array(fc.oneof(fc.array(op, { minLength: 1, maxLength: 3 }), fc.array(typing, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 3 }), (history, updates) => {
        const { seed, fast, full } = pair(history)
        const replica = new Y.Doc()
        Y.applyUpdate(replica, Y.encodeStateAsUpdate(seed))
        for (const ops of updates) {
          const before = Y.encodeStateVector(replica)
          replica.transact(() => ops.forEach((o) => applyOp(replica, o)))
          const update = Y.encodeStateAsUpdate(replica, before)
          const fastBefore = fastGuard.fastAllowed
          const a = fastGuard.allows(fast, update, 'reviewer', ME.id, true)
          const b = fullGuard.allows(full, update, 'reviewer', ME.id, true)
          if (fastGuard.fastAllowed > fastBefore) fastAllowed++
          expect(a).toBe(b)
          if (!b) {
            refused++
            return
          }
          allowed++
          Y.applyUpdate(fast.ydoc, update, 'reviewer')
          Y.applyUpdate(full.ydoc, update, 'reviewer')
        }
      }),
      { numRuns: 400 },
    )
    console.log(`fast path: ${fastAllowed} allowed fast, ${allowed} allowed, ${refused} refused`)
    // The property is only worth something if both verdicts, and the fast path, occur often.
    expect(fastAllowed).toBeGreaterThan(50)
    expect(refused).toBeGreaterThan(50)
    expect(allowed).toBeGreaterThan(fastAllowed)
  }, 180_000)

  it('decides typing one’s own suggestion without the full comparison, and refuses another’s name', () => {
    const { fast } = pair([])
    const guard = new ReviewGuard()
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(fast.ydoc))
    const text = texts(replica)[3]
    const own = Y.encodeStateVector(replica)
    text.insert(2, '建议', { insertion: mark('s1', ME) })
    const update = Y.encodeStateAsUpdate(replica, own)
    expect(guard.allows(fast, update, 'reviewer', ME.id, true)).toBe(true)
    expect(guard.fastAllowed).toBe(1)
    Y.applyUpdate(fast.ydoc, update, 'reviewer')
    // Withdrawing it (deleting one's own inserted text) is fast too.
    const before = Y.encodeStateVector(replica)
    replica.transact(() => text.delete(2, 2))
    expect(guard.allows(fast, Y.encodeStateAsUpdate(replica, before), 'reviewer', ME.id, true)).toBe(true)
    expect(guard.fastAllowed).toBe(2)
    // Plain text, or text in someone else's name, goes to the full check, which refuses it.
    for (const attrs of [{}, { insertion: mark('s2', OTHER) }]) {
      const other = new Y.Doc()
      Y.applyUpdate(other, Y.encodeStateAsUpdate(fast.ydoc))
      const sv = Y.encodeStateVector(other)
      texts(other)[3].insert(0, '擅改', attrs)
      expect(guard.allows(fast, Y.encodeStateAsUpdate(other, sv), 'reviewer', ME.id, true)).toBe(false)
    }
    expect(guard.fastAllowed).toBe(2)
  })
})
