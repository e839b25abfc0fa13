// @vitest-environment happy-dom
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { TextSelection } from '@tiptap/pm/state'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { documentExtensions } from '../extensions'
import { analyzeReport } from '../lib/analyzeReport'
import { plainTextToDocJSON } from '../lib/plainText'
import { docJSONToUpdate, yDocToNode } from '../lib/ydoc'
import { SuggestChanges, type EditorMode } from './SuggestChanges'

const sample = readFileSync(path.join(__dirname, '../../report/__fixtures__/2022-party-building-report.txt'), 'utf8')
const initial = docJSONToUpdate(plainTextToDocJSON(sample))
let editors: Editor[] = []

afterEach(() => {
  editors.forEach((editor) => editor.destroy())
  editors = []
})

function person(ydoc: Y.Doc, mode: EditorMode, author: { id: string; name: string }): Editor {
  const editor = new Editor({
    extensions: [...documentExtensions(), Collaboration.configure({ document: ydoc }), SuggestChanges.configure({ author, mode })],
  })
  editors.push(editor)
  return editor
}

/** Two replicas wired together in memory, the way the sync server relays updates. */
function pair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc()
  const b = new Y.Doc()
  Y.applyUpdate(a, initial)
  Y.applyUpdate(b, initial)
  a.on('update', (update: Uint8Array, origin: unknown) => origin !== 'relay' && Y.applyUpdate(b, update, 'relay'))
  b.on('update', (update: Uint8Array, origin: unknown) => origin !== 'relay' && Y.applyUpdate(a, update, 'relay'))
  return [a, b]
}

function find(editor: Editor, text: string): number {
  let found = -1
  editor.state.doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text!.includes(text)) found = pos + node.text!.indexOf(text)
    return found < 0
  })
  if (found < 0) throw new Error(`not found: ${text}`)
  return found
}

function typeAt(editor: Editor, at: number, text: string): void {
  editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, at)))
  for (const char of text) editor.view.dispatch(editor.state.tr.insertText(char))
}

describe('suggest mode with Yjs collaboration', () => {
  it('a drafter\'s remote edit arriving while the leader suggests does not become a suggestion', () => {
    const [leaderDoc, drafterDoc] = pair()
    const leader = person(leaderDoc, 'suggest', { id: 'leader', name: '王局长' })
    const drafter = person(drafterDoc, 'edit', { id: 'drafter', name: '张明' })

    typeAt(drafter, find(drafter, '现将一年来工作情况'), '特此')
    typeAt(leader, find(leader, '左右'), '（建议）')

    const leaderSuggestions = analyzeReport(leader.state.doc).suggestions
    expect(leaderSuggestions).toHaveLength(1)
    expect(leaderSuggestions[0]).toMatchObject({ inserted: '（建议）', authorName: '王局长' })
    expect(leader.state.doc.textContent).toContain('特此现将一年来工作情况')
    // Both replicas agree, and the drafter sees the leader's suggestion with the leader's name.
    expect(yDocToNode(leaderDoc).eq(yDocToNode(drafterDoc))).toBe(true)
    expect(analyzeReport(drafter.state.doc).suggestions).toMatchObject([{ authorName: '王局长', inserted: '（建议）' }])
  })

  it('the drafter accepts the leader\'s replacement and both end with the new word and no marks', () => {
    const [leaderDoc, drafterDoc] = pair()
    const leader = person(leaderDoc, 'suggest', { id: 'leader', name: '王局长' })
    const drafter = person(drafterDoc, 'edit', { id: 'drafter', name: '张明' })
    const from = find(leader, '左右')
    leader.view.dispatch(leader.state.tr.setSelection(TextSelection.create(leader.state.doc, from, from + 2)))
    leader.view.dispatch(leader.state.tr.insertText('作为'))

    const [suggestion] = analyzeReport(drafter.state.doc).suggestions
    expect(suggestion).toMatchObject({ type: 'replacement', deleted: '左右', inserted: '作为', authorName: '王局长' })
    drafter.commands.acceptSuggestion(suggestion.id)
    for (const editor of [leader, drafter]) {
      expect(editor.state.doc.textContent).toContain('责任作为首要政治责任')
      expect(editor.state.doc.textContent).not.toContain('左右')
      expect(analyzeReport(editor.state.doc).suggestions).toHaveLength(0)
    }
  })

  it('undo in suggest mode withdraws one\'s own suggestion instead of suggesting again', () => {
    const [leaderDoc] = pair()
    const leader = person(leaderDoc, 'suggest', { id: 'leader', name: '王局长' })
    typeAt(leader, find(leader, '左右'), '拟')
    expect(analyzeReport(leader.state.doc).suggestions).toHaveLength(1)
    leader.commands.undo()
    expect(analyzeReport(leader.state.doc).suggestions).toHaveLength(0)
    expect(leader.state.doc.textContent).not.toContain('拟左右')
  })
})
