import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import { describe, expect, it } from 'vitest'
import { PROVENANCE_ATTRIBUTES } from '../../figures/provenance'
import { analyzeReport } from '../lib/analyzeReport'
import { schema } from '../schema'
import { caretAt, findSection, placeholderIds, run, sampleDoc, stateAt, textPos } from '../testing/reportFixtures'
import {
  fillPlaceholder,
  findPlaceholder,
  markPlaceholder,
  selectPlaceholder,
  setPlaceholderKind,
  unmarkPlaceholder,
} from './placeholders'

/** A placeholder nobody has filled through the figures features has no provenance. */
const NO_PROVENANCE = Object.fromEntries(PROVENANCE_ATTRIBUTES.map((name) => [name, null]))

const doc = sampleDoc()
const analysis = analyzeReport(doc)
/** 全年主持局委会*次 in 一（一）. */
const meetings = analysis.placeholders[1]
/** **局发展纲要 in 一（一）. */
const outlineOrg = analysis.placeholders[2]

function placeholderMark(d: PMNode, pos: number): Mark | undefined {
  return d.nodeAt(pos)?.marks.find((mark) => mark.type.name === 'placeholder')
}

type Json = Record<string, unknown>
function paragraphDoc(...content: Json[]): PMNode {
  const built = schema.nodeFromJSON({
    type: 'doc',
    content: [{ type: 'reportTitle', content: [{ type: 'text', text: '标题' }] }, { type: 'paragraph', content }],
  })
  built.check()
  return built
}
const text = (value: string, marks?: Json[]): Json => (marks ? { type: 'text', text: value, marks } : { type: 'text', text: value })
const ph = (id: string, kind = 'count', label: string | null = null): Json => ({ type: 'placeholder', attrs: { id, kind, label } })

describe('findPlaceholder', () => {
  it('finds the range of a placeholder by id', () => {
    const found = findPlaceholder(doc, meetings.id)
    expect(found).toMatchObject({ from: meetings.from, to: meetings.to })
    expect(found!.mark.attrs).toEqual({ id: meetings.id, kind: 'count', label: null, ...NO_PROVENANCE })
    for (const placeholder of analysis.placeholders) {
      expect(findPlaceholder(doc, placeholder.id)).toMatchObject({ from: placeholder.from, to: placeholder.to })
    }
    expect(findPlaceholder(doc, 'ph-missing')).toBeNull()
  })

  it('spans adjacent text nodes of one placeholder but not a neighbouring one', () => {
    const d = paragraphDoc(text('共'), text('*', [ph('x')]), text('*', [ph('x'), { type: 'bold' }]), text('*', [ph('y')]), text('次'))
    expect(findPlaceholder(d, 'x')).toMatchObject({ from: 6, to: 8 })
    expect(findPlaceholder(d, 'y')).toMatchObject({ from: 8, to: 9 })
  })
})

