import fc from 'fast-check'
import { Node as PMNode } from '@tiptap/pm/model'
import { EditorState } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { fillPlaceholders } from '../editor/commands/placeholders'
import { docFromText, run } from '../editor/testing/reportFixtures'
import { schema } from '../editor/schema'
import { figureWork, listFigures } from './figures'

const SAMPLE = ['标题', '一、工作', '（一）建设。全年召开会议**次，增长*.*%。', '召开党组会议**次，研究事项**项。', '二、问题', '完成投资**万元。', '（一）整改。整改问题**个，占**%。']
const stateOf = (copies: number) => EditorState.create({ schema, doc: docFromText([SAMPLE[0], ...Array.from({ length: copies }, () => SAMPLE.slice(1)).flat()].join('\n')) })

/** Every textblock's content range, in document order. */
function textblocks(doc: PMNode): Array<{ from: number; to: number }> {
  const blocks: Array<{ from: number; to: number }> = []
  doc.descendants((node, pos) => {
    if (node.isTextblock) blocks.push({ from: pos + 1, to: pos + 1 + node.content.size })
    return !node.isTextblock
  })
  return blocks
}

/** The same document made of new node objects: nothing can be reused from earlier lists. */
const fresh = (doc: PMNode) => PMNode.fromJSON(schema, doc.toJSON())

describe('listFigures is incremental', () => {
  it('a keystroke works out the figures of the edited block only, not those of the other 279', () => {
    let state = stateOf(40)
    const before = listFigures(state.doc)
    expect(before).toHaveLength(40 * 7)
    // The first block holding a figure, typed into before its first figure.
    const block = textblocks(state.doc).find((b) => b.from <= before[0].from && before[0].from <= b.to)!
    state = state.apply(state.tr.insertText('新', block.from))
    let counted = figureWork.blocks
    const after = listFigures(state.doc)
    expect(figureWork.blocks - counted).toBe(1)
    // A keystroke in a block without figures (the report's title) works out no block at all.
    counted = figureWork.blocks
    listFigures(state.apply(state.tr.insertText('新', 1)).doc)
    expect(figureWork.blocks - counted).toBe(0)
    // Positions after the keystroke moved by one; the last figure's facts are the same as before.
    expect(after.at(-1)!.from).toBe(before.at(-1)!.from + 1)
    expect(after).toEqual(listFigures(fresh(state.doc)))
  })

  it('equals a list worked out from scratch after any sequence of typing, deleting and filling (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('type' as const), block: fc.nat(), offset: fc.nat(), text: fc.constantFrom('新', '。', '次', '共', '12') }),
            fc.record({ kind: fc.constant('delete' as const), block: fc.nat(), offset: fc.nat(), length: fc.integer({ min: 1, max: 3 }) }),
            fc.record({ kind: fc.constant('fill' as const), figure: fc.nat(), value: fc.constantFrom('12', '3', '十余', '120') }),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        (edits) => {
          let state = stateOf(3)
          listFigures(state.doc)
          for (const edit of edits) {
            if (edit.kind === 'fill') {
              const figures = listFigures(state.doc)
              if (figures.length === 0) continue
              const result = run(state, fillPlaceholders([{ id: figures[edit.figure % figures.length].id, value: edit.value, attrs: {} }]))
              if (result.ok) state = result.state
            } else {
              const blocks = textblocks(state.doc)
              const block = blocks[edit.block % blocks.length]
              const at = block.from + (edit.offset % (block.to - block.from + 1))
              const tr = edit.kind === 'type' ? state.tr.insertText(edit.text, at) : state.tr.delete(at, Math.min(block.to, at + edit.length))
              state = state.apply(tr)
            }
            const counted = figureWork.blocks
            const incremental = listFigures(state.doc)
            // One edit changes one block: at most that block is worked out again.
            expect(figureWork.blocks - counted).toBeLessThanOrEqual(1)
            expect(incremental).toEqual(listFigures(fresh(state.doc)))
          }
        },
      ),
      { numRuns: 60 },
    )
  })
})
