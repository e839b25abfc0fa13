import { EditorState, TextSelection } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { getSchema } from '@tiptap/core'
import { documentExtensions } from '../extensions'
import { analyzeReport } from '../lib/analyzeReport'
import { plainTextToDocJSON } from '../lib/plainText'
import { placeholderBoundary } from './placeholderBoundary'

const schema = getSchema(documentExtensions())

function stateWith(text: string) {
  return EditorState.create({ schema, doc: schema.nodeFromJSON(plainTextToDocJSON(text)), plugins: [placeholderBoundary()] })
}

describe('placeholderBoundary', () => {
  it('text typed at a paragraph start before a placeholder stays outside it', () => {
    let state = stateWith('标题\n**局负责此项工作。')
    const start = analyzeReport(state.doc).placeholders[0].from
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, start)))
    state = state.apply(state.tr.insertText('北京'))
    const [placeholder] = analyzeReport(state.doc).placeholders
    expect(placeholder.text).toBe('**')
    expect(placeholder.filled).toBe(false)
    expect(state.doc.textContent).toContain('北京**局')
  })

  it('typing over the mask or at its end still fills the placeholder', () => {
    let state = stateWith('标题\n全年召开会议*次。')
    const { from, to } = analyzeReport(state.doc).placeholders[0]
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, from, to)))
    state = state.apply(state.tr.insertText('1'))
    state = state.apply(state.tr.insertText('2'))
    const [placeholder] = analyzeReport(state.doc).placeholders
    expect(placeholder).toMatchObject({ text: '12', filled: true })
  })
})
