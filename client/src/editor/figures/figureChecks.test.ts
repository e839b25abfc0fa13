import { EditorState } from '@tiptap/pm/state'
import type { DecorationSet } from '@tiptap/pm/view'
import { describe, expect, it } from 'vitest'
import { fillPlaceholders } from '../../../../shared/editor/commands/placeholders'
import { docFromText, run } from '../../../../shared/editor/testing/reportFixtures'
import { listFigures } from '../../../../shared/figures/figures'
import { figureChecks, figureChecksOf, sameChecks } from './figureChecks'
import { problemText } from './figureApi'

const plugin = figureChecks()
const drawn = (state: EditorState) =>
  (plugin.getState(state) as DecorationSet).find().map((d) => ({ from: d.from, to: d.to, problem: (d as unknown as { type: { attrs: Record<string, string> } }).type.attrs['data-figure-problem'] }))

function checked(): EditorState {
  let state = EditorState.create({ doc: docFromText('标题\n一、工作\n全年召开会议**次，研究事项**项。'), plugins: [plugin] })
  const [first] = listFigures(state.doc)
  const result = run(state, fillPlaceholders([{ id: first.id, value: '十余', attrs: {} }]))
  expect(result.ok).toBe(true)
  state = result.state
  // What the plugin's view does after a pause in typing.
  return state.apply(state.tr.setMeta(plugin.spec.key!, (plugin.spec.state!.init as (c: unknown, s: EditorState) => DecorationSet)({}, state)))
}

describe('figure checks', () => {
  it('flag a count filled with words where the figure is', () => {
    const state = checked()
    const figure = listFigures(state.doc)[0]
    expect(drawn(state)).toHaveLength(1)
    expect(drawn(state)[0]).toMatchObject({ from: figure.from, to: figure.to })
    expect(drawn(state)[0].problem).toBe(problemText('not-number'))
  })

  it('stay on their figure when another person’s change arrives as a replacement of the whole document (as y-prosemirror applies it)', () => {
    let state = checked()
    const before = drawn(state)
    const changed = state.tr.insertText('新', 1).doc
    state = state.apply(state.tr.replaceWith(0, state.doc.content.size, changed.content))
    expect(drawn(state)).toEqual(before.map((d) => ({ ...d, from: d.from + 1, to: d.to + 1 })))
  })

  it('are not redrawn when typing elsewhere leaves them as shown (no transaction), and are when a figure changes', () => {
    let state = checked()
    const shown = plugin.getState(state) as DecorationSet
    // Typing before the figure: the shown marks moved with the text and are what a fresh check draws.
    state = state.apply(state.tr.insertText('新', 3))
    expect(sameChecks(plugin.getState(state) as DecorationSet, figureChecksOf(state.doc))).toBe(true)
    expect(sameChecks(shown, figureChecksOf(state.doc))).toBe(false)
    // Filling the second figure with words: a new problem, so a redraw.
    const second = listFigures(state.doc)[1]
    const filled = run(state, fillPlaceholders([{ id: second.id, value: '若干', attrs: {} }]))
    expect(filled.ok).toBe(true)
    expect(sameChecks(plugin.getState(filled.state) as DecorationSet, figureChecksOf(filled.state.doc))).toBe(false)
  })
})
