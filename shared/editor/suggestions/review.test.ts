// @vitest-environment happy-dom
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { TextSelection } from '@tiptap/pm/state'
import { yUndoPluginKey } from '@tiptap/y-tiptap'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { documentExtensions } from '../extensions'
import { analyzeReport } from '../lib/analyzeReport'
import { plainTextToDocJSON } from '../lib/plainText'
import { docJSONToUpdate, yDocToNode } from '../lib/ydoc'
import { SAMPLE_TEXT, textPos } from '../testing/reportFixtures'
import { reviewedDoc } from './review'
import { SuggestChanges, type EditorMode } from './SuggestChanges'

const LEADER = { id: 'u-leader', name: '王局长' }
const DEPUTY = { id: 'u-deputy', name: '李副局长' }
const DRAFTER = { id: 'u-drafter', name: '李四' }
// Built once: placeholder ids are random, and results of separate editors are compared.
const SAMPLE = plainTextToDocJSON(SAMPLE_TEXT)
let editors: Editor[] = []

afterEach(() => {
  editors.forEach((editor) => editor.destroy())
  editors = []
})

function makeEditor(mode: EditorMode, author = LEADER, ydoc?: Y.Doc): Editor {
  const editor = new Editor({
    extensions: [
      ...documentExtensions(),
      ...(ydoc ? [Collaboration.configure({ document: ydoc })] : []),
      SuggestChanges.configure({ author, mode }),
    ],
    content: ydoc ? undefined : SAMPLE,
  })
  editors.push(editor)
  return editor
}

const find = (editor: Editor, needle: string) => textPos(editor.state.doc, needle)

function select(editor: Editor, from: number, to = from): void {
  editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, from, to)))
}

const replace = (editor: Editor, old: string, text: string) => {
  const at = find(editor, old)
  select(editor, at, at + old.length)
  editor.view.dispatch(editor.state.tr.insertText(text))
}
const insertBefore = (editor: Editor, anchor: string, text: string) => {
  select(editor, find(editor, anchor))
  editor.view.dispatch(editor.state.tr.insertText(text))
}
const remove = (editor: Editor, old: string) => {
  const at = find(editor, old)
  editor.view.dispatch(editor.state.tr.delete(at, at + old.length))
}
const text = (editor: Editor) => editor.state.doc.textContent
const pending = (editor: Editor) => analyzeReport(editor.state.doc).suggestions

/** The leader's three suggestions from issue 12, in the paragraphs where bulk accept corrupted the text. */
function leaderSuggests(editor: Editor): void {
  replace(editor, '扎实做好', '全力做好')
  insertBefore(editor, '深入学习党的二十大精神，自觉', '把握')
  remove(editor, '自觉提升')
}

describe('bulk review (issue 12: accepting all of one author corrupted the text)', () => {
  it('accepts all of the leader\'s suggestions and changes nothing else', () => {
    const editor = makeEditor('suggest')
    leaderSuggests(editor)
    editor.commands.setEditorMode('edit')
    expect(editor.commands.acceptAllSuggestions(LEADER.id)).toBe(true)
    expect(pending(editor)).toEqual([])
    expect(text(editor)).toContain('落实市委部署，全力做好党的二十大期间')
    expect(text(editor)).toContain('带头深入学习党章党规，带头把握深入学习党的二十大精神，“政治三力”。')
  })

  it('plain 全部接受 of a deletion among other suggestions (鲜明, 止→至) leaves the rest of the text intact', () => {
    const editor = makeEditor('suggest')
    remove(editor, '鲜明')
    replace(editor, '截止', '截至')
    editor.commands.setSuggestionAuthor(DEPUTY)
    insertBefore(editor, '整改时限', '明确')
    editor.commands.setEditorMode('edit')
    editor.commands.acceptAllSuggestions()
    expect(pending(editor)).toEqual([])
    expect(text(editor)).toContain('牢固“一切工作到支部”导向')
    expect(text(editor)).toContain('明确整改时限，截至目前已全部完成整改')
  })

  it('rejecting all restores the original document exactly, marks included', () => {
    const editor = makeEditor('suggest')
    const original = editor.state.doc
    leaderSuggests(editor)
    select(editor, find(editor, '防四超'), find(editor, '防四超') + 3)
    editor.commands.toggleBold()
    select(editor, find(editor, '研究审议'))
    editor.commands.splitBlock()
    editor.commands.setEditorMode('edit')
    editor.commands.rejectAllSuggestions()
    expect(editor.state.doc.toJSON()).toEqual(original.toJSON())
  })

  it('accepting one by one, in either order, gives what accepting all gives', () => {
    const results = new Set<string>()
    for (const order of ['forward', 'backward', 'all'] as const) {
      const editor = makeEditor('suggest')
      leaderSuggests(editor)
      editor.commands.setEditorMode('edit')
      const ids = pending(editor).map((suggestion) => suggestion.id)
      if (order === 'all') editor.commands.acceptAllSuggestions()
      for (const id of order === 'forward' ? ids : order === 'backward' ? [...ids].reverse() : []) {
        expect(editor.commands.acceptSuggestion(id)).toBe(true)
      }
      results.add(JSON.stringify(editor.state.doc.toJSON()))
    }
    expect(results.size).toBe(1)
  })

  it('accepts a paragraph split and a join across a placeholder as one suggestion each', () => {
    const editor = makeEditor('suggest')
    select(editor, find(editor, '研究审议'))
    editor.commands.splitBlock()
    select(editor, find(editor, '一年来，我能够坚持'))
    editor.commands.joinBackward()
    editor.commands.setEditorMode('edit')
    editor.commands.acceptAllSuggestions()
    expect(pending(editor)).toEqual([])
    expect(text(editor)).not.toContain('\u200B')
    const paragraphs: string[] = []
    editor.state.doc.descendants((node) => {
      if (node.type.name === 'paragraph') paragraphs.push(node.textContent)
      return true
    })
    expect(paragraphs.some((paragraph) => paragraph.startsWith('研究审议'))).toBe(true)
    expect(paragraphs.some((paragraph) => paragraph.endsWith('形成监管合力。一年来，我能够坚持') || paragraph.includes('形成监管合力。一年来，我能够坚持'))).toBe(true)
  })

  it('another person cannot split or join at a paragraph break someone suggested; its author can withdraw it', () => {
    const editor = makeEditor('suggest')
    select(editor, find(editor, '研究审议'))
    editor.commands.splitBlock()
    const split = editor.state.doc
    const breakStart = editor.state.doc.resolve(find(editor, '研究审议')).start()
    editor.commands.setSuggestionAuthor(DEPUTY)
    // Right at the suggested break: Enter at the end of the first part, Backspace at the start of the second.
    select(editor, breakStart - 2)
    editor.commands.splitBlock()
    expect(editor.state.doc.eq(split)).toBe(true)
    select(editor, breakStart)
    editor.commands.joinBackward()
    expect(editor.state.doc.eq(split)).toBe(true)
    // The leader's Backspace takes the suggested break back: nothing is left to review.
    editor.commands.setSuggestionAuthor(LEADER)
    select(editor, editor.state.doc.resolve(find(editor, '研究审议')).start())
    editor.commands.joinBackward()
    expect(pending(editor)).toEqual([])
    expect(editor.state.doc.toJSON()).toEqual(makeEditor('suggest').state.doc.toJSON())
  })

  it('a suggestion that does not exist is refused without a transaction', () => {
    const editor = makeEditor('edit')
    let transactions = 0
    editor.on('transaction', ({ transaction }) => void (transaction.docChanged && transactions++))
    expect(editor.commands.acceptSuggestion('s-missing')).toBe(false)
    expect(editor.commands.rejectAllSuggestions()).toBe(false)
    expect(transactions).toBe(0)
  })

  it('the editor commands and the headless reviewedDoc agree', () => {
    const editor = makeEditor('suggest')
    leaderSuggests(editor)
    const before = editor.state.doc
    editor.commands.setEditorMode('edit')
    editor.commands.acceptAllSuggestions()
    expect(reviewedDoc(before, true).eq(editor.state.doc)).toBe(true)
  })
})

