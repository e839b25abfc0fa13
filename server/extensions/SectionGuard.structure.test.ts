// @vitest-environment happy-dom
/**
 * 按分工编辑: structure commands a drafter starts inside his own section whose result reaches outside
 * it. The caret is in his section, so his editor is in 编辑; but moving the section past a 定稿 one,
 * adding a section after it, or dissolving it into the paragraph before changes what is not his, and
 * the server (allowsUpdate, run here on every update) refused each as a direct edit: a reload and the
 * change lost (found by keystrokes.collab's property, seed 534265989). Now the first two become
 * structural suggestions and the third does nothing; each says so.
 */
import type { Editor } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setOption } from '../../shared/sections/options'
import { DRAFTER, collabPair, withAssignments, type CollabPair, type Side } from '../../shared/editor/testing/collabPair'
import { REVIEWER } from '../../shared/editor/testing/keystrokes'
import { mountedEditors } from '../../shared/editor/testing/mountedEditors'
import { sampleDoc } from '../../shared/editor/testing/reportFixtures'
import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import { byId, reviewedDoc } from '../../shared/editor/suggestions/review'
import { projectStructure, readStructural, reviewStructural } from '../../shared/editor/suggestions/structural'
import { keepsOthersParts, mayDecide } from '../../shared/sections/directEdit'
import { Transform } from '@tiptap/pm/transform'
import { CollabDocument } from '../collab/CollabDocument'
import { ReviewGuard } from './ReviewGuard'
import { allowsUpdate } from './SectionGuard'

const editors = mountedEditors()

/** Top-level section titles, in order. */
const titles = (doc: PMNode) => {
  const out: string[] = []
  doc.forEach((node) => node.type.name === 'section' && out.push(node.firstChild!.textContent))
  return out
}

/**
 * 王局长 (建议) and 张明 (编辑, 按分工编辑) on the sample, 一 his (起草中), 二 his but 定稿, 三 nobody's, 四
 * his; the server's allowsUpdate runs on every update, and what it refuses is listed (by side).
 */
function guardedPair(): { pair: CollabPair; refusals: Array<{ side: Side; why: string }> } {
  const guard = new ReviewGuard()
  const document = new CollabDocument('by-assignment')
  setOption(document.ydoc, 'byAssignment', true)
  const people = [
    { id: REVIEWER.id, role: 'reviewer' as const },
    { id: DRAFTER.id, role: 'drafter' as const },
  ]
  const refusals: Array<{ side: Side; why: string }> = []
  const allows = (side: Side, update: Uint8Array) => {
    const verdict = allowsUpdate(guard, document, update, side, people[side].id, people[side].role)
    if (verdict !== true) refusals.push({ side, why: verdict })
    return verdict === true
  }
  const pair = collabPair(editors, withAssignments(sampleDoc(), DRAFTER), { second: { author: DRAFTER, mode: 'edit', byAssignment: true }, server: document.ydoc, allows })
  return { pair, refusals }
}

