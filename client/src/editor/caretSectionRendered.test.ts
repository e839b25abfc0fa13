// @vitest-environment happy-dom
import type { Editor } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { documentExtensions } from '../../../shared/editor/extensions'
import { mountedEditors } from '../../../shared/editor/testing/mountedEditors'
import { textPos } from '../../../shared/editor/testing/reportFixtures'
import { propertyRuns } from '../../../shared/testing/propertyRuns'
import { CARET_SECTION_CLASS, CaretSectionRendered } from './caretSectionRendered'

const editors = mountedEditors()
const mount = () => editors.mount([...documentExtensions(), CaretSectionRendered])

/** Top-level indexes of the sections whose DOM element has the class. */
function markedInDom(editor: Editor): number[] {
  return [...editor.view.dom.children].flatMap((child, index) => (child.classList.contains(CARET_SECTION_CLASS) ? [index] : []))
}

/** What the class must be on: the top-level sections holding the selection's two ends. */
function expected(editor: Editor): number[] {
  const { $from, $to } = editor.state.selection
  const indexes = [...new Set([$from.index(0), $to.index(0)])]
  return indexes.filter((index) => editor.state.doc.child(index).type.name === 'section')
}

it('a section made by Ctrl+Enter is marked in the same update that puts the caret in it', () => {
  const editor = mount()
  editor.commands.setTextSelection(textPos(editor.state.doc, '强化政治引领'))
  const before = editor.view.dom.children.length
  expect(editor.commands.insertSectionAfter()).toBe(true)
  expect(editor.view.dom.children.length).toBe(before + 1)
  const title = editor.state.selection.$from.parent
  expect(title.type.name).toBe('sectionTitle')
  expect(title.textContent).toBe('')
  // The one marked element is the new, empty section the caret is in.
  const marked = editor.view.dom.querySelectorAll(`.${CARET_SECTION_CLASS}`)
  expect(marked).toHaveLength(1)
  expect(marked[0].contains(editor.view.domAtPos(editor.state.selection.from).node)).toBe(true)
})

it('property: after any edits and selection moves, exactly the sections holding the selection are marked', () => {
  const step = fc.oneof(
    fc.record({ kind: fc.constant('select' as const), a: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('type' as const), text: fc.constantFrom('加', '强化', '。') }),
    fc.record({ kind: fc.constant('section' as const) }),
    fc.record({ kind: fc.constant('enter' as const) }),
  )
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
      const editor = mount()
      try {
        for (const each of steps) {
          const { doc } = editor.state
          if (each.kind === 'select') {
            const at = (x: number) => TextSelection.near(doc.resolve(Math.floor(x * doc.content.size)))
            editor.view.dispatch(editor.state.tr.setSelection(TextSelection.between(at(each.a).$head, at(each.b).$head)))
          } else if (each.kind === 'type') editor.commands.insertContent(each.text)
          else if (each.kind === 'section') editor.commands.insertSectionAfter()
          else editor.commands.enter()
          expect(markedInDom(editor)).toEqual(expected(editor))
        }
      } finally {
        editor.destroy()
        document.body.innerHTML = ''
      }
    }),
    propertyRuns(120),
  )
})
