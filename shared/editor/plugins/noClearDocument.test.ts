// @vitest-environment happy-dom
import type { Editor } from '@tiptap/core'
import { Selection, TextSelection } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { mountedEditors } from '../testing/mountedEditors'

const editors = mountedEditors()

/** The sample report with its whole text selected from the end back to the title (Shift+Ctrl+Home). */
function wholeReportSelected(): Editor {
  const editor = editors.mount()
  const { doc } = editor.state
  editor.view.dispatch(editor.state.tr.setSelection(TextSelection.between(Selection.atEnd(doc).$to, Selection.atStart(doc).$from)))
  return editor
}

const blocks = (editor: Editor) => editor.state.doc.children.map((block) => [block.type.name, block.textContent])

describe('the whole report selected and replaced', () => {
  it('Enter leaves an empty title and a new empty paragraph with the caret in it (it threw in clearNodes)', () => {
    const editor = wholeReportSelected()
    expect(editor.commands.enter()).toBe(true)
    expect(blocks(editor)).toEqual([['reportTitle', ''], ['paragraph', '']])
    expect(editor.state.selection.$from.parent.type.name).toBe('paragraph')
  })

  it('Backspace and typing leave the title, empty or with the typed text', () => {
    const first = wholeReportSelected()
    expect(first.commands.keyboardShortcut('Backspace')).toBe(true)
    expect(blocks(first)).toEqual([['reportTitle', '']])
    first.destroy()
    const second = wholeReportSelected()
    second.commands.insertContent('新标题')
    expect(blocks(second)).toEqual([['reportTitle', '新标题']])
  })
})
