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
import { projectStructure, readStructural } from '../../shared/editor/suggestions/structural'
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

describe('a drafter’s structure command that reaches outside his sections under 按分工编辑', () => {
  let pair: CollabPair
  let zhang: Editor
  let refusals: string[]
  let events: string[]
  beforeEach(() => {
    const guard = new ReviewGuard()
    const document = new CollabDocument('by-assignment')
    setOption(document.ydoc, 'byAssignment', true)
    const people = [
      { id: REVIEWER.id, role: 'reviewer' as const },
      { id: DRAFTER.id, role: 'drafter' as const },
    ]
    refusals = []
    const allows = (side: Side, update: Uint8Array) => {
      const verdict = allowsUpdate(guard, document, update, side, people[side].id, people[side].role)
      if (verdict !== true) refusals.push(verdict)
      return verdict === true
    }
    // 一 is 张明's (起草中), 二 his but 定稿, 三 nobody's.
    pair = collabPair(editors, withAssignments(sampleDoc(), DRAFTER), { second: { author: DRAFTER, mode: 'edit', byAssignment: true }, server: document.ydoc, allows })
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
