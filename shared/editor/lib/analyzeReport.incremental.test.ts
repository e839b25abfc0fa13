/**
 * analyzeReport works a report out per top-level block and reuses the blocks a change left as they
 * were (the side panels re-analyse while people type): whatever the edits, the result is the one a
 * single walk of the whole document gives, and a keystroke walks one block.
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, type Transaction } from '@tiptap/pm/state'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { schema } from '../schema'
import { STRUCTURAL_ATTR, serializeStructural } from '../suggestions/structural'
import { sampleDoc } from '../testing/reportFixtures'
import { analyzeReport, analyzeReportFully } from './analyzeReport'

/** Positions of every textblock's content: [start, end]. */
const textblocks = (doc: PMNode) => {
  const out: Array<[number, number]> = []
  doc.descendants((node, pos) => {
    if (node.isTextblock) out.push([pos + 1, pos + 1 + node.content.size])
    return !node.isTextblock
  })
  return out
}

const topLevel = (doc: PMNode) => {
  const out: Array<{ pos: number; node: PMNode }> = []
  doc.forEach((node, pos) => out.push({ pos, node }))
  return out
}

const sections = (doc: PMNode) => {
  const out: number[] = []
  doc.descendants((node, pos) => {
    if (node.type.name === 'section') out.push(pos)
    return !node.isTextblock
  })
  return out
}

const AUTHOR = { authorId: 'u1', authorName: '甲', createdAt: '2026-12-01T00:00:00.000Z' }

const edit = fc.record({
  kind: fc.constantFrom('type', 'suggestInsert', 'suggestDelete', 'bold', 'comment', 'fill', 'delete', 'split', 'copySection', 'dropBlock', 'structural', 'level'),
  at: fc.nat(),
  offset: fc.nat({ max: 40 }),
  length: fc.integer({ min: 1, max: 30 }),
  id: fc.constantFrom('s1', 's2', 's3'),
})

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never

function apply(state: EditorState, { kind, at, offset, length, id }: Edit): Transaction | null {
  const tr = state.tr
  const { doc } = state
  const blocks = textblocks(doc)
  const [start, end] = blocks[at % blocks.length]
  const pos = Math.min(end, start + offset)
  const to = Math.min(end, pos + length)
  switch (kind) {
    case 'type':
      return tr.insertText('字', pos)
    case 'suggestInsert':
      return tr.insert(pos, schema.text('新增', [schema.marks.insertion.create({ id, ...AUTHOR })]))
    case 'suggestDelete':
      return to > pos ? tr.addMark(pos, to, schema.marks.deletion.create({ id, ...AUTHOR })) : null
    case 'bold':
      return to > pos ? tr.addMark(pos, to, schema.marks.bold.create()) : null
    case 'comment':
      return to > pos ? tr.addMark(pos, to, schema.marks.comment.create({ threadId: `t-${id}` })) : null
    case 'fill': {
      // Fill (or re-mask) the first placeholder of the textblock with text carrying its mark.
      const block = doc.resolve(start).parent
      let found: { from: number; to: number; mark: import('@tiptap/pm/model').Mark } | null = null
      block.forEach((inline, o) => {
        const mark = inline.marks.find((m) => m.type.name === 'placeholder')
        if (mark && !found) found = { from: start + o, to: start + o + inline.nodeSize, mark }
      })
      if (!found) return null
      const { from, to: end2, mark } = found as { from: number; to: number; mark: import('@tiptap/pm/model').Mark }
      return tr.replaceWith(from, end2, schema.text(offset % 2 ? '12' : '*', [mark]))
    }
    case 'delete': {
      // Up to the end of this textblock or of one or two after it: across blocks and sections.
      const until = blocks[(at + (offset % 3)) % blocks.length][1]
      return tr.delete(pos, until > pos ? until : to)
    }
    case 'split':
      return tr.split(pos)
    case 'copySection': {
      // A section copied to a top-level boundary: every later ordinal changes.
      const tops = topLevel(doc)
      const source = tops.filter((b) => b.node.type.name === 'section')
      if (source.length === 0) return null
      const target = tops[offset % tops.length]
      return tr.insert(target.pos, source[at % source.length].node)
    }
    case 'dropBlock': {
      const tops = topLevel(doc)
      if (tops.length < 3) return null
      const { pos: from, node } = tops[1 + (at % (tops.length - 1))]
      return tr.delete(from, from + node.nodeSize)
    }
    case 'structural': {
      const list = sections(doc)
      if (list.length === 0) return null
      return tr.setNodeAttribute(list[at % list.length], STRUCTURAL_ATTR, serializeStructural([{ id: `x-${id}`, op: 'moveUp', seq: 1, ...AUTHOR }]))
    }
    case 'level': {
      const list = sections(doc)
      if (list.length === 0) return null
      const section = list[at % list.length]
      return tr.setNodeAttribute(section, 'level', 1 + (offset % 2))
    }
  }
  return null
}

describe('analyzeReport per top-level block', () => {
  it('property: after any sequence of edits the analysis equals a walk of the whole document', () => {
    const applied = { total: 0, changed: 0 }
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 15 }), (edits) => {
        let state = EditorState.create({ doc: sampleDoc() })
        expect(analyzeReport(state.doc)).toEqual(analyzeReportFully(state.doc))
        for (const step of edits) {
          applied.total++
          let tr: Transaction | null
          try {
            tr = apply(state, step)
          } catch {
            continue // an edit the schema does not allow there
          }
          if (!tr || !tr.docChanged) continue
          state = state.apply(tr)
          applied.changed++
          expect(analyzeReport(state.doc)).toEqual(analyzeReportFully(state.doc))
        }
      }),
      { numRuns: 120 },
    )
    // Most generated edits do change the document (the property is not checked on no-ops alone).
    expect(applied.changed).toBeGreaterThan(applied.total / 2)
  })

  it('a keystroke walks the one block it changed, and the analysis still moves everything after it', () => {
    const doc = sampleDoc()
    const before = analyzeReport(doc)
    const [start] = textblocks(doc)[3]
    const typed = EditorState.create({ doc }).apply(EditorState.create({ doc }).tr.insertText('字', start)).doc
    const walked: PMNode[] = []
    const after = analyzeReport(typed, { onBlockWalked: (block) => walked.push(block) })
    expect(walked).toHaveLength(1)
    expect(walked[0]).toBe(typed.child(typed.resolve(start).index(0)))
    expect(after.placeholders.at(-1)!.from).toBe(before.placeholders.at(-1)!.from + 1)
    expect(after.sections.at(-1)!.pos).toBe(before.sections.at(-1)!.pos + 1)
  })
})