/** Two replicas; `connected` decides whether updates are relayed now or held until `flush`. */
function replicas() {
  const docs = [new Y.Doc(), new Y.Doc()]
  const initial = docJSONToUpdate(SAMPLE)
  for (const doc of docs) Y.applyUpdate(doc, initial)
  const held: [number, Uint8Array][] = []
  let connected = true
  docs.forEach((doc, index) =>
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'relay') return
      if (connected) Y.applyUpdate(docs[1 - index], update, 'relay')
      else held.push([1 - index, update])
    }),
  )
  return {
    docs,
    disconnect: () => (connected = false),
    reconnect: () => {
      connected = true
      for (const [target, update] of held.splice(0)) Y.applyUpdate(docs[target], update, 'relay')
    },
  }
}

describe('bulk review with Yjs', () => {
  it('is one transaction and one undo step, and one undo brings every suggestion back', () => {
    const { docs } = replicas()
    const leader = makeEditor('suggest', LEADER, docs[0])
    const drafter = makeEditor('edit', DRAFTER, docs[1])
    leaderSuggests(leader)
    const withSuggestions = drafter.state.doc.toJSON()
    const undoManager = yUndoPluginKey.getState(drafter.state)!.undoManager
    const stackBefore = undoManager.undoStack.length
    undoManager.stopCapturing()
    let changes = 0
    drafter.on('transaction', ({ transaction }) => void (transaction.docChanged && changes++))
    drafter.commands.acceptAllSuggestions(LEADER.id)
    expect(changes).toBe(1)
    expect(undoManager.undoStack.length).toBe(stackBefore + 1)
    expect(text(leader)).toContain('带头把握深入学习党的二十大精神，“政治三力”。')

    expect(drafter.commands.undo()).toBe(true)
    expect(drafter.state.doc.toJSON()).toEqual(withSuggestions)
    expect(leader.state.doc.toJSON()).toEqual(withSuggestions)
    expect(pending(leader)).toHaveLength(3)
  })

  it('accepting all while another person types in the same paragraph keeps both', () => {
    const { docs, disconnect, reconnect } = replicas()
    const leader = makeEditor('suggest', LEADER, docs[0])
    const drafter = makeEditor('edit', DRAFTER, docs[1])
    const other = makeEditor('edit', DEPUTY, docs[0])
    leaderSuggests(leader)
    disconnect()
    // Typed by someone else into the same paragraph, next to and between the suggestions, not yet seen.
    insertBefore(other, '带头深入学习党章党规', '认真')
    insertBefore(other, '“政治三力”', '全面')
    insertBefore(other, '交流发言', '并')
    drafter.commands.acceptAllSuggestions(LEADER.id)
    reconnect()
    const expected = '主持党委理论学习中心组集中学习*次，并交流发言**余人次，班子成员认真带头深入学习党章党规，带头把握深入学习党的二十大精神，全面“政治三力”。'
    for (const editor of [leader, drafter, other]) {
      expect(text(editor)).toContain(expected)
      expect(pending(editor)).toEqual([])
    }
    expect(yDocToNode(docs[0]).eq(yDocToNode(docs[1]))).toBe(true)
  })
})
