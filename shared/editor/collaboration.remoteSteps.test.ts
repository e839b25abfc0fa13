// @vitest-environment happy-dom
/**
 * patches/@tiptap+y-tiptap+3.0.9.patch, remote-change part. y-tiptap 3.0.9 applied every remote
 * change as a replacement of the whole document and, when the local caret was visible, measured the
 * DOM selection and scrolled to it: on a 50-page report each keystroke of another person made every
 * plugin map its state through a step covering the whole report and forced two layouts. These tests
 * count (never time) what one remote keystroke costs the editor that receives it: one step covering
 * only what changed, a handful of DOM nodes touched. (That it measures no layout and scrolls nothing
 * needs a real browser: e2e/collaboration.spec.ts.)
 */
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { Slice } from '@tiptap/pm/model'
import { TextSelection, type Transaction } from '@tiptap/pm/state'
import { ReplaceStep, canSplit } from '@tiptap/pm/transform'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import fc from 'fast-check'
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
  document.body.innerHTML = ''
})

/** A writer and a reader on relayed replicas of the sample (×copies), both mounted in the DOM. */
function replicas(copies = 1): { writer: Editor; reader: Editor; remote: Transaction[] } {
  const text = Array.from({ length: copies }, () => SAMPLE_TEXT).join('\n')
  const initial = docJSONToUpdate(plainTextToDocJSON(text))
  const docs = [new Y.Doc(), new Y.Doc()]
  for (const doc of docs) Y.applyUpdate(doc, initial)
  docs[0].on('update', (update: Uint8Array, origin: unknown) => origin !== 'relay' && Y.applyUpdate(docs[1], update, 'relay'))
  docs[1].on('update', (update: Uint8Array, origin: unknown) => origin !== 'relay' && Y.applyUpdate(docs[0], update, 'relay'))
  editors = docs.map((document) => {
    const element = window.document.createElement('div')
    window.document.body.append(element)
    return new Editor({ element, extensions: [...documentExtensions(), Collaboration.configure({ document })] })
  })
  const remote: Transaction[] = []
  editors[1].on('transaction', ({ transaction }) => {
    if (transaction.docChanged && ySyncPluginKey.getState(editors[1].state)?.isChangeOrigin) remote.push(transaction)
  })
  return { writer: editors[0], reader: editors[1], remote }
}

/** Every DOM node added, removed or whose text changed under `root` while `act` runs. */
async function domNodesTouched(root: Node, act: () => void): Promise<number> {
  const records: MutationRecord[] = []
  const observer = new MutationObserver((list) => records.push(...list))
  observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true })
  act()
  await new Promise((resolve) => setTimeout(resolve, 0))
  records.push(...observer.takeRecords())
  observer.disconnect()
  return records.reduce((n, r) => n + (r.type === 'childList' ? r.addedNodes.length + r.removedNodes.length : 1), 0)
}

const onlyStep = (tr: Transaction) => {
  expect(tr.steps).toHaveLength(1)
  expect(tr.steps[0]).toBeInstanceOf(ReplaceStep)
  return tr.steps[0] as ReplaceStep & { from: number; to: number; slice: Slice }
}

