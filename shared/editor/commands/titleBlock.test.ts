// @vitest-environment happy-dom
import { Editor } from '@tiptap/core'
import { splitBlock } from '@tiptap/pm/commands'
import { afterEach, describe, expect, it } from 'vitest'
import { documentExtensions } from '../extensions'
import { analyzeReport } from '../lib/analyzeReport'
import { plainTextToDocJSON } from '../lib/plainText'
import { docFromText, run, stateAt } from '../testing/reportFixtures'
import { toggleAuthorLine, toggleSignature } from './titleBlock'

const TEXT = '2022年度述职报告\n一、工作回顾\n一年来，我局坚持以人民为中心。'
const today = () => new Date(2023, 0, 5)
const types = (doc: { forEach: (f: (node: { type: { name: string } }) => void) => void }) => {
  const names: string[] = []
  doc.forEach((node) => names.push(node.type.name))
  return names
}

describe('署名 and 落款 commands', () => {
  it('adds the 署名 under the title with the caret in it, and removes it again', () => {
    const doc = docFromText(TEXT)
    const added = run(stateAt(doc, 3), toggleAuthorLine)
    expect(types(added.state.doc)).toEqual(['reportTitle', 'reportAuthor', 'section'])
    expect(added.state.selection.$from.parent.type.name).toBe('reportAuthor')
    const removed = run(added.state, toggleAuthorLine)
    expect(removed.state.doc.eq(doc)).toBe(true)
  })

  it('adds the 落款 at the end with today in the standard form, caret in the unit; the numbering is untouched', () => {
    const doc = docFromText(TEXT)
    const added = run(stateAt(doc, 3), toggleSignature(today))
    expect(types(added.state.doc)).toEqual(['reportTitle', 'section', 'reportSignature'])
    expect(added.state.doc.lastChild?.lastChild?.textContent).toBe('2023年1月5日')
    expect(added.state.selection.$from.parent.type.name).toBe('signatureUnit')
    expect(analyzeReport(added.state.doc).sections.map((section) => section.label)).toEqual(['一、工作回顾'])
    expect(run(added.state, toggleSignature(today)).state.doc.eq(doc)).toBe(true)
  })

  it('Enter at the end of the title still makes a body paragraph, not a 署名', () => {
    const doc = docFromText(TEXT)
    const end = doc.firstChild!.nodeSize - 1
    const split = run(stateAt(doc, end), splitBlock)
    expect(types(split.state.doc)).toEqual(['reportTitle', 'paragraph', 'section'])
  })

  it('a masked date in the 落款 is an unfilled figure like any other', () => {
    const doc = docFromText(`${TEXT}\n**市**局\n2023年*月*日`)
    expect(types(doc)).toEqual(['reportTitle', 'section', 'reportSignature'])
    expect(analyzeReport(doc).unfilled.map((placeholder) => placeholder.text)).toEqual(['**', '**', '*月*日'])
  })
})

describe('in the editor (Tiptap commands)', () => {
  let editor: Editor | undefined
  afterEach(() => editor?.destroy())

  it('toggleAuthorLine and toggleSignature are typed commands of the schema', () => {
    editor = new Editor({ extensions: documentExtensions(), content: plainTextToDocJSON(TEXT) })
    expect(editor.commands.toggleAuthorLine()).toBe(true)
    editor.commands.insertContent('青山市财政局')
    expect(editor.commands.toggleSignature()).toBe(true)
    editor.commands.insertContent('青山市财政局')
    const doc = editor.state.doc
    expect([doc.child(1).type.name, doc.child(1).textContent]).toEqual(['reportAuthor', '青山市财政局'])
    const signature = doc.lastChild!
    expect([signature.child(0).type.name, signature.child(0).textContent]).toEqual(['signatureUnit', '青山市财政局'])
    expect(signature.child(1).textContent).toMatch(/^\d{4}年[1-9]\d?月[1-9]\d?日$/u)
  })
})

describe('sections keep clear of the title block and the 落款', () => {
  it('moving the first section up or the last one down past them is refused, not an error', async () => {
    const { moveSection } = await import('./sections')
    const doc = docFromText(`2022年度述职报告\n青山市财政局\n一、工作回顾\n一年来，我局坚持以人民为中心。\n青山市财政局\n2023年1月15日`)
    expect(types(doc)).toEqual(['reportTitle', 'reportAuthor', 'section', 'reportSignature'])
    const inSection = doc.child(0).nodeSize + doc.child(1).nodeSize + 3
    expect(run(stateAt(doc, inSection), moveSection(-1)).ok).toBe(false)
    expect(run(stateAt(doc, inSection), moveSection(1)).ok).toBe(false)
  })
})
