// @vitest-environment happy-dom
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { test } from 'vitest'
import { Editor } from '@tiptap/core'
import { AllSelection, EditorState, NodeSelection } from '@tiptap/pm/state'
import { schema } from './schema'
import { plainTextToDocJSON } from './lib/plainText'
import { analyzeReport } from './lib/analyzeReport'
import { insertSectionAfter, demoteSection } from './commands/sections'
import { documentExtensions } from './extensions'
test('x', () => {
  const sample = readFileSync(resolve(import.meta.dirname, '../report/__fixtures__/2022-party-building-report.txt'), 'utf8')
  const doc = schema.nodeFromJSON(plainTextToDocJSON(sample))
  for (const sel of [new AllSelection(doc), NodeSelection.create(doc, 114)]) {
    const st = EditorState.create({ schema, doc, selection: sel })
    try {
      let out = st
      insertSectionAfter(st, (tr) => { out = st.apply(tr) })
      out.doc.check()
      console.log('ok', analyzeReport(out.doc).sections.slice(0, 4).map((s) => s.label))
    } catch (e) { console.log('ERR', String(e)) }
    try {
      let out = st
      console.log(demoteSection(st, (tr) => { out = st.apply(tr) }))
      out.doc.check()
      console.log('ok', analyzeReport(out.doc).sections.slice(0, 4).map((s) => s.label))
    } catch (e) { console.log('ERR', String(e)) }
  }
  const editor = new Editor({ extensions: documentExtensions(), content: plainTextToDocJSON(sample) })
  editor.commands.setTextSelection(5)
  const ev = { clipboardData: { getData: (t: string) => (t === 'text/plain' ? '一、总体情况\n（一）主要做法。正文*项' : '') }, preventDefault() {} }
  const handled = editor.view.someProp('handlePaste', (f) => f(editor.view, ev as any, null as any))
  console.log('handled', handled, editor.state.doc.child(0).textContent, analyzeReport(editor.state.doc).sections.length)
  editor.commands.setTextSelection(140)
  const before = editor.state.selection.$from.parent.textContent
  editor.commands.demoteSection()
  console.log(before, '→', editor.state.selection.$from.parent.textContent, editor.state.selection.$from.parentOffset)
})