describe('a remote change costs the receiving editor what it changed, not the document', () => {
  it('a remote keystroke arrives as one step that inserts just that character', () => {
    const { writer, reader, remote } = replicas()
    const at = textPos(reader, '强化政治引领')
    writer.view.dispatch(writer.state.tr.insertText('甲', textPos(writer, '强化政治引领')))
    expect(remote).toHaveLength(1)
    const step = onlyStep(remote[0])
    expect([step.from, step.to]).toEqual([at, at])
    expect(step.slice.content.textBetween(0, step.slice.content.size)).toBe('甲')
    expect(reader.state.doc.toJSON()).toEqual(writer.state.doc.toJSON())
  })

  it('a remote deletion is one step over the deleted characters only', () => {
    const { writer, reader, remote } = replicas()
    const at = textPos(writer, '强化政治引领')
    writer.view.dispatch(writer.state.tr.delete(at, at + 2))
    const step = onlyStep(remote[0])
    expect(step.to - step.from).toBe(2)
    expect(step.slice.size).toBe(0)
    expect(reader.state.doc.textContent).toContain('政治引领')
    expect(reader.state.doc.toJSON()).toEqual(writer.state.doc.toJSON())
  })

  it('a remote paragraph break touches only that paragraph', () => {
    const { writer, reader, remote } = replicas()
    const paragraph = reader.state.doc.resolve(textPos(reader, '在市委的坚强领导下'))
    const at = textPos(writer, '坚强领导下')
    expect(canSplit(writer.state.doc, at)).toBe(true)
    writer.view.dispatch(writer.state.tr.split(at))
    const step = onlyStep(remote[0])
    expect(step.from).toBeGreaterThanOrEqual(paragraph.start())
    expect(step.to).toBeLessThanOrEqual(paragraph.end())
    expect(reader.state.doc.toJSON()).toEqual(writer.state.doc.toJSON())
  })

  it('the DOM nodes a remote keystroke touches do not grow with the document', async () => {
    const touched = async (copies: number) => {
      const { writer, reader } = replicas(copies)
      return domNodesTouched(reader.view.dom, () =>
        writer.view.dispatch(writer.state.tr.insertText('甲', textPos(writer, '强化政治引领'))),
      )
    }
    const small = await touched(1)
    const large = await touched(8)
    expect(small).toBeLessThanOrEqual(4)
    expect(large).toBe(small)
  })

  it('undo after a remote change takes back only one’s own typing', () => {
    const { writer, reader } = replicas()
    const mine = textPos(reader, '强化政治引领')
    const typing = reader.state.tr.insertText('乙', mine)
    reader.view.dispatch(typing.setSelection(TextSelection.create(typing.doc, mine + 1)))
    writer.view.dispatch(writer.state.tr.insertText('甲', textPos(writer, '全面从严治党')))
    expect(reader.state.doc.textContent).toContain('甲全面从严治党')
    expect(reader.commands.undo()).toBe(true)
    expect(reader.state.doc.textContent).not.toContain('乙')
    expect(reader.state.doc.textContent).toContain('甲全面从严治党')
    expect(reader.state.doc.toJSON()).toEqual(writer.state.doc.toJSON())
  })

  it('property: any run of remote edits converges, one step each, never over the whole document', () => {
    const edit = fc.record({ kind: fc.constantFrom('insert', 'delete', 'split'), at: fc.nat(), text: fc.constantFrom('甲', '乙乙', 'ab') })
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
        const { writer, reader, remote } = replicas()
        for (const { kind, at, text } of edits) {
          // A position inside some paragraph's text, chosen by `at`.
          const positions: number[] = []
          writer.state.doc.descendants((node, pos) => {
            if (node.type.name === 'paragraph' && node.content.size > 2) positions.push(pos + 1 + (at % (node.content.size - 1)))
            return !node.isTextblock
          })
          const pos = positions[at % positions.length]
          const tr = writer.state.tr
          if (kind === 'insert') tr.insertText(text, pos)
          else if (kind === 'delete') tr.delete(pos, pos + 1)
          else if (canSplit(tr.doc, pos)) tr.split(pos)
          else tr.insertText(text, pos)
          remote.length = 0
          writer.view.dispatch(tr)
          expect(remote).toHaveLength(1)
          const step = onlyStep(remote[0])
          expect(step.to - step.from).toBeLessThan(reader.state.doc.content.size / 10)
          expect(reader.state.doc.toJSON()).toEqual(writer.state.doc.toJSON())
        }
        editors.forEach((editor) => editor.destroy())
        editors = []
        document.body.innerHTML = ''
      }),
      { numRuns: 25 },
    )
  })
})
