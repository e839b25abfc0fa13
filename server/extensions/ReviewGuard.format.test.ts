// @vitest-environment happy-dom
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { TextSelection } from '@tiptap/pm/state'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { documentExtensions } from '../../shared/editor/extensions'
import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import { plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import { docJSONToUpdate, yDocToNode } from '../../shared/editor/lib/ydoc'
import { SuggestChanges, type EditorMode } from '../../shared/editor/suggestions/SuggestChanges'
import { SAMPLE_TEXT, textPos } from '../../shared/editor/testing/reportFixtures'
import { CollabDocument } from '../collab/CollabDocument'
import { ReviewGuard } from './ReviewGuard'

const REVIEWER = { id: 'u-reviewer', name: '王局长' }
const initial = docJSONToUpdate(plainTextToDocJSON(SAMPLE_TEXT))
let editors: Editor[] = []

afterEach(() => {
  editors.forEach((editor) => editor.destroy())
  editors = []
})

/** The live document on the server, and a reviewer's replica whose raw Yjs updates are collected. */
function setup(mode: EditorMode) {
  const document = new CollabDocument('guarded')
  Y.applyUpdate(document.ydoc, initial)
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(document.ydoc))
  const updates: Uint8Array[] = []
  replica.on('update', (update: Uint8Array) => updates.push(update))
  const editor = new Editor({
    extensions: [...documentExtensions(), Collaboration.configure({ document: replica }), SuggestChanges.configure({ author: REVIEWER, mode })],
  })
  editors.push(editor)
  return { document, editor, updates: () => Y.mergeUpdates(updates.splice(0)) }
}

function bold(editor: Editor, needle: string): void {
  const from = textPos(editor.state.doc, needle)
  editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, from, from + needle.length)))
  editor.commands.toggleBold()
}

describe('ReviewGuard and formatting by a reviewer', () => {
  it('lets a reviewer\'s own format suggestion (Ctrl+B in 建议) through, and its withdrawal', () => {
    const { document, editor, updates } = setup('suggest')
    const guard = new ReviewGuard()
    bold(editor, '防四超')
    expect(analyzeReport(editor.state.doc).suggestions).toMatchObject([{ kind: 'format', authorId: REVIEWER.id }])
    const update = updates()
    expect(guard.allows(document, update, 'reviewer', REVIEWER.id, true)).toBe(true)
    Y.applyUpdate(document.ydoc, update, 'reviewer')
    expect(analyzeReport(yDocToNode(document.ydoc)).suggestions).toMatchObject([{ kind: 'format', format: { added: ['bold'] } }])
    // Withdrawing it (undoing one's own suggestion) is allowed as well.
    editor.commands.setEditorMode('edit')
    editor.commands.rejectAllSuggestions(REVIEWER.id)
    expect(guard.allows(document, updates(), 'reviewer', REVIEWER.id, true)).toBe(true)
  })

  it('lets a reviewer\'s own strike suggestion (删除线 in 建议) through', () => {
    const { document, editor, updates } = setup('suggest')
    const from = textPos(editor.state.doc, '防四超')
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, from, from + 3)))
    editor.commands.toggleStrike()
    expect(analyzeReport(editor.state.doc).suggestions).toMatchObject([{ kind: 'format', format: { added: ['strike'] }, authorId: REVIEWER.id }])
    expect(new ReviewGuard().allows(document, updates(), 'reviewer', REVIEWER.id, true)).toBe(true)
  })

  it('refuses a plain bold by a reviewer, from the editor or as a hand-made formatting update', () => {
    const { document, editor, updates } = setup('edit')
    const guard = new ReviewGuard()
    bold(editor, '防四超')
    expect(guard.allows(document, updates(), 'reviewer', REVIEWER.id, true)).toBe(false)

    // The same through Yjs directly: formatting attributes on the paragraph's text.
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(document.ydoc))
    const sent: Uint8Array[] = []
    replica.on('update', (update: Uint8Array) => sent.push(update))
    const paragraph = replica.getXmlFragment('default').get(1) as Y.XmlElement
    const text = paragraph.get(0) as Y.XmlText
    text.format(0, 4, { bold: {} })
    expect(sent).toHaveLength(1)
    expect(guard.allows(document, sent[0], 'reviewer', REVIEWER.id, true)).toBe(false)
  })
})
