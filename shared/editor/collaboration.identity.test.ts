// @vitest-environment happy-dom
/**
 * patches/@tiptap+y-tiptap+3.0.9.patch: a remote change must leave the nodes it did not touch as the
 * very same objects, in the state and in the view. y-tiptap 3.0.9 rebuilt every node on every remote
 * change, so on a 50-page report each remote keystroke re-compared and re-analysed the whole document.
 */
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import type { Node as PMNode } from '@tiptap/pm/model'
import { TextSelection } from '@tiptap/pm/state'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { documentExtensions } from './extensions'
import { plainTextToDocJSON } from './lib/plainText'
import { docJSONToUpdate } from './lib/ydoc'
import { SAMPLE_TEXT, textPos as textPosIn } from './testing/reportFixtures'

const textPos = (editor: Editor, text: string) => textPosIn(editor.state.doc, text)

let editors: Editor[] = []
afterEach(() => {
  editors.forEach((editor) => editor.destroy())
  editors = []
})

function replicas(): [Editor, Editor] {
  const initial = docJSONToUpdate(plainTextToDocJSON(SAMPLE_TEXT))
  const docs = [new Y.Doc(), new Y.Doc()]
  for (const doc of docs) Y.applyUpdate(doc, initial)
  docs[0].on('update', (update: Uint8Array, origin: unknown) => origin !== 'relay' && Y.applyUpdate(docs[1], update, 'relay'))
  docs[1].on('update', (update: Uint8Array, origin: unknown) => origin !== 'relay' && Y.applyUpdate(docs[0], update, 'relay'))
  editors = docs.map((document) => new Editor({ extensions: [...documentExtensions(), Collaboration.configure({ document })] }))
  return [editors[0], editors[1]]
}

const children = (doc: PMNode) => Array.from({ length: doc.childCount }, (_, i) => doc.child(i))
/** The nodes ProseMirror's view holds for the top level (compared by identity on every update). */
const viewNodes = (editor: Editor) => (editor.view as unknown as { docView: { children: Array<{ node: PMNode }> } }).docView.children.map((d) => d.node)


describe('node identity across remote changes (y-tiptap patch)', () => {
  it('a remote keystroke replaces only the top-level node it changed', () => {
    const [writer, reader] = replicas()
    const before = children(reader.state.doc)
    writer.view.dispatch(writer.state.tr.insertText('甲', textPos(writer, '强化政治引领')))
    const after = children(reader.state.doc)
    expect(after).toHaveLength(before.length)
    const replaced = after.filter((node, i) => node !== before[i])
    expect(replaced).toHaveLength(1)
    expect(replaced[0].textContent).toContain('甲强化政治引领')
    expect(viewNodes(reader)).toEqual(after)
    viewNodes(reader).forEach((node, i) => expect(node).toBe(after[i]))
  })

  it('after a remote structural change (a paragraph removed) the untouched nodes are still the same objects', () => {
    const [writer, reader] = replicas()
    const before = children(reader.state.doc)
    const $inLast = writer.state.doc.resolve(textPos(writer, writer.state.doc.lastChild!.lastChild!.textContent.slice(0, 6)))
    writer.view.dispatch(writer.state.tr.delete($inLast.before(), $inLast.after()))
    const after = children(reader.state.doc)
    expect(after.slice(0, -1).every((node, i) => node === before[i])).toBe(true)
    expect(after.at(-1)).not.toBe(before.at(-1))
    viewNodes(reader).forEach((node, i) => expect(node).toBe(after[i]))
    // Typing after it still works on both sides, and both agree.
    reader.view.dispatch(reader.state.tr.setSelection(TextSelection.create(reader.state.doc, textPos(reader, '强化政治引领'))))
    reader.view.dispatch(reader.state.tr.insertText('乙'))
    expect(writer.state.doc.toJSON()).toEqual(reader.state.doc.toJSON())
  })
})