describe('a drafter’s structure command that reaches outside his sections under 按分工编辑', () => {
  let pair: CollabPair
  let zhang: Editor
  let refusals: Array<{ side: Side; why: string }>
  let events: string[]
  beforeEach(() => {
    ;({ pair, refusals } = guardedPair())
    zhang = pair.people[1]
    events = []
    zhang.on('structureSuggested', () => events.push('suggested'))
    zhang.on('suggestionRefused', ({ reason }) => events.push(`refused:${reason}`))
    // The caret in 一's title: his section, so 编辑.
    let title = -1
    zhang.state.doc.forEach((node, offset) => void (title < 0 && node.type.name === 'section' && (title = offset + 2)))
    zhang.commands.setTextSelection(title)
    expect(zhang.storage.suggestChanges.mode).toBe('edit')
  })
  afterEach(() => pair.destroy())

  it('moving 一 below the 定稿 二 is a suggestion to move it: the report reads as before until it is accepted', () => {
    const before = titles(zhang.state.doc)
    expect(zhang.commands.moveSectionDown()).toBe(true)
    pair.settle()
    expect(refusals).toEqual([])
    expect(pair.refused).toEqual([])
    expect(events).toEqual(['suggested'])
    expect(titles(zhang.state.doc)).toEqual(before)
    expect(readStructural(zhang.state.doc.child(2)).map((s) => [s.op, s.authorId])).toEqual([['moveDown', DRAFTER.id]])
    // Accepted, 二 would come first.
    expect(titles(projectStructure(zhang.state.doc)).slice(0, 2)).toEqual([before[1], before[0]])
  })

  it('his suggested move is not his to accept, but he can take it back (撤回), and the server takes that', () => {
    zhang.commands.moveSectionDown()
    pair.settle()
    const [move] = analyzeReport(zhang.state.doc).suggestions
    expect(mayDecide(zhang.state.doc, move, DRAFTER.id)).toBe(false)
    zhang.commands.rejectSuggestion(move.id)
    pair.settle()
    expect(refusals).toEqual([])
    expect(analyzeReport(zhang.state.doc).suggestions).toEqual([])
  })

  it('a new section after 一 (Ctrl+Enter in its title) is a suggested new section', () => {
    const count = titles(zhang.state.doc).length
    expect(zhang.commands.insertSectionAfter()).toBe(true)
    pair.settle()
    expect(refusals).toEqual([])
    expect(events).toEqual(['suggested'])
    const doc = zhang.state.doc
    expect(titles(doc)).toHaveLength(count + 1)
    expect(readStructural(doc.child(3)).map((s) => s.op)).toEqual(['insert'])
    // The caret is in the new section, which is not his: what he types there is a suggestion too.
    expect(zhang.storage.suggestChanges.mode).toBe('suggest')
  })

  it('Backspace at the start of 一’s title does nothing, and says why', () => {
    const before = zhang.state.doc
    zhang.view.dom.dispatchEvent(new KeyboardEvent('keydown', { key: 'Backspace', bubbles: true }))
    pair.settle()
    expect(refusals).toEqual([])
    expect(events).toEqual(['refused:dissolve'])
    expect(zhang.state.doc.eq(before)).toBe(true)
  })

  it('within his own section the commands stay direct: a new sub-section of 一', () => {
    expect(zhang.commands.insertSubsection()).toBe(true)
    pair.settle()
    expect(refusals).toEqual([])
    expect(events).toEqual([])
    expect(readStructural(zhang.state.doc.child(2))).toEqual([])
    expect(zhang.state.doc.child(2).lastChild!.type.name).toBe('section')
    expect(readStructural(zhang.state.doc.child(2).lastChild!)).toEqual([])
  })
})

describe('which suggestions a drafter may decide under 按分工编辑 (mayDecide), against the server', () => {
  it('王局长 suggests in every section; 张明 may decide those in 一 and 四 only, and the server agrees', () => {
    const { pair, refusals } = guardedPair()
    try {
      const [leader, zhang] = pair.people
      // Top-level children: title, opening paragraph, 一 (his), 二 (his, 定稿), 三 (nobody's), 四 (his).
      const titleOf = (index: number) => {
        let at = -1
        leader.state.doc.forEach((_node, offset, i) => void (i === index && (at = offset + 2)))
        return at
      }
      for (const index of [1, 2, 3, 4, 5]) {
        leader.commands.setTextSelection(titleOf(index) + (index === 1 ? -1 : 1))
        leader.commands.insertContent(`议${index}`)
      }
      leader.commands.setTextSelection(titleOf(4))
      leader.commands.moveSectionUp()
      leader.commands.setTextSelection(titleOf(2))
      leader.commands.insertSubsection()
      leader.commands.setTextSelection(titleOf(5))
      leader.commands.insertSectionAfter()
      pair.settle()
      expect(refusals).toEqual([])
      const doc = zhang.state.doc
      const suggestions = analyzeReport(doc).suggestions
      expect(suggestions).toHaveLength(8)
      // The quick rule (where a text suggestion lies) agrees with trying each one both ways.
      const exact = (id: string, type: string) =>
        [true, false].every((accept) => {
          if (type !== 'structure') return keepsOthersParts(doc, reviewedDoc(doc, accept, byId(id)), DRAFTER.id)
          const tr = new Transform(doc)
          reviewStructural(tr, accept, (each) => each.id === id)
          return keepsOthersParts(doc, tr.doc, DRAFTER.id)
        })
      const decidable = suggestions.filter((suggestion) => mayDecide(doc, suggestion, DRAFTER.id))
      for (const suggestion of suggestions) expect(mayDecide(doc, suggestion, DRAFTER.id)).toBe(exact(suggestion.id, suggestion.type))
      // In 一 and 四 (text), and the new sub-section of 一; not the opening paragraph, 二, 三, the move of 三 or a new top-level section.
      expect(decidable.map((suggestion) => suggestion.inserted || suggestion.change)).toEqual(['议2', '新增章节', '议5'])
      // 张明 accepts what he may: the server takes it.
      zhang.commands.acceptSuggestions(decidable.map((suggestion) => suggestion.id))
      pair.settle()
      expect(refusals).toEqual([])
      expect(analyzeReport(zhang.state.doc).suggestions).toHaveLength(5)
      // Deciding one he may not is what the server refuses (what the review pane no longer offers).
      zhang.commands.acceptSuggestion(suggestions.find((suggestion) => suggestion.inserted === '议4')!.id)
      pair.settle()
      expect(refusals.map((refusal) => refusal.side)).toEqual([1])
    } finally {
      pair.destroy()
    }
  })
})
