// @vitest-environment happy-dom
import { Editor } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'
import { afterEach, describe, expect, it } from 'vitest'
import { documentExtensions } from '../extensions'
import { analyzeReport } from '../lib/analyzeReport'
import { plainTextToDocJSON } from '../lib/plainText'
import { SAMPLE_TEXT, textPos } from '../testing/reportFixtures'
import { SuggestChanges } from './SuggestChanges'

const LEADER = { id: 'u-leader', name: '王局长' }
const SAMPLE = plainTextToDocJSON(SAMPLE_TEXT)
let editors: Editor[] = []

afterEach(() => {
  editors.forEach((editor) => editor.destroy())
  editors = []
})

function leaderEditor(): Editor {
  const editor = new Editor({ extensions: [...documentExtensions(), SuggestChanges.configure({ author: LEADER, mode: 'suggest' })], content: SAMPLE })
  editors.push(editor)
  return editor
}

function select(editor: Editor, needle: string): void {
  const from = textPos(editor.state.doc, needle)
  editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, from, from + needle.length)))
}

/** The keyboard shortcut as the view receives it (Ctrl+B / Ctrl+I / Ctrl+U). */
function press(editor: Editor, key: string): void {
  const event = new KeyboardEvent('keydown', { key, ctrlKey: true, bubbles: true })
  editor.view.someProp('handleKeyDown', (handler) => handler(editor.view, event))
}

const suggestions = (editor: Editor) => analyzeReport(editor.state.doc).suggestions
const boldText = (editor: Editor) => {
  let text = ''
  editor.state.doc.descendants((node) => {
    if (node.isText && node.marks.some((mark) => mark.type.name === 'bold')) text += node.text
    return true
  })
  return text
}

describe('format suggestions in 建议', () => {
  it('Ctrl+B is a format suggestion with author and time, described as adding bold (not 防四超→防四超)', () => {
    const editor = leaderEditor()
    select(editor, '防四超')
    press(editor, 'b')
    expect(suggestions(editor)).toEqual([
      expect.objectContaining({ kind: 'format', format: { added: ['bold'], removed: [] }, authorId: LEADER.id, authorName: LEADER.name, inserted: '防四超' }),
    ])
    expect(suggestions(editor)[0].createdAt).toMatch(/^\d{4}-/)
  })

  it('italic and underline by shortcut, bold by the toolbar command, each its own described suggestion', () => {
    const editor = leaderEditor()
    select(editor, '防四超')
    press(editor, 'i')
    select(editor, '冬残奥会')
    press(editor, 'u')
    select(editor, '保驾护航')
    editor.commands.toggleBold()
    expect(suggestions(editor).map((suggestion) => [suggestion.kind, suggestion.format])).toEqual([
      ['format', { added: ['italic'], removed: [] }],
      ['format', { added: ['underline'], removed: [] }],
      ['format', { added: ['bold'], removed: [] }],
    ])
  })

  it('strike (Ctrl+Shift+S) is a format suggestion too, 「格式：加删除线」, accepted and rejected like bold', () => {
    for (const accept of [true, false]) {
      const editor = leaderEditor()
      const before = editor.state.doc
      select(editor, '防四超')
      editor.view.someProp('handleKeyDown', (handler) => handler(editor.view, new KeyboardEvent('keydown', { key: 's', ctrlKey: true, shiftKey: true, bubbles: true })))
      expect(suggestions(editor)).toEqual([expect.objectContaining({ kind: 'format', format: { added: ['strike'], removed: [] }, authorId: LEADER.id, inserted: '防四超' })])
      if (accept) editor.commands.acceptAllSuggestions()
      else editor.commands.rejectAllSuggestions()
      expect(suggestions(editor)).toEqual([])
      let struck = ''
      editor.state.doc.descendants((node) => {
        if (node.isText && node.marks.some((mark) => mark.type.name === 'strike')) struck += node.text
        return true
      })
      expect(struck).toBe(accept ? '防四超' : '')
      if (!accept) expect(editor.state.doc.eq(before)).toBe(true)
    }
  })

  it('accepting keeps the formatting, rejecting restores the text as it was', () => {
    for (const accept of [true, false]) {
      const editor = leaderEditor()
      const before = editor.state.doc
      select(editor, '防四超')
      press(editor, 'b')
      editor.commands.setEditorMode('edit')
      if (accept) editor.commands.acceptAllSuggestions()
      else editor.commands.rejectAllSuggestions()
      expect(suggestions(editor)).toEqual([])
      expect(editor.state.doc.textContent).toBe(before.textContent)
      expect(boldText(editor)).toBe(accept ? '防四超' : '')
      if (!accept) expect(editor.state.doc.eq(before)).toBe(true)
    }
  })

  it('removing bold is a format suggestion too; a changed word is not', () => {
    const editor = leaderEditor()
    editor.commands.setEditorMode('edit')
    select(editor, '防四超')
    editor.commands.toggleBold()
    editor.commands.setEditorMode('suggest')
    select(editor, '防四超')
    press(editor, 'b')
    select(editor, '保驾护航')
    editor.view.dispatch(editor.state.tr.insertText('保障护航'))
    expect(suggestions(editor).map((suggestion) => [suggestion.kind, suggestion.format])).toEqual([
      ['format', { added: [], removed: ['bold'] }],
      ['text', null],
    ])
  })
})
