// @vitest-environment happy-dom
/**
 * Opening a report builds its ProseMirror document from Yjs once. It was built twice per open (and the
 * second time dispatched as a whole-document replacement through every plugin): the suggestion
 * popover's BubbleMenu registers a plugin after the editor exists, ProseMirror then re-creates every
 * plugin view, and y-tiptap's sync plugin rebuilt the whole document in its new view.
 */
import { Editor } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { ProsemirrorBinding } from '@tiptap/y-tiptap'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { documentExtensions } from '../../../shared/editor/extensions'
import { plainTextToDocJSON } from '../../../shared/editor/lib/plainText'
import { CONTENT_FRAGMENT, docJSONToUpdate, yDocToNode } from '../../../shared/editor/lib/ydoc'
import { SAMPLE_TEXT, textPos } from '../../../shared/editor/testing/reportFixtures'
import { RenderOnceCollaboration, wholeDocumentRenders } from './renderOnceCollaboration'

let editors: Editor[] = []
afterEach(() => {
  editors.forEach((editor) => editor.destroy())
  editors = []
  vi.restoreAllMocks()
})

function open(ydoc: Y.Doc): Editor {
  const element = document.createElement('div')
  document.body.append(element)
  const editor = new Editor({ element, extensions: [...documentExtensions(), RenderOnceCollaboration.configure({ document: ydoc, field: CONTENT_FRAGMENT })] })
  editors.push(editor)
  return editor
}

/** What a BubbleMenu does as it mounts: a plugin registered on the live editor. */
const registerLatePlugin = (editor: Editor, name: string) => editor.registerPlugin(new Plugin({ key: new PluginKey(name), view: () => ({}) }))

describe('RenderOnceCollaboration', () => {
  it('builds the document from Yjs once, however many plugins are registered later, and stays bound both ways', () => {
    const ydoc = new Y.Doc()
    Y.applyUpdate(ydoc, docJSONToUpdate(plainTextToDocJSON(SAMPLE_TEXT)))
    const rerenders = vi.spyOn(ProsemirrorBinding.prototype, '_forceRerender')
    const before = wholeDocumentRenders.count

    const editor = open(ydoc)
    registerLatePlugin(editor, 'popover')
    registerLatePlugin(editor, 'another')
    editor.unregisterPlugin('another')

    expect(rerenders).toHaveBeenCalledTimes(1)
    expect(wholeDocumentRenders.count - before).toBe(1)
    expect(editor.state.doc.toJSON()).toEqual(yDocToNode(ydoc).toJSON())

    // Local typing still reaches Yjs after the views were re-created…
    editor.view.dispatch(editor.state.tr.insertText('今年以来', textPos(editor.state.doc, '强化政治引领')))
    expect(yDocToNode(ydoc).textContent).toContain('今年以来强化政治引领')
    // …and another person's change still reaches the editor.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(ydoc))
    other.on('update', (update: Uint8Array) => Y.applyUpdate(ydoc, update, 'remote'))
    const otherEditor = open(other)
    otherEditor.view.dispatch(otherEditor.state.tr.insertText('全面', textPos(otherEditor.state.doc, '强化理论武装')))
    expect(editor.getText()).toContain('全面强化理论武装')
    expect(editor.state.doc.toJSON()).toEqual(yDocToNode(ydoc).toJSON())
    // Two editors, one build each.
    expect(rerenders).toHaveBeenCalledTimes(2)
  })

  it('a new editor on the same document builds it again (one build per editor, not per page)', () => {
    const ydoc = new Y.Doc()
    Y.applyUpdate(ydoc, docJSONToUpdate(plainTextToDocJSON(SAMPLE_TEXT)))
    const before = wholeDocumentRenders.count
    open(ydoc).destroy()
    const again = open(ydoc)
    expect(wholeDocumentRenders.count - before).toBe(2)
    expect(again.state.doc.toJSON()).toEqual(yDocToNode(ydoc).toJSON())
  })
})
