// @vitest-environment happy-dom
/**
 * Paragraph breaks through Yjs (patches/@tiptap+y-tiptap+3.0.9.patch, bestAlignment): Enter at a
 * paragraph's start kept the paragraph's Yjs element for the new empty paragraph and wrote the whole
 * text again into a new one. Another person's typing in it at the same moment was then in deleted
 * text (FollowMoves on the server re-homes it), and formatting markers written meanwhile lost their
 * ends (review.yjs.property.test.ts, seed 1240827078: a suggestion's marks leaked onto the report's
 * text, and reject-all removed it).
 */
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { TextSelection } from '@tiptap/pm/state'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { documentExtensions } from './extensions'
import { CONTENT_FRAGMENT, docJSONToUpdate } from './lib/ydoc'
import { textPos } from './testing/reportFixtures'

const editors: Editor[] = []
afterEach(() => editors.splice(0).forEach((editor) => editor.destroy()))

const text = (value: string, marks: string[] = []) => ({ type: 'text', text: value, marks: marks.map((type) => ({ type })) })
const REPORT = {
  type: 'doc' as const,
  content: [
    { type: 'reportTitle', content: [text('报告')] },
    { type: 'paragraph', content: [text('全年'), text('召开', ['bold']), text('会议。')] },
    { type: 'section', attrs: { level: 1 }, content: [{ type: 'sectionTitle', content: [text('工作')] }] },
  ],
}

/** Two people on replicas of the report whose updates wait until `exchange`. */
function pair() {
  const docs = [new Y.Doc(), new Y.Doc()]
  const initial = docJSONToUpdate(REPORT)
  for (const doc of docs) Y.applyUpdate(doc, initial)
  const [a, b] = docs.map((document) => new Editor({ extensions: [...documentExtensions(), Collaboration.configure({ document, field: CONTENT_FRAGMENT })] }))
  editors.push(a, b)
  const exchange = () => {
    const toB = Y.encodeStateAsUpdate(docs[0], Y.encodeStateVector(docs[1]))
    const toA = Y.encodeStateAsUpdate(docs[1], Y.encodeStateVector(docs[0]))
    Y.applyUpdate(docs[1], toB, 'remote')
    Y.applyUpdate(docs[0], toA, 'remote')
  }
  return { a, b, docs, exchange }
}

const paragraphRuns = (editor: Editor) => {
  const runs: Array<[string, string[]]> = []
  editor.state.doc.descendants((node) => {
    if (node.type.name === 'paragraph') node.forEach((child) => runs.push([child.text ?? '', child.marks.map((mark) => mark.type.name)]))
    return node.type.name !== 'paragraph'
  })
  return runs
}

function press(editor: Editor, key: string): void {
  editor.view.someProp('handleKeyDown', (handler) => handler(editor.view, new KeyboardEvent('keydown', { key })))
}

describe('Enter at a paragraph’s start through Yjs', () => {
  it('Enter at a paragraph’s start keeps its text where it is in Yjs: another person’s typing in it, at the same moment, stays in it', () => {
    const { a, b, docs, exchange } = pair()
    const paragraph = () => docs[0].getXmlFragment(CONTENT_FRAGMENT).get(1) as Y.XmlElement
    const before = paragraph()
    a.view.dispatch(a.state.tr.setSelection(TextSelection.create(a.state.doc, textPos(a.state.doc, '全年'))))
    press(a, 'Enter')
    // The new empty paragraph is the one inserted; the text's element follows it, unchanged.
    expect(docs[0].getXmlFragment(CONTENT_FRAGMENT).get(2)).toBe(before)
    b.view.dispatch(b.state.tr.insertText('今', textPos(b.state.doc, '全年')))
    exchange()
    for (const editor of [a, b]) {
      expect(editor.state.doc.child(1).textContent).toBe('')
      expect(paragraphRuns(editor).slice(0, 3)).toEqual([['今全年', []], ['召开', ['bold']], ['会议。', []]])
    }
  })
})
