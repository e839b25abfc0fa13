// @vitest-environment happy-dom
/**
 * patches/@tiptap+y-tiptap+3.0.9.patch, caret part. y-tiptap 3.0.9 made every open editor re-send
 * its caret after every remote change, so each keystroke of one person cost one awareness message
 * from every other editor, relayed to all the others. Carets are relative positions that others'
 * edits do not move, so nothing needs re-sending; the carets a local structural change hides are
 * redrawn by the editor that hid them.
 */
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { TextSelection } from '@tiptap/pm/state'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { documentExtensions } from './extensions'
import { plainTextToDocJSON } from './lib/plainText'
import { docJSONToUpdate } from './lib/ydoc'
import { SAMPLE_TEXT, textPos as textPosIn } from './testing/reportFixtures'

const textPos = (editor: Editor, text: string) => textPosIn(editor.state.doc, text)

interface Person {
  editor: Editor
  awareness: Awareness
  /** Awareness updates this person's editor sent of its own accord. */
  sent: number
}

let people: Person[] = []
afterEach(() => {
  people.forEach(({ editor, awareness }) => {
    editor.destroy()
    awareness.destroy()
  })
  people = []
  document.body.innerHTML = ''
})

/** Two people on relayed replicas of the sample, with awareness relayed as a server would. */
function twoPeople(): [Person, Person] {
  const initial = docJSONToUpdate(plainTextToDocJSON(SAMPLE_TEXT))
  const docs = [new Y.Doc(), new Y.Doc()]
  for (const doc of docs) Y.applyUpdate(doc, initial)
  const relay = (from: number, to: number) =>
    docs[from].on('update', (update: Uint8Array, origin: unknown) => origin !== 'relay' && Y.applyUpdate(docs[to], update, 'relay'))
  relay(0, 1)
  relay(1, 0)
  people = docs.map((document, i) => {
    const awareness = new Awareness(document)
    const element = window.document.createElement('div')
    window.document.body.append(element)
    const editor = new Editor({
      element,
      extensions: [
        ...documentExtensions(),
        Collaboration.configure({ document }),
        CollaborationCaret.configure({ provider: { awareness }, user: { name: i === 0 ? '张明' : '李华', color: '#cc0000' } }),
      ],
    })
    return { editor, awareness, sent: 0 }
  })
  people.forEach((person, i) => {
    const other = people[1 - i]
    person.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      if (origin === 'relay') return
      person.sent++
      applyAwarenessUpdate(other.awareness, encodeAwarenessUpdate(person.awareness, [...added, ...updated, ...removed]), 'relay')
    })
  })
  return [people[0], people[1]]
}


/** Focuses the editor with the caret just before `text`, as a click would. */
function placeCaret(editor: Editor, text: string): void {
  editor.view.focus()
  editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, textPos(editor, text))))
}

const caretsShown = (editor: Editor) => editor.view.dom.querySelectorAll('.collaboration-carets__caret').length
const nextFrames = () => new Promise((resolve) => setTimeout(resolve, 60))

