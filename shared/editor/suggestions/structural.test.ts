import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, type Command } from '@tiptap/pm/state'
import { Transform } from '@tiptap/pm/transform'
import { describe, expect, it } from 'vitest'
import { demoteSection, insertSectionAfter, insertSubsection, moveSection, promoteSection, setSectionRunIn } from '../commands/sections'
import { analyzeReport } from '../lib/analyzeReport'
import { caretInTitle, findSection, outline, run, sampleDoc } from '../testing/reportFixtures'
import {
  projectStructure,
  readStructural,
  reviewStructural,
  structuralSuggestions,
  suggestSectionChange,
  suggestSectionInsert,
  withdrawStructural,
  type StructuralFilter,
} from './structural'

const LEADER = { id: 'u-leader', name: '王局长' }
const OTHER = { id: 'u-other', name: '李副局长' }
const ONE = '一、强化政治引领，贯彻中央部署'
const TWO = '二、强化理论武装，提升政治素养'
const doc = sampleDoc()

const reviewed = (d: PMNode, accept: boolean, filter: StructuralFilter = () => true): PMNode => {
  const tr = new Transform(d)
  reviewStructural(tr, accept, filter)
  return tr.doc
}
const at = (d: PMNode, label: string, parent?: string, offset = 0): EditorState => caretInTitle(d, findSection(d, label, parent), offset)

