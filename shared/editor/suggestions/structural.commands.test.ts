// @vitest-environment happy-dom
import { Editor } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, TextSelection } from '@tiptap/pm/state'
import { afterAll, describe, expect, it } from 'vitest'
import { documentExtensions } from '../extensions'
import { analyzeReport } from '../lib/analyzeReport'
import { normalizeForReview } from '../lib/normalizeForReview'
import { plainTextToDocJSON } from '../lib/plainText'
import { SAMPLE_TEXT } from '../testing/reportFixtures'
import { SuggestChanges } from './SuggestChanges'

/**
 * "No shortcut may apply locally what the server will refuse": for a reviewer in 建议, every section
 * command, structure shortcut and paste of sections, at every kind of caret place in the sample
 * report, either leaves the document as it was or yields one the server's review guard accepts
 * (the same normal form, shared/editor/lib/normalizeForReview.ts, with this person's suggestions
 * withdrawn).
 */
const REVIEWER = { id: 'u-leader', name: '王局长' }
const editor = new Editor({
  extensions: [...documentExtensions(), SuggestChanges.configure({ author: REVIEWER, mode: 'suggest' })],
  content: plainTextToDocJSON(SAMPLE_TEXT),
})
afterAll(() => editor.destroy())
const original = editor.state.doc

function reset(doc: PMNode, pos: number): void {
  editor.view.updateState(EditorState.create({ doc, plugins: editor.state.plugins, selection: TextSelection.create(doc, pos) }))
}

/** A key press as the view sees it (Mod is Ctrl here). */
function press(name: string): void {
  const keys = name.split('-')
  const key = keys.at(-1)!
  const event = new KeyboardEvent('keydown', {
    key,
    ctrlKey: keys.includes('Mod'),
    altKey: keys.includes('Alt'),
    shiftKey: keys.includes('Shift'),
    bubbles: true,
    cancelable: true,
  })
  editor.view.someProp('handleKeyDown', (handler) => handler(editor.view, event))
}

function paste(text: string, html = ''): void {
  const view = editor.view
  const event = { clipboardData: { getData: (type: string) => (type === 'text/plain' ? text : type === 'text/html' ? html : '') } }
  if (html) view.pasteHTML(html, event as unknown as ClipboardEvent)
  else if (!view.someProp('handlePaste', (handler) => handler(view, event as unknown as ClipboardEvent, view.state.doc.slice(0, 0)))) view.pasteText(text)
}

const copiedSection = (() => {
  const section = analyzeReport(original).sections[0]
  const { dom } = editor.view.serializeForClipboard(original.slice(section.pos, section.end))
  return dom.innerHTML
})()

const ACTIONS: Record<string, () => void> = {
  insertSectionAfter: () => editor.commands.insertSectionAfter(),
  insertSubsection: () => editor.commands.insertSubsection(),
  promoteSection: () => editor.commands.promoteSection(),
  demoteSection: () => editor.commands.demoteSection(),
  moveSectionUp: () => editor.commands.moveSectionUp(),
  moveSectionDown: () => editor.commands.moveSectionDown(),
  'setSectionRunIn(true)': () => editor.commands.setSectionRunIn(true),
  'setSectionRunIn(false)': () => editor.commands.setSectionRunIn(false),
  ...Object.fromEntries(
    ['Mod-Enter', 'Mod-Shift-Enter', 'Tab', 'Shift-Tab', 'Alt-Shift-ArrowUp', 'Alt-Shift-ArrowDown', 'Enter', 'Backspace', 'Delete', 'Mod-b', 'Mod-i', 'Mod-u'].map(
      (key) => [key, () => press(key)],
    ),
  ),
  'paste sections (text)': () => paste('五、新的部分\n（一）新的小节。正文共*项\n六、再一部分'),
  'paste a copied section': () => paste('', copiedSection),
  'paste paragraphs (text)': () => paste('第一段文字。\n第二段文字，共*次。'),
}

/** Caret places: each section title's start and end, its first paragraph's start, middle and end, the preamble. */
function places(doc: PMNode): number[] {
  const found: number[] = []
  for (const section of analyzeReport(doc).sections) {
    const node = doc.nodeAt(section.pos)!
    const title = node.child(0)
    found.push(section.pos + 2, section.pos + 2 + title.content.size)
    if (node.childCount > 1 && node.child(1).isTextblock) {
      const body = section.pos + 1 + title.nodeSize
      const size = node.child(1).content.size
      found.push(body + 1, body + 1 + Math.floor(size / 2), body + 1 + size)
    }
  }
  found.push(3 + doc.child(0).nodeSize)
  return found
}

const guardKey = (doc: PMNode) => normalizeForReview(doc, REVIEWER.id)

describe('a reviewer in 建议: every structure command and shortcut suggests or does nothing', () => {
  it('never produces a document the review guard refuses', { timeout: 120_000 }, () => {
    const before = guardKey(original)
    const changed = new Map<string, number>()
    const refused: string[] = []
    for (const [name, action] of Object.entries(ACTIONS)) {
      for (const pos of places(original)) {
        reset(original, pos)
        action()
        const after = editor.state.doc
        if (after.eq(original)) continue
        after.check()
        changed.set(name, (changed.get(name) ?? 0) + 1)
        if (!guardKey(after).eq(before)) refused.push(`${name} at ${pos} (${original.resolve(pos).parent.textContent.slice(0, 12)})`)
      }
    }
    expect(refused).toEqual([])
    // Not vacuous: each structure command makes suggestions somewhere.
    for (const name of ['insertSectionAfter', 'insertSubsection', 'promoteSection', 'demoteSection', 'moveSectionUp', 'moveSectionDown', 'Mod-Enter', 'Tab', 'Shift-Tab', 'Alt-Shift-ArrowUp', 'Enter', 'paste sections (text)']) {
      expect(changed.get(name) ?? 0, name).toBeGreaterThan(0)
    }
  })

  it('a structure command makes a suggestion in words, with the reviewer’s name', () => {
    const section = analyzeReport(original).sections[1]
    reset(original, section.pos + 2)
    press('Mod-Enter')
    reset(editor.state.doc, section.pos + 2)
    press('Shift-Tab')
    press('Alt-Shift-ArrowDown')
    expect(analyzeReport(editor.state.doc).suggestions.map((s) => [s.type, s.change, s.authorName])).toEqual([
      ['structure', '升为一级', '王局长'],
      ['structure', '下移章节', '王局长'],
      ['structure', '新增章节', '王局长'],
    ])
    // Nothing moved yet: the outline reads as before, plus the new (suggested) section.
    expect(analyzeReport(editor.state.doc).sections.length).toBe(analyzeReport(original).sections.length + 1)
    expect(analyzeReport(editor.state.doc).sections[1].label).toBe(analyzeReport(original).sections[1].label)
  })
})
