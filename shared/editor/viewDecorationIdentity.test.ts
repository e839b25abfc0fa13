// @vitest-environment happy-dom
/**
 * patches/prosemirror-view+1.42.9.patch: when a plugin redraws its decorations as a new set equal to
 * the old one (y-tiptap's remote carets on every awareness change; a figure check or the ordinals redrawn
 * after a structural change), the view must afterwards compare each unchanged block's decorations by
 * identity again, not in depth. prosemirror-view kept the older equal set in each block's view, so from
 * then on every update (every keystroke, every remote change) compared every such block in depth: on the
 * 50-page report about 1.3 ms of each key press's work went there (bench/tools/profile-editor.ts).
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, Plugin, PluginKey } from '@tiptap/pm/state'
import { canSplit } from '@tiptap/pm/transform'
import { Decoration, DecorationSet, EditorView } from '@tiptap/pm/view'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { reportDecorations } from './plugins/reportDecorations'
import { docFromText, SAMPLE_TEXT } from './testing/reportFixtures'

const redrawKey = new PluginKey<DecorationSet>('redrawn')

/** One inline mark on the first two characters of every top-level block, as a fresh set on `redraw` and mapped otherwise. */
function marksOf(doc: PMNode): DecorationSet {
  const decorations: Decoration[] = []
  doc.forEach((block, offset) => {
    if (block.textContent.length >= 2) {
      let first = -1
      block.descendants((node, pos) => {
        if (first < 0 && node.isText) first = offset + 1 + pos
        return first < 0
      })
      decorations.push(Decoration.inline(first, first + 2, { class: 'redrawn' }))
    }
  })
  return DecorationSet.create(doc, decorations)
}

const redrawn = () =>
  new Plugin<DecorationSet>({
    key: redrawKey,
    state: {
      init: (_, state) => marksOf(state.doc),
      apply: (tr, set) => (tr.getMeta(redrawKey) ? marksOf(tr.doc) : set.map(tr.mapping, tr.doc)),
    },
    props: { decorations: (state) => redrawKey.getState(state) },
  })

let views: EditorView[] = []
afterEach(() => {
  views.forEach((view) => view.destroy())
  views = []
  vi.restoreAllMocks()
})

function mount(state: EditorState): EditorView {
  const view = new EditorView(document.body.appendChild(document.createElement('div')), { state })
  views.push(view)
  return view
}

function report(copies: number): EditorState {
  const doc = docFromText(Array.from({ length: copies }, () => SAMPLE_TEXT).join('\n'))
  return EditorState.create({ doc, plugins: [redrawn(), reportDecorations()] })
}

/** Counts the view's comparisons of two different decoration sets (the in-depth ones). */
function countDeepComparisons(): { count: number } {
  const counter = { count: 0 }
  const proto = DecorationSet.prototype as unknown as { eq(this: DecorationSet, other: DecorationSet): boolean }
  const original = proto.eq
  vi.spyOn(proto, 'eq').mockImplementation(function (this: DecorationSet, other: DecorationSet) {
    if (this !== other) counter.count++
    return original.call(this, other)
  })
  return counter
}

/** A position inside the text of the `index`-th top-level block. */
function inBlock(doc: PMNode, index: number): number {
  let at = -1
  doc.forEach((block, offset, i) => {
    if (i !== index) return
    block.descendants((node, pos) => {
      if (at < 0 && node.isText) at = offset + 1 + pos + 1
      return at < 0
    })
  })
  return at
}

describe('view decorations after an equal redraw (prosemirror-view patch)', () => {
  it('typing after a redraw compares only the changed block in depth, not every block', () => {
    const view = mount(report(6))
    const blocks = view.state.doc.childCount
    expect(blocks).toBeGreaterThan(20)
    view.dispatch(view.state.tr.setMeta(redrawKey, true))
    const at = inBlock(view.state.doc, 3)
    // The first update after the redraw compares each block with its equal new decorations once
    // (a redraw that changes nothing does not walk the blocks at all).
    const deep = countDeepComparisons()
    view.dispatch(view.state.tr.insertText('字', at))
    const first = deep.count
    expect(first).toBeGreaterThan(blocks / 2)
    deep.count = 0
    for (let i = 1; i <= 5; i++) view.dispatch(view.state.tr.insertText('字', at + i))
    // Without the patch every block holding a redrawn mark was compared in depth again on each key.
    expect(deep.count).toBeLessThan(5)
    expect(view.dom.querySelectorAll('.redrawn')).toHaveLength(redrawKey.getState(view.state)!.find().length)
  })

  it('what is shown is what a fresh view of the same state shows, after any mix of typing, splits, deletions and redraws', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('type' as const), block: fc.nat(), text: fc.constantFrom('字', '*次', '1', '（一）') }),
      fc.record({ kind: fc.constant('split' as const), block: fc.nat() }),
      fc.record({ kind: fc.constant('delete' as const), block: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('redraw' as const) }),
    )
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
        const view = mount(report(2))
        for (const step of ops) {
          const { doc } = view.state
          if (step.kind === 'redraw') {
            view.dispatch(view.state.tr.setMeta(redrawKey, true))
            continue
          }
          const at = inBlock(doc, step.block % doc.childCount)
          if (at < 0) continue
          if (step.kind === 'type') view.dispatch(view.state.tr.insertText(step.text, at))
          else if (step.kind === 'delete') view.dispatch(view.state.tr.delete(at, Math.min(at + step.length, doc.resolve(at).end())))
          else if (canSplit(doc, at)) view.dispatch(view.state.tr.split(at))
        }
        const fresh = mount(view.state)
        expect(view.dom.innerHTML).toBe(fresh.dom.innerHTML)
        view.destroy()
        fresh.destroy()
        views = []
      }),
      { numRuns: 60 },
    )
  })
})
