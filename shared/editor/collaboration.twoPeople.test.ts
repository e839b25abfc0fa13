// @vitest-environment happy-dom
/**
 * A reviewer (建议) and a drafter (编辑) on the same report through Yjs (testing/collabPair.ts), in
 * the cases the keystroke properties found. Each test fails without its fix:
 * - y-tiptap's alignChange patch (the character typed is the one stored as typed);
 * - y-tiptap's recoverSelectionEndpoint patch (a remote deletion of the caret's text);
 * - suggestTransaction's no-op check (Delete in an empty title).
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import { TextSelection } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CONTENT_FRAGMENT, yDocToNode } from './lib/ydoc'
import { schema } from './schema'
import { canonical, collabPair } from './testing/collabPair'
import { play, press, reviewerForm, type } from './testing/keystrokes'
import { mountedEditors } from './testing/mountedEditors'
import { sampleDoc } from './testing/reportFixtures'

const editors = mountedEditors()

const report = (title: string, ...paragraphs: string[]): PMNode =>
  schema.nodeFromJSON({
    type: 'doc',
    content: [
      { type: 'reportTitle', content: title ? [{ type: 'text', text: title }] : [] },
      ...paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
    ],
  })

/** The title's characters in Yjs, each with the client that typed it and whether it carries a suggested insertion. */
function titleCharacters(ydoc: Y.Doc): Array<{ char: string; client: number; suggested: boolean }> {
  const title = ydoc.getXmlFragment(CONTENT_FRAGMENT).get(0) as Y.XmlElement
  const text = title.get(0) as Y.XmlText
  const out: Array<{ char: string; client: number; suggested: boolean }> = []
  const attributes = new Map<string, unknown>()
  for (let item = text._start; item; item = item.right) {
    if (item.deleted) continue
    if (item.content instanceof Y.ContentFormat) attributes.set(item.content.key, item.content.value)
    else if (item.content instanceof Y.ContentString) for (const char of item.content.str) out.push({ char, client: item.id.client, suggested: attributes.get('insertion') != null })
  }
  return out
}

const caretAt = (editor: import('@tiptap/core').Editor, pos: number) => editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, pos)))

describe('a reviewer and a drafter on one report', () => {
  it('the character a reviewer types before the same character is the one stored as suggested', () => {
    const pair = collabPair(editors, report('加强工作报告', '正文。'), [300, 100])
    try {
      const [reviewer] = pair.people
      caretAt(reviewer, 1)
      type(reviewer, '加')
      const chars = titleCharacters(pair.docs[0])
      expect(chars.map((each) => each.char).join('')).toBe('加加强工作报告')
      // Only the reviewer's own character carries the suggestion; the title's first 加 stays as it was.
      expect(chars.filter((each) => each.suggested)).toEqual([{ char: '加', client: 300, suggested: true }])
      // Backspace (the browser deletes in the text, ProseMirror reads that as this deletion) withdraws
      // the reviewer's own character, not the original one next to it.
      reviewer.view.dispatch(reviewer.state.tr.delete(1, 2))
      expect(reviewer.state.doc.firstChild!.textContent).toBe('加强工作报告')
      expect(titleCharacters(pair.docs[0]).every((each) => each.client !== 300)).toBe(true)
    } finally {
      pair.destroy()
    }
  })

  it('both type the same character at the same spot: the drafter’s stays the drafter’s, and the reviewer’s Enter is taken', () => {
    // Client ids as in the failing case: Yjs orders the two insertions by them.
    const pair = collabPair(editors, report('加强工作报告', '正文。'), [300, 100])
    try {
      const [reviewer, drafter] = pair.people
      caretAt(drafter, 1)
      type(drafter, '加')
      caretAt(reviewer, 1)
      type(reviewer, '加')
      pair.deliver(1)
      press(reviewer, 'Enter')
      pair.settle()
      expect(pair.refused).toEqual([])
      // Withdrawing the reviewer's suggestions leaves the drafter's character.
      expect(reviewerForm(yDocToNode(pair.server)).firstChild!.textContent).toBe('加加强工作报告')
      const final = canonical(yDocToNode(pair.server))
      for (const person of pair.people) expect(canonical(person.state.doc)).toBe(final)
    } finally {
      pair.destroy()
    }
  })

  it('the drafter deletes everything while the reviewer’s selection is in the title: the reviewer’s editor follows', () => {
    const pair = collabPair(editors, sampleDoc(), [100, 200])
    try {
      const [reviewer, drafter] = pair.people
      play(reviewer, { kind: 'selectNearStart', anchor: 0, head: 3 })
      press(reviewer, 'Mod-i')
      play(drafter, { kind: 'selectBack' })
      press(drafter, 'Mod-Delete')
      pair.deliver(0)
      // Receiving the drafter's deletion threw RangeError in y-tiptap's selection restore.
      expect(() => pair.settle()).not.toThrow()
      expect(pair.refused).toEqual([])
      const final = canonical(yDocToNode(pair.server))
      for (const person of pair.people) expect(canonical(person.state.doc)).toBe(final)
    } finally {
      pair.destroy()
    }
  })

  it.each(['Delete', 'Mod-Delete'])('%s in a title the drafter left empty changes nothing and throws nothing', (key) => {
    const pair = collabPair(editors, report('工作报告', '正文。'))
    try {
      const [reviewer, drafter] = pair.people
      caretAt(drafter, 1)
      press(drafter, 'Enter')
      pair.settle()
      const before = reviewer.state.doc
      expect(before.firstChild!.textContent).toBe('')
      caretAt(reviewer, 1)
      const refusals: unknown[] = []
      reviewer.on('suggestionRefused', (event) => refusals.push(event))
      expect(() => press(reviewer, key)).not.toThrow()
      expect(reviewer.state.doc.eq(before)).toBe(true)
      expect(refusals).toEqual([])
      pair.settle()
      expect(pair.refused).toEqual([])
    } finally {
      pair.destroy()
    }
  })
})