describe('markPlaceholder', () => {
  const plain = paragraphDoc(text('全年主持局委会*次，研究审议第*届会议，投入*万元，组织6支队伍'))

  it('marks the selection with a fresh id and infers the kind from the following word', () => {
    const star = textPos(plain, '*次')
    const { ok, state } = run(stateAt(plain, star, star + 1), markPlaceholder())
    expect(ok).toBe(true)
    const mark = placeholderMark(state.doc, star)!
    expect(mark.attrs.kind).toBe('count')
    expect(mark.attrs.id).toMatch(/^ph[0-9a-z]{12}$/)
    expect(mark.attrs.label).toBeNull()
    expect(state.doc.textContent).toBe(plain.textContent)
    const [placeholder] = analyzeReport(state.doc).placeholders
    expect(placeholder).toMatchObject({ id: mark.attrs.id, text: '*', kind: 'count', filled: false, from: star, to: star + 1 })
    // Neither neighbour is marked.
    expect(placeholderMark(state.doc, star - 1)).toBeUndefined()
    expect(placeholderMark(state.doc, star + 1)).toBeUndefined()
  })

  it('infers ordinal after 第, amount before 万元, and uses an explicit kind when given', () => {
    const ordinal = textPos(plain, '*届')
    expect(placeholderMark(run(stateAt(plain, ordinal, ordinal + 1), markPlaceholder()).state.doc, ordinal)?.attrs.kind).toBe('ordinal')
    const amount = textPos(plain, '*万元')
    expect(placeholderMark(run(stateAt(plain, amount, amount + 1), markPlaceholder()).state.doc, amount)?.attrs.kind).toBe('amount')
    const team = textPos(plain, '6支')
    const explicit = run(stateAt(plain, team, team + 1), markPlaceholder('text')).state
    expect(placeholderMark(explicit.doc, team)?.attrs.kind).toBe('text')
  })

  it('marks a real figure as a (filled) placeholder', () => {
    const team = textPos(doc, '6支应急分队')
    const { state } = run(stateAt(doc, team, team + 1), markPlaceholder())
    const after = analyzeReport(state.doc)
    expect(after.placeholders).toHaveLength(21)
    const added = after.placeholders.find((p) => p.from === team)!
    expect(added).toMatchObject({ text: '6', kind: 'count', filled: true })
    expect(analysis.placeholders.map((p) => p.id)).not.toContain(added.id)
    expect(after.unfilled).toHaveLength(20)
  })

  it('gives a different id every time', () => {
    const star = textPos(plain, '*次')
    const ids = new Set(
      Array.from({ length: 20 }, () => placeholderMark(run(stateAt(plain, star, star + 1), markPlaceholder()).state.doc, star)?.attrs.id),
    )
    expect(ids.size).toBe(20)
  })

  it('re-marking an existing placeholder replaces it rather than nesting', () => {
    const { state } = run(stateAt(doc, outlineOrg.from, outlineOrg.to), markPlaceholder('name'))
    const marks = state.doc.nodeAt(outlineOrg.from)!.marks.filter((m) => m.type.name === 'placeholder')
    expect(marks).toHaveLength(1)
    expect(marks[0].attrs.kind).toBe('name')
    expect(marks[0].attrs.id).not.toBe(outlineOrg.id)
    expect(analyzeReport(state.doc).placeholders).toHaveLength(20)
  })

  it('refuses an empty selection or one across blocks', () => {
    expect(run(stateAt(plain, 6), markPlaceholder()).ok).toBe(false)
    expect(run(stateAt(doc, 5, textPos(doc, '在市委')), markPlaceholder()).ok).toBe(false)
  })
})

describe('unmarkPlaceholder', () => {
  it('removes the whole placeholder the caret is inside', () => {
    const { ok, state } = run(stateAt(doc, outlineOrg.from + 1), unmarkPlaceholder)
    expect(ok).toBe(true)
    expect(findPlaceholder(state.doc, outlineOrg.id)).toBeNull()
    expect(state.doc.rangeHasMark(outlineOrg.from, outlineOrg.to, schema.marks.placeholder)).toBe(false)
    expect(state.doc.textContent).toBe(doc.textContent)
    const after = analyzeReport(state.doc)
    expect(after.placeholders).toHaveLength(19)
    expect(findSection(state.doc, '（一）落实党建政治责任').unfilled).toBe(2)
  })

  it('counts a caret right after a one-character placeholder as inside it (the mark is inclusive)', () => {
    const { ok, state } = run(stateAt(doc, meetings.to), unmarkPlaceholder)
    expect(ok).toBe(true)
    expect(findPlaceholder(state.doc, meetings.id)).toBeNull()
    expect(placeholderIds(state.doc)).toEqual(analysis.placeholders.filter((p) => p !== meetings).map((p) => p.id))
  })

  it('does nothing with the caret before a placeholder or away from any', () => {
    expect(run(stateAt(doc, meetings.from), unmarkPlaceholder).ok).toBe(false)
    expect(run(stateAt(doc, textPos(doc, '一年来，我认真履行')), unmarkPlaceholder).ok).toBe(false)
    const plain = textPos(doc, '研究审议')
    expect(run(stateAt(doc, plain, plain + 4), unmarkPlaceholder).ok).toBe(false)
  })

  it('removes only the selected part of a placeholder', () => {
    const { state } = run(stateAt(doc, outlineOrg.from, outlineOrg.from + 1), unmarkPlaceholder)
    expect(placeholderMark(state.doc, outlineOrg.from)).toBeUndefined()
    expect(findPlaceholder(state.doc, outlineOrg.id)).toMatchObject({ from: outlineOrg.from + 1, to: outlineOrg.to })
  })

  it('removes every placeholder in a selection', () => {
    const section = findSection(doc, '（二）深化作风建设')
    const node = doc.nodeAt(section.pos)!
    const { state } = run(stateAt(doc, section.pos + 2, section.pos + node.nodeSize - 2), unmarkPlaceholder)
    expect(analyzeReport(state.doc).placeholders).toHaveLength(16)
    expect(findSection(state.doc, '（二）深化作风建设').unfilled).toBe(0)
  })
})