describe('structural suggestions', () => {
  it('records a move without making it: same outline, the change listed in words with author; accept = 编辑, reject = original', () => {
    const suggested = run(at(doc, TWO), suggestSectionChange('moveUp', LEADER))
    expect(suggested.ok).toBe(true)
    expect(outline(suggested.state.doc)).toEqual(outline(doc))
    const [listed] = analyzeReport(suggested.state.doc).suggestions
    expect(listed).toMatchObject({ type: 'structure', change: '上移章节', authorId: LEADER.id, authorName: '王局长', sectionPath: [TWO] })
    expect(listed.createdAt).toMatch(/^\d{4}-/)
    const edited = run(at(doc, TWO), moveSection(-1)).state.doc
    expect(reviewed(suggested.state.doc, true).eq(edited)).toBe(true)
    expect(reviewed(suggested.state.doc, false).eq(doc)).toBe(true)
  })

  it('says what promote and demote lead to (升为一级, 降为三级) and applies them on accept', () => {
    const promoted = run(at(doc, '（二）完成重大政治任务', ONE), suggestSectionChange('promote', LEADER)).state.doc
    expect(analyzeReport(promoted).suggestions.map((s) => s.change)).toEqual(['升为一级'])
    expect(reviewed(promoted, true).eq(run(at(doc, '（二）完成重大政治任务', ONE), promoteSection).state.doc)).toBe(true)
    const demoted = run(at(doc, '（二）完成重大政治任务', ONE), suggestSectionChange('demote', LEADER)).state.doc
    expect(analyzeReport(demoted).suggestions.map((s) => s.change)).toEqual(['降为三级'])
    expect(reviewed(demoted, true).eq(run(at(doc, '（二）完成重大政治任务', ONE), demoteSection).state.doc)).toBe(true)
  })

  it('does nothing where the command would change nothing (the first section up, a level-1 promote)', () => {
    expect(run(at(doc, '（一）落实党建政治责任', ONE), suggestSectionChange('moveUp', LEADER)).ok).toBe(false)
    expect(run(at(doc, ONE), suggestSectionChange('promote', LEADER)).ok).toBe(false)
    expect(run(at(doc, ONE), suggestSectionChange('runIn', LEADER)).ok).toBe(false)
  })

  it('follows pending moves: after 二 up is suggested, 一 (now second) can go up, as in 编辑', () => {
    const first = run(at(doc, TWO), suggestSectionChange('moveUp', LEADER)).state.doc
    const second = run(at(first, ONE), suggestSectionChange('moveUp', LEADER))
    expect(second.ok).toBe(true)
    const edited = run(at(run(at(doc, TWO), moveSection(-1)).state.doc, ONE.replace('一', '二')), moveSection(-1)).state.doc
    expect(reviewed(second.state.doc, true).eq(edited)).toBe(true)
    expect(edited.eq(doc)).toBe(true)
    expect(reviewed(second.state.doc, false).eq(doc)).toBe(true)
  })

  it('a move that undoes one’s own pending move withdraws it; someone else’s stays', () => {
    const up = run(at(doc, TWO), suggestSectionChange('moveUp', LEADER)).state.doc
    const back = run(at(up, TWO), suggestSectionChange('moveDown', LEADER)).state.doc
    expect(structuralSuggestions(back)).toEqual([])
    expect(back.eq(doc)).toBe(true)
    const byOther = run(at(up, TWO), suggestSectionChange('moveDown', OTHER)).state.doc
    expect(structuralSuggestions(byOther).map((entry) => entry.suggestion.op)).toEqual(['moveUp', 'moveDown'])
  })

  it('inserts a new section at once, marked as suggested; reject removes it, accept equals 编辑', () => {
    const suggested = run(at(doc, '（一）落实党建政治责任', ONE), suggestSectionInsert(insertSectionAfter, LEADER))
    expect(suggested.ok).toBe(true)
    const edited = run(at(doc, '（一）落实党建政治责任', ONE), insertSectionAfter).state.doc
    expect(outline(suggested.state.doc)).toEqual(outline(edited))
    expect(analyzeReport(suggested.state.doc).suggestions).toEqual([expect.objectContaining({ type: 'structure', change: '新增章节', sectionPath: [ONE, '（二）'] })])
    expect(reviewed(suggested.state.doc, true).eq(edited)).toBe(true)
    expect(reviewed(suggested.state.doc, false).eq(doc)).toBe(true)
    // The caret is in the new title, ready for it to be typed.
    expect(suggested.state.selection.$from.parent.type.name).toBe('sectionTitle')
    expect(suggested.state.selection.$from.parent.content.size).toBe(0)
  })

  it('refuses a new section where it would land elsewhere once the pending moves are accepted', () => {
    const moved = run(at(doc, TWO), suggestSectionChange('moveUp', LEADER)).state.doc
    // 编辑 after the move puts the new section right after 二 (now first): in the document as it is, it cannot go there.
    expect(run(at(moved, TWO), suggestSectionInsert(insertSectionAfter, LEADER)).ok).toBe(false)
    // A sub-section at the end of 二 lands in the same place either way.
    const sub = run(at(moved, TWO), suggestSectionInsert(insertSubsection, LEADER))
    expect(sub.ok).toBe(true)
    const edited = run(at(run(at(doc, TWO), moveSection(-1)).state.doc, '一、强化理论武装，提升政治素养'), insertSubsection).state.doc
    expect(reviewed(sub.state.doc, true).eq(edited)).toBe(true)
  })

  it('run-in: recorded, and accepted as the command sets it', () => {
    const target = '（一）落实党建政治责任'
    const runIn = Boolean(doc.nodeAt(findSection(doc, target, ONE).pos)!.attrs.runIn)
    const suggested = run(at(doc, target, ONE), suggestSectionChange(runIn ? 'runOut' : 'runIn', LEADER)).state.doc
    expect(analyzeReport(suggested).suggestions.map((s) => s.change)).toEqual([runIn ? '标题单独成行' : '标题并入段首'])
    expect(reviewed(suggested, true).eq(run(at(doc, target, ONE), setSectionRunIn(!runIn)).state.doc)).toBe(true)
    expect(run(at(suggested, target, ONE), suggestSectionChange(runIn ? 'runIn' : 'runOut', LEADER)).state.doc.eq(doc)).toBe(true)
  })

  it('reviews by author and by id only what the filter takes', () => {
    const mine = run(at(doc, TWO), suggestSectionChange('moveUp', LEADER)).state.doc
    const both = run(at(mine, '（二）完成重大政治任务', ONE), suggestSectionChange('promote', OTHER)).state.doc
    const rejectedMine = reviewed(both, false, (s) => s.authorId === LEADER.id)
    expect(structuralSuggestions(rejectedMine).map((entry) => entry.suggestion.authorId)).toEqual([OTHER.id])
    expect(projectStructure(both).eq(reviewed(both, true))).toBe(true)
  })

  it('withdrawStructural takes out one person’s suggestions (their new sections entirely) and nobody else’s', () => {
    let d = run(at(doc, TWO), suggestSectionChange('moveUp', LEADER)).state.doc
    d = run(at(d, TWO), suggestSectionChange('demote', OTHER)).state.doc
    d = run(at(d, '（一）落实党建政治责任', ONE), suggestSectionInsert(insertSectionAfter, LEADER)).state.doc
    const withdrawn = withdrawStructural(d, LEADER.id)
    expect(outline(withdrawn)).toEqual(outline(doc))
    expect(structuralSuggestions(withdrawn).map((entry) => entry.suggestion.authorId)).toEqual([OTHER.id])
    expect(withdrawStructural(withdrawn, OTHER.id).eq(doc)).toBe(true)
  })

  it('keeps the records on the section through the 编辑 commands that rebuild it', () => {
    const suggested = run(at(doc, '（一）落实党建政治责任', ONE), suggestSectionChange('demote', LEADER)).state.doc
    const moved = run(at(suggested, '（一）落实党建政治责任', ONE), moveSection(1) as Command).state.doc
    expect(readStructural(moved.nodeAt(findSection(moved, '（二）落实党建政治责任', ONE).pos)!)).toHaveLength(1)
  })

  it('single accepts commute: a pending move and a promote of the section next to it, accepted either way round, give accept-all (and 编辑)', () => {
    const [first, second] = ['（一）落实党建政治责任', '（二）完成重大政治任务']
    expect(findSection(doc, first, ONE)).toBeTruthy()
    // 二（二） up, then the same section promoted (it is then 二（一）'s neighbour at level 1).
    const moved = run(at(doc, second, ONE), suggestSectionChange('moveUp', LEADER)).state.doc
    const both = run(at(moved, second, ONE), suggestSectionChange('promote', OTHER)).state.doc
    const ids = structuralSuggestions(both).map((entry) => entry.suggestion.id)
    expect(ids).toHaveLength(2)
    const all = reviewed(both, true)
    const edited = run(at(run(at(doc, second, ONE), moveSection(-1)).state.doc, first.replace('落实党建政治责任', '完成重大政治任务'), ONE), promoteSection).state.doc
    expect(all.eq(edited)).toBe(true)
    for (const order of [ids, [...ids].reverse()]) {
      let one = both
      for (const id of order) one = reviewed(one, true, (suggestion) => suggestion.id === id)
      expect(one.eq(all)).toBe(true)
    }
    for (const authors of [[LEADER, OTHER], [OTHER, LEADER]]) {
      let byAuthor = both
      for (const author of authors) byAuthor = reviewed(byAuthor, true, (suggestion) => suggestion.authorId === author.id)
      expect(byAuthor.eq(all)).toBe(true)
    }
  })
})
