// @vitest-environment happy-dom
/**
 * A reviewer (建议) and a drafter (编辑) on the same report through Yjs (testing/collabPair.ts), in
 * the cases the keystroke properties found. Each test fails without its fix:
 * - y-tiptap's alignChange patch (the character typed is the one stored as typed);
 * - y-tiptap's recoverSelectionEndpoint patch (a remote deletion of the caret's text);
 * - suggestTransaction's no-op check (Delete in an empty title);
 * - stampAuthor's restoreOthersSuggestions (two reviewers: another's suggestion stays theirs).
 */
import type { Editor } from '@tiptap/core'
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

const caretAt = (editor: Editor, pos: number) => editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, pos)))

describe('a reviewer and a drafter on one report', () => {
  it('the character a reviewer types before the same character is the one stored as suggested', () => {
    const pair = collabPair(editors, report('加强工作报告', '正文。'), { clientIds: [300, 100] })
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
    const pair = collabPair(editors, report('加强工作报告', '正文。'), { clientIds: [300, 100] })
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
    const pair = collabPair(editors, sampleDoc(), { clientIds: [100, 200] })
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

  describe('two reviewers', () => {
    const LI = { id: 'u-li', name: '李处长' }
    const second = { author: LI, mode: 'suggest' as const }
    /** Each suggested stretch of the title: its text and whose suggestion it is. */
    const titleSuggestions = (doc: PMNode) => {
      const out: string[] = []
      doc.firstChild!.forEach((node) => {
        for (const mark of node.marks) if (mark.type.name === 'insertion' || mark.type.name === 'deletion') out.push(`${mark.type.name}:${String(mark.attrs.authorName)}:${node.text}`)
      })
      return out
    }

    /** 王局长 and 李处长 on a small report; every update of both must pass the server's check. */
    function twoReviewers(play: (pair: ReturnType<typeof collabPair>, typeAt: (editor: Editor, from: number, to: number, text: string) => void) => void): PMNode {
      const pair = collabPair(editors, report('工作报告', '正文。'), { second })
      try {
        play(pair, (editor, from, to, text) => {
          editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, from, to)))
          type(editor, text)
          pair.settle()
        })
        expect(pair.refused).toEqual([])
        return yDocToNode(pair.server)
      } finally {
        pair.destroy()
      }
    }

    it('王局长 typing right before 李处长’s suggestion leaves it 李处长’s', () => {
      const result = twoReviewers(({ people: [wang, li] }, typeAt) => {
        typeAt(li, 1, 1, '加')
        // Twice at the title's start: the second keystroke sits between his own suggestion and hers.
        typeAt(wang, 1, 1, '强')
        typeAt(wang, 2, 2, '化')
      })
      expect(titleSuggestions(result)).toEqual(['insertion:王局长:强化', 'insertion:李处长:加'])
    })

    it('李处长 typing over text 王局长 suggested deleting leaves his deletion, and her text is hers', () => {
      const result = twoReviewers((pair, typeAt) => {
        const [wang, li] = pair.people
        wang.view.dispatch(wang.state.tr.setSelection(TextSelection.create(wang.state.doc, 1, 5)))
        press(wang, 'Mod-b')
        pair.settle()
        typeAt(li, 1, 2, '加')
      })
      const suggestions = titleSuggestions(result)
      expect(suggestions).toContain('deletion:王局长:工作报告')
      expect(suggestions).toContain('insertion:李处长:加')
      expect(suggestions.filter((each) => each.startsWith('deletion:李处长'))).toEqual([])
    })

    it('王局长 typing inside 李处长’s suggestion makes a suggestion of his own there', () => {
      const result = twoReviewers(({ people: [wang, li] }, typeAt) => {
        typeAt(li, 1, 1, '加强')
        typeAt(wang, 2, 2, '快')
      })
      expect(titleSuggestions(result)).toEqual(['insertion:李处长:加', 'insertion:王局长:快', 'insertion:李处长:强'])
    })
  })
})

describe('comparing two people’s reports (testing/collabPair.ts canonical)', () => {
  // Seed 39775903 of keystrokes.collab's long run: 王局长 anchored 批注 t0 on everything, 张明 pasted 「补充」
  // at the start, 王局长 anchored t1 and then t0 again on everything. His editor held 「补充」 with t1, t0
  // next to the title with t0, t1: the same marks in another order, so ProseMirror kept two text nodes
  // where the report read back from Yjs has one. Nothing a person sees differs.
  it('text with the same marks in another order compares equal to the same text joined', () => {
    const t0 = schema.marks.comment.create({ threadId: 't0' })
    const t1 = schema.marks.comment.create({ threadId: 't1' })
    const split = schema.node('doc', null, [schema.node('reportTitle', null, [schema.text('补充', [t1, t0]), schema.text('标题', [t0, t1])])])
    expect(split.firstChild!.childCount).toBe(2)
    const joined = schema.node('doc', null, [schema.node('reportTitle', null, [schema.text('补充标题', [t0, t1])])])
    expect(canonical(split)).toBe(canonical(joined))
    // Different marks stay different.
    expect(canonical(schema.node('doc', null, [schema.node('reportTitle', null, [schema.text('补充', [t1]), schema.text('标题', [t0, t1])])]))).not.toBe(canonical(joined))
  })
})
