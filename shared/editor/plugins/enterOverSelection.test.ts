// @vitest-environment happy-dom
import type { Editor } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { propertyRuns } from '../../testing/propertyRuns'
import { mountedEditors } from '../testing/mountedEditors'

const editors = mountedEditors()
const mount = () => editors.mount()

const pressEnter = (editor: Editor) => editor.view.someProp('handleKeyDown', (f) => f(editor.view, new KeyboardEvent('keydown', { key: 'Enter' })))

describe('Enter over a selection that spans blocks', () => {
  it('an empty title selected to the first paragraph’s start: a new paragraph, the text kept whole after it, caret at its start (it threw)', () => {
    const editor = mount()
    editor.view.dispatch(editor.state.tr.delete(1, 1 + editor.state.doc.child(0).content.size))
    const paragraph = editor.state.doc.child(1).textContent
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, 1, 3)))
    expect(pressEnter(editor)).toBe(true)
    const blocks = editor.state.doc.children.slice(0, 3).map((block) => [block.type.name, block.textContent])
    expect(blocks).toEqual([['reportTitle', ''], ['paragraph', ''], ['paragraph', paragraph]])
    expect(editor.state.selection.$from.parent.textContent).toBe(paragraph)
    expect(editor.state.selection.$from.parentOffset).toBe(0)
  })

  it('property: from the title’s start to anywhere, the selected text is removed and nothing throws', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.oneof(fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 1, noNaN: true })), (emptyTitle, x) => {
        const editor = mount()
        try {
          if (emptyTitle) editor.view.dispatch(editor.state.tr.delete(1, 1 + editor.state.doc.child(0).content.size))
          const { doc } = editor.state
          // Near the start (an absolute position) or anywhere (a fraction of the report).
          const at = Number.isInteger(x) && x >= 1 ? x : Math.round(x * doc.content.size)
          const head = TextSelection.near(doc.resolve(Math.min(at, doc.content.size))).$head
          const selection = TextSelection.between(doc.resolve(1), head)
          editor.view.dispatch(editor.state.tr.setSelection(selection))
          const expected = doc.textBetween(0, selection.from) + doc.textBetween(selection.to, doc.content.size)
          expect(pressEnter(editor)).toBe(true)
          editor.state.doc.check()
          if (!selection.empty) expect(editor.state.doc.textContent).toBe(expected)
        } finally {
          editor.destroy()
          document.body.innerHTML = ''
        }
      }),
      propertyRuns(100),
    )
  })
})
