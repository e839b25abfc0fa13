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
import { breakDecorations, breakDecorationsPlugin, scanned } from './breakDecorations'
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

  it('property: after any sequence of edits, local or remote, the widgets are those a scan of the whole document draws', () => {
    // Edits that make, move and remove breaks: typing, deleting across blocks, splitting, joining,
    // markers added at the end or start of a textblock, and whole blocks removed.
    const edit = fc.record({
      kind: fc.constantFrom('type', 'delete', 'split', 'marker', 'leading', 'link', 'dropBlock'),
      at: fc.nat(),
      length: fc.nat({ max: 60 }),
      id: fc.constantFrom('s1', 's2', 's3'),
      deletion: fc.boolean(),
    })
    const widgets = (set: DecorationSet) => set.find().map((d) => `${d.from}:${(d.spec as { key: string }).key}`)
    fc.assert(
      fc.property(
        fc.array(fc.record({ block: fc.nat(), id: fc.constantFrom('s1', 's2') }), { maxLength: 6 }),
        fc.array(edit, { minLength: 1, maxLength: 12 }),
        (chosen, edits) => {
          const plugin = breakDecorationsPlugin()
          let state = EditorState.create({ doc: withMarkers(chosen), plugins: [plugin] })
          for (const { kind, at, length, id, deletion } of edits) {
            const textEnds = ends(state.doc)
            if (textEnds.length === 0) break
            const end = textEnds[at % textEnds.length]
            const mark = (deletion ? schema.marks.deletion : schema.marks.insertion).create({ id })
            const tr = state.tr
            try {
              if (kind === 'type') tr.insertText('字', end)
              else if (kind === 'delete') tr.delete(Math.max(1, end - length), Math.min(state.doc.content.size - 1, end + length))
              else if (kind === 'split') tr.split(end)
              else if (kind === 'marker') tr.insert(end, schema.text(ZERO_WIDTH, [mark]))
              else if (kind === 'leading') tr.insert(state.doc.resolve(end).start(), schema.text(ZERO_WIDTH, [mark]))
              else if (kind === 'link') {
                // The next textblock starts with the marker's own suggestion: the library draws that break.
                const marked = textEnds.filter((e, i) => i + 1 < textEnds.length && state.doc.resolve(e).parent.lastChild?.text?.endsWith(ZERO_WIDTH))
                if (marked.length === 0) continue
                const from = marked[at % marked.length]
                const linking = state.doc.resolve(from).parent.lastChild!.marks.find((m) => m.type.name === 'insertion' || m.type.name === 'deletion')
                const next = state.doc.resolve(textEnds[textEnds.indexOf(from) + 1]).start()
                if (linking) tr.insert(next, schema.text(ZERO_WIDTH, [linking]))
              }
              else {
                const index = at % state.doc.childCount
                let from = 0
                for (let i = 0; i < index; i++) from += state.doc.child(i).nodeSize
                if (state.doc.childCount > 1) tr.delete(from, from + state.doc.child(index).nodeSize)
              }
            } catch {
              continue // an edit the schema does not allow here
            }
            state = state.apply(tr)
            expect(widgets(plugin.getState(state)!)).toEqual(widgets(breakDecorations(state.doc)))
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})
