// @vitest-environment happy-dom
import type { Editor } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { plainTextToDocJSON } from './lib/plainText'
import { documentExtensions } from './extensions'
import { mountedEditors } from './testing/mountedEditors'

const editors = mountedEditors()
/** 「标题」 takes positions 0–4: the paragraph's text starts at 5. */
const PARAGRAPH_START = 5

/** Characters typed one by one, as ProseMirror handles typing (input rules first). */
function type(editor: Editor, text: string): void {
  const { view } = editor
  for (const char of text) {
    const { from, to } = view.state.selection
    const insert = () => view.state.tr.insertText(char, from, to)
    if (!view.someProp('handleTextInput', (f) => f(view, from, to, char, insert))) view.dispatch(insert())
  }
}

const formatted = (editor: Editor) => {
  const names = new Set<string>()
  editor.state.doc.descendants((node) => node.marks.forEach((mark) => names.add(mark.type.name)))
  return [...names].filter((name) => ['bold', 'italic', 'strike'].includes(name))
}

describe('asterisks are masks, not Markdown', () => {
  it('「*次会议*」 and 「**局长**」 typed at a line start stay as typed (Tiptap made them italic and bold)', () => {
    const editor = editors.mount(documentExtensions(), plainTextToDocJSON('标题\n正文。'))
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, PARAGRAPH_START)))
    type(editor, '*次会议*')
    type(editor, ' **局长**')
    expect(editor.state.doc.child(1).textContent).toBe('*次会议* **局长**正文。')
    expect(formatted(editor)).toEqual([])
  })

  it('a paste with masks keeps every asterisk and adds no formatting', () => {
    const editor = editors.mount(documentExtensions(), plainTextToDocJSON('标题\n正文。'))
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, PARAGRAPH_START)))
    editor.view.pasteText('*第二段**局，~~删~~')
    expect(editor.state.doc.child(1).textContent).toBe('*第二段**局，~~删~~正文。')
    expect(formatted(editor)).toEqual([])
  })

  it('the keyboard shortcuts still format', () => {
    const editor = editors.mount(documentExtensions(), plainTextToDocJSON('标题\n正文。'))
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, PARAGRAPH_START, PARAGRAPH_START + 2)))
    editor.view.someProp('handleKeyDown', (f) => f(editor.view, new KeyboardEvent('keydown', { key: 'b', ctrlKey: true })))
    editor.view.someProp('handleKeyDown', (f) => f(editor.view, new KeyboardEvent('keydown', { key: 'i', ctrlKey: true })))
    expect(formatted(editor).sort()).toEqual(['bold', 'italic'])
  })
})
