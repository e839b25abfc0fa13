import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Schema, type Node as PMNode } from '@tiptap/pm/model'
import { EditorState, TextSelection } from '@tiptap/pm/state'
import { propertyRuns } from '../../testing/propertyRuns'
import { changedRange, mapOfChange } from './changedRange'
import { rebaseTransaction } from './rebaseTransaction'

const schema = new Schema({
  nodes: { doc: { content: 'paragraph+' }, paragraph: { content: 'text*' }, text: {} },
})

/** Every character in these documents is unique, so where each one went can be checked. */
let next = 0x4e00
const fresh = (length: number) => Array.from({ length }, () => String.fromCodePoint(next++)).join('')
const chars = (doc: PMNode) => new Set([...doc.textContent])

/** The text positions of a document (inside its paragraphs). */
function textPositions(doc: PMNode): number[] {
  const positions: number[] = []
  doc.forEach((paragraph, offset) => {
    for (let i = 0; i <= paragraph.content.size; i++) positions.push(offset + 1 + i)
  })
  return positions
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('select' as const), at: fc.nat() }),
)

describe('rebaseTransaction (a change made before a typed character was read, made again after it)', () => {
  it('keeps what both did: the typed text, the change’s own text, its metadata; throws never', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.integer({ min: 1, max: 3 }),
        fc.array(op, { maxLength: 5 }),
        (lengths, readAt, readLength, ops) => {
          const base = schema.node('doc', null, lengths.map((length) => schema.node('paragraph', null, length ? [schema.text(fresh(length))] : [])))
          const s0 = EditorState.create({ schema, doc: base })
          // The read: text the browser inserted and the editor took in after the change was made.
          const typed = fresh(readLength)
          const s0Positions = textPositions(base)
          const s1 = s0.apply(s0.tr.insertText(typed, s0Positions[readAt % s0Positions.length]))
          // The change, made on s0 (as a plugin's timer or a click did, before the read).
          const tr = s0.tr.setMeta('origin', 'timer')
          const inserted: string[] = []
          for (const step of ops) {
            const positions = textPositions(tr.doc)
            const at = positions[step.at % positions.length]
            if (step.kind === 'insert') {
              const text = fresh(step.length)
              inserted.push(text)
              tr.insertText(text, at)
            } else if (step.kind === 'delete') {
              const $at = tr.doc.resolve(at)
              tr.delete(at, Math.min(at + step.length, $at.end()))
            } else {
              tr.setSelection(TextSelection.create(tr.doc, at))
            }
          }
          const between = mapOfChange(changedRange(s0.doc, s1.doc)!)
          const rebased = rebaseTransaction(tr, between, s1)
          const result = s1.apply(rebased)

          const got = chars(result.doc)
          const survivors = [...chars(base)].filter((char) => chars(tr.doc).has(char))
          for (const char of survivors) expect(got.has(char)).toBe(true)
          for (const text of inserted) for (const char of text) if (chars(tr.doc).has(char)) expect(got.has(char)).toBe(true)
          // The typed text stays whole and in order unless the change deleted around it.
          const deleted = [...chars(base)].some((char) => !chars(tr.doc).has(char))
          if (!deleted) expect(result.doc.textContent.includes(typed)).toBe(true)
          for (const char of got) expect(chars(base).has(char) || chars(tr.doc).has(char) || typed.includes(char)).toBe(true)
          expect(rebased.getMeta('origin')).toBe('timer')
          expect(result.selection.from).toBeLessThanOrEqual(result.doc.content.size)
          if (!tr.docChanged) expect(result.doc.eq(s1.doc)).toBe(true)
        },
      ),
      propertyRuns(300),
    )
  })

  it('a selection-only change made before the read keeps the caret after the typed text', () => {
    const doc = schema.node('doc', null, [schema.node('paragraph', null, [schema.text('一二三')])])
    const s0 = EditorState.create({ schema, doc, selection: TextSelection.create(doc, 4) })
    const s1 = s0.apply(s0.tr.insertText('甲', 4))
    const tr = s0.tr.setSelection(TextSelection.create(s0.doc, 4)).setMeta('redraw', true)
    const result = s1.apply(rebaseTransaction(tr, mapOfChange(changedRange(s0.doc, s1.doc)!), s1))
    expect(result.doc.textContent).toBe('一二三甲')
    expect(result.selection.from).toBe(5)
    expect(result.selection.empty).toBe(true)
  })
})
