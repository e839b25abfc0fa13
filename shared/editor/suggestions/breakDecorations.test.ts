// @vitest-environment happy-dom
/**
 * The 「¶」 of suggested breaks is worked out per top-level block and kept for unchanged blocks: the
 * same widgets as a scan of every textblock, and a keystroke scans one block, not the report.
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState } from '@tiptap/pm/state'
import type { DecorationSet } from '@tiptap/pm/view'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { schema } from '../schema'
import { sampleDoc } from '../testing/reportFixtures'
import { breakDecorationsPlugin, scanned } from './breakDecorations'
import { ZERO_WIDTH } from './boundaries'

const ends = (doc: PMNode) => {
  const out: number[] = []
  doc.descendants((node, pos) => {
    if (node.isTextblock) out.push(pos + 1 + node.content.size)
    return !node.isTextblock
  })
  return out
}

/** The sample with a suggested-break marker (insertion `id`) at the end of the textblocks chosen. */
function withMarkers(chosen: Array<{ block: number; id: string }>): PMNode {
  let doc = sampleDoc()
  const all = ends(doc)
  const picks = [...new Map(chosen.map(({ block, id }) => [all[block % all.length], id])).entries()].sort((a, b) => b[0] - a[0])
  const tr = EditorState.create({ doc }).tr
  for (const [end, id] of picks) tr.insert(end, schema.text(ZERO_WIDTH, [schema.marks.insertion.create({ id })]))
  doc = tr.doc
  return doc
}

const widgetsOf = (plugin: ReturnType<typeof breakDecorationsPlugin>, state: EditorState) =>
  (plugin.props.decorations!.call(plugin, state) as DecorationSet).find().map((d) => d.from)

describe('suggested-break widgets', () => {
  it('property: one 「¶」 after every marked textblock that another follows, wherever the blocks are nested', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ block: fc.nat(), id: fc.constantFrom('s1', 's2') }), { maxLength: 8 }), (chosen) => {
        const doc = withMarkers(chosen)
        const plugin = breakDecorationsPlugin()
        const all = ends(doc)
        const expected = all.filter((end, i) => {
          const last = doc.resolve(end).parent.lastChild
          return i + 1 < all.length && last?.isText && last.text!.endsWith(ZERO_WIDTH)
        })
        expect(widgetsOf(plugin, EditorState.create({ doc, plugins: [plugin] }))).toEqual(expected)
      }),
      { numRuns: 40 },
    )
  })

  it('a keystroke scans only the top-level block it changed', () => {
    const doc = withMarkers([{ block: 3, id: 's1' }, { block: 40, id: 's2' }])
    const plugin = breakDecorationsPlugin()
    let state = EditorState.create({ doc, plugins: [plugin] })
    const before = widgetsOf(plugin, state)
    expect(before).toHaveLength(2)
    const sections = doc.childCount
    expect(sections).toBeGreaterThan(5)
    // Typing one character in the last textblock (inside the last top-level section).
    const at = ends(doc).at(-1)!
    const counted = scanned.blocks
    state = state.apply(state.tr.insertText('甲', at))
    expect(widgetsOf(plugin, state)).toEqual(before)
    expect(scanned.blocks - counted).toBe(1)
  })
})