describe('setPlaceholderKind', () => {
  it('changes the kind and keeps id, label and text', () => {
    const d = paragraphDoc(text('拨付'), text('*', [ph('m', 'count', '资金')]), text('*', [ph('m', 'count', '资金'), { type: 'italic' }]), text('万元'))
    const { ok, state } = run(stateAt(d, 2), setPlaceholderKind('m', 'amount'))
    expect(ok).toBe(true)
    const [placeholder] = analyzeReport(state.doc).placeholders
    expect(placeholder).toMatchObject({ id: 'm', kind: 'amount', label: '资金', text: '**', from: 7, to: 9 })
    // Other marks on the placeholder's text survive.
    expect(state.doc.nodeAt(8)!.marks.map((m) => m.type.name).sort()).toEqual(['italic', 'placeholder'])
    expect(state.selection.from).toBe(2)
  })

  it('works on the sample and refuses unknown ids', () => {
    const { state } = run(stateAt(doc, 1), setPlaceholderKind(meetings.id, 'date'))
    const after = analyzeReport(state.doc)
    expect(after.placeholders[1]).toMatchObject({ id: meetings.id, kind: 'date', text: '*' })
    expect(after.placeholders.filter((p, i) => p.kind !== analysis.placeholders[i].kind)).toHaveLength(1)
    expect(run(stateAt(doc, 1), setPlaceholderKind('ph-missing', 'date')).ok).toBe(false)
  })
})

describe('fillPlaceholder', () => {
  it('replaces the mask with the value, keeps the mark (now filled) and selects the value', () => {
    const { ok, state } = run(stateAt(doc, 1), fillPlaceholder(meetings.id, '12'))
    expect(ok).toBe(true)
    expect(textPos(state.doc, '全年主持局委会12次，研究审议')).toBe(meetings.from - 7)
    const mark = placeholderMark(state.doc, meetings.from)!
    expect(mark.attrs).toEqual({ id: meetings.id, kind: 'count', label: null, ...NO_PROVENANCE })
    expect(placeholderMark(state.doc, meetings.from + 1)?.attrs.id).toBe(meetings.id)
    expect(placeholderMark(state.doc, meetings.from + 2)).toBeUndefined()
    expect(state.selection.from).toBe(meetings.from)
    expect(state.selection.to).toBe(meetings.from + 2)
    const after = analyzeReport(state.doc)
    expect(after.placeholders[1]).toMatchObject({ id: meetings.id, text: '12', filled: true, to: meetings.from + 2 })
    expect(after.placeholders[1].context).toBe('职责，全年主持局委会【12】次，研究审议**局发')
    expect(after.unfilled).toHaveLength(19)
    expect(after.unfilled.map((p) => p.id)).not.toContain(meetings.id)
    expect(findSection(state.doc, '（一）落实党建政治责任').unfilled).toBe(2)
    expect(findSection(state.doc, '一、强化政治引领，贯彻中央部署').unfilled).toBe(5)
  })

  it('can be refilled, and fills a placeholder whose text spans several nodes as one', () => {
    const once = run(stateAt(doc, 1), fillPlaceholder(outlineOrg.id, '交通运输')).state
    const twice = run(once, fillPlaceholder(outlineOrg.id, '市交通')).state
    expect(findPlaceholder(twice.doc, outlineOrg.id)).toMatchObject({ from: outlineOrg.from, to: outlineOrg.from + 3 })
    expect(twice.doc.textBetween(outlineOrg.from - 4, outlineOrg.from + 6)).toBe('研究审议市交通局发展')

    const d = paragraphDoc(text('共'), text('*', [ph('x')]), text('*', [ph('x'), { type: 'bold' }]), text('次'))
    const filled = run(stateAt(d, 1), fillPlaceholder('x', '35')).state
    expect(filled.doc.child(1).textContent).toBe('共35次')
    expect(findPlaceholder(filled.doc, 'x')).toMatchObject({ from: 6, to: 8 })
    expect(analyzeReport(filled.doc).placeholders).toHaveLength(1)
  })

  it('refuses an empty value or an unknown id', () => {
    expect(run(stateAt(doc, 1), fillPlaceholder(meetings.id, '')).ok).toBe(false)
    expect(run(stateAt(doc, 1), fillPlaceholder('ph-missing', '3')).ok).toBe(false)
  })
})