describe('carets across remote changes (y-tiptap patch)', () => {
  it('another person typing makes this editor send nothing', async () => {
    const [writer, reader] = twoPeople()
    placeCaret(reader.editor, '强化理论武装')
    expect(reader.awareness.getLocalState()?.cursor).toBeTruthy()
    await nextFrames()
    const sentBefore = reader.sent

    for (const char of '今年以来') writer.editor.view.dispatch(writer.editor.state.tr.insertText(char, textPos(writer.editor, '强化政治引领')))
    await nextFrames()

    expect(reader.editor.getText()).toContain('今年以来强化政治引领')
    expect(reader.sent).toBe(sentBefore)
    // Its caret still stands before the same text on both sides.
    const { from } = reader.editor.state.selection
    expect(reader.editor.state.doc.textBetween(from, from + 6)).toBe('强化理论武装')
  })

  it('carets hidden by a local structural change come back without the other person sending anything', async () => {
    const [mover, other] = twoPeople()
    placeCaret(other.editor, '强化理论武装')
    // Carets are drawn on a later frame; under load that frame can come late, so wait for it rather than a fixed time.
    await vi.waitFor(() => expect(caretsShown(mover.editor)).toBe(1), { timeout: 10_000, interval: 20 })
    const sentBefore = other.sent

    // A new paragraph (a block) inserted by the mover: y-tiptap hides remote carets until it can place them again.
    const $at = mover.editor.state.doc.resolve(textPos(mover.editor, '强化政治引领'))
    const paragraph = mover.editor.schema.nodes.paragraph.create(null, mover.editor.schema.text('新增一段。'))
    mover.editor.view.dispatch(mover.editor.state.tr.insert($at.after($at.depth), paragraph))
    expect(caretsShown(mover.editor)).toBe(0)

    await vi.waitFor(() => expect(caretsShown(mover.editor)).toBe(1), { timeout: 10_000, interval: 20 })
    expect(other.sent).toBe(sentBefore)
  })

  it('redrawing carets, moving the selection or drawing decorations writes nothing to Yjs; typing still does', async () => {
    const [writer, reader] = twoPeople()
    const ydoc = (reader.editor.extensionManager.extensions.find((e) => e.name === 'collaboration')!.options as { document: Y.Doc }).document
    let transactions = 0
    ydoc.on('beforeTransaction', () => transactions++)
    placeCaret(reader.editor, '强化理论武装')
    // Another person's caret moves: this editor redraws the carets (a view update of its own).
    placeCaret(writer.editor, '强化政治引领')
    await vi.waitFor(() => expect(caretsShown(reader.editor)).toBe(1), { timeout: 10_000, interval: 20 })
    reader.editor.view.dispatch(reader.editor.state.tr.setMeta('anything', true))
    reader.editor.view.dispatch(reader.editor.state.tr.setSelection(TextSelection.create(reader.editor.state.doc, textPos(reader.editor, '强化政治引领'))))
    expect(transactions).toBe(0)
    // After a remote change, too: the document it made is what Yjs holds.
    writer.editor.view.dispatch(writer.editor.state.tr.insertText('甲', textPos(writer.editor, '强化政治引领')))
    const afterRemote = transactions
    reader.editor.view.dispatch(reader.editor.state.tr.setMeta('anything', true))
    expect(transactions).toBe(afterRemote)
    // A local change is written, once.
    reader.editor.view.dispatch(reader.editor.state.tr.insertText('乙', textPos(reader.editor, '强化理论武装')))
    expect(transactions).toBe(afterRemote + 1)
    expect(writer.editor.getText()).toContain('乙强化理论武装')
  })

  it('a keystroke\'s own caret is worked out after the frame that shows it, once for a frame\'s keystrokes', async () => {
    const [writer, reader] = twoPeople()
    placeCaret(writer.editor, '强化政治引领')
    await nextFrames()
    const cursors: unknown[] = []
    writer.awareness.on('change', () => cursors.push(writer.awareness.getLocalState()?.cursor))
    for (const char of '今年以来') writer.editor.view.dispatch(writer.editor.state.tr.insertText(char))
    // Nothing in the keystrokes' own tasks (upstream worked out and set the caret in each of them).
    expect(cursors).toHaveLength(0)
    await vi.waitFor(() => expect(cursors).toHaveLength(1), { timeout: 10_000, interval: 20 })
    await nextFrames()
    expect(cursors).toHaveLength(1)
    // And it is where the caret is: the other person's editor draws it after the typed text.
    await vi.waitFor(() => expect(caretsShown(reader.editor)).toBe(1), { timeout: 10_000, interval: 20 })
    const caret = reader.editor.view.dom.querySelector('.collaboration-carets__caret')!
    const before = reader.editor.view.posAtDOM(caret, 0)
    expect(reader.editor.state.doc.textBetween(before - 4, before)).toBe('今年以来')
  })
})