describe('selectPlaceholder', () => {
  it('selects exactly the placeholder text', () => {
    const { ok, state } = run(stateAt(doc, 1), selectPlaceholder(outlineOrg.id))
    expect(ok).toBe(true)
    expect(state.selection.from).toBe(outlineOrg.from)
    expect(state.selection.to).toBe(outlineOrg.to)
    expect(state.doc.eq(doc)).toBe(true)
    expect(run(stateAt(doc, 1), selectPlaceholder('ph-missing')).ok).toBe(false)
  })
})

describe('typing and the inclusive placeholder mark', () => {
  it('typing over the whole placeholder keeps the mark', () => {
    const state = stateAt(doc, meetings.from, meetings.to)
    const tr = state.tr.insertText('8', meetings.from, meetings.to)
    expect(placeholderMark(tr.doc, meetings.from)?.attrs.id).toBe(meetings.id)
    expect(analyzeReport(tr.doc).placeholders[1]).toMatchObject({ id: meetings.id, text: '8', filled: true })
    // Same through the selection, as the view's text input does.
    const viaSelection = state.tr.insertText('8')
    expect(viaSelection.doc.eq(tr.doc)).toBe(true)
  })

  it('typing over a selected placeholder after selectPlaceholder keeps the mark', () => {
    const selected = run(stateAt(doc, 1), selectPlaceholder(outlineOrg.id)).state
    const typed = selected.apply(selected.tr.insertText('交通'))
    expect(findPlaceholder(typed.doc, outlineOrg.id)).toMatchObject({ from: outlineOrg.from, to: outlineOrg.from + 2 })
    expect(analyzeReport(typed.doc).placeholders[2]).toMatchObject({ text: '交通', filled: true })
    expect(typed.selection.empty).toBe(true)
    expect(typed.selection.from).toBe(outlineOrg.from + 2)
    expect(caretAt(typed).offset).toBe(caretAt(selected).offset)
  })

  it('typing at the end of a placeholder extends it', () => {
    const filled = run(stateAt(doc, 1), fillPlaceholder(meetings.id, '1')).state
    const tr = filled.tr.insertText('2', meetings.to)
    expect(findPlaceholder(tr.doc, meetings.id)).toMatchObject({ from: meetings.from, to: meetings.to + 1 })
    expect(analyzeReport(tr.doc).placeholders[1].text).toBe('12')
  })

  it('typing right before a placeholder does not get the mark', () => {
    const tr = stateAt(doc, meetings.from).tr.insertText('约', meetings.from)
    expect(placeholderMark(tr.doc, meetings.from)).toBeUndefined()
    expect(findPlaceholder(tr.doc, meetings.id)).toMatchObject({ from: meetings.from + 1, to: meetings.to + 1 })
    expect(analyzeReport(tr.doc).placeholders[1]).toMatchObject({ text: '*', filled: false })
    const viaSelection = stateAt(doc, meetings.from).tr.insertText('约')
    expect(viaSelection.doc.eq(tr.doc)).toBe(true)
  })

  it('deleting a whole placeholder removes it from the analysis', () => {
    const tr = stateAt(doc, 1).tr.delete(meetings.from, meetings.to)
    const after = analyzeReport(tr.doc)
    expect(after.placeholders).toHaveLength(19)
    expect(after.placeholders.map((p) => p.id)).not.toContain(meetings.id)
  })
})
