import { describe, expect, it } from 'vitest'
import { fillPlaceholders, setPlaceholderAttrs, suggestPlaceholderValue } from '../editor/commands/placeholders'
import { docFromText, run as runCommand } from '../editor/testing/reportFixtures'
import { EditorState } from '@tiptap/pm/state'
import { schema } from '../editor/schema'
import { listFigures, sameFigureKey } from './figures'
import { checkValue } from './values'

describe('checkValue', () => {
  const cases = [
    ['count', '12', null, null],
    ['count', '1,234', null, null],
    ['count', '１２', null, null],
    ['count', '三', null, null],
    ['count', '十余', null, 'not-number'],
    ['count', '若干', null, 'not-number'],
    ['count', '', null, 'empty'],
    ['count', '**', null, 'still-mask'],
    ['amount', '3.5', '亿元', null],
    ['amount', '约3亿', '亿元', 'not-number'],
    ['percent', '99.5', '%', null],
    ['percent', '120', '%', 'over-100'],
    ['percent', '120', '个百分点', null],
    ['percent', '7', '成', null],
    ['percent', '12', '成', 'over-10'],
    ['ordinal', '3', '名', null],
    ['ordinal', '0', '名', 'not-ordinal'],
    ['date', '2022年', null, null],
    ['date', '3月5日', null, null],
    ['date', '13月5日', null, 'not-date'],
    ['date', '2022', null, 'not-date'],
    ['name', '张伟', '同志', null],
    ['org', '3', '局', 'has-digits'],
    ['text', '安全生产', null, null],
  ] as const
  it.each(cases)('%s %j (%s) → %s', (kind, value, unit, problem) => {
    expect(checkValue(kind, value, unit)).toBe(problem)
  })
})

function run(state: EditorState, command: Parameters<typeof runCommand>[1]): EditorState {
  const result = runCommand(state, command)
  expect(result.ok).toBe(true)
  return result.state
}

const stateOf = (text: string) => EditorState.create({ schema, doc: docFromText(text) })

describe('listFigures', () => {
  it('gives section path, sentence, unit and status', () => {
    const state = stateOf('标题\n一、工作\n（一）建设。全年召开会议**次，增长*.*%。')
    expect(listFigures(state.doc).map((f) => [f.sectionPath, f.sentence, f.unit, f.status, f.topSection])).toEqual([
      ['一（一）', '全年召开会议【**】次，增长*.*%。', '次', 'unfilled', 0],
      ['一（一）', '全年召开会议**次，增长【*.*】%。', '%', 'unfilled', 0],
    ])
  })

  it('verification holds for the verified value only: retyping makes the figure 待核实 again', () => {
    let state = stateOf('标题\n一、工作\n召开党组会议**次。')
    const id = listFigures(state.doc)[0].id
    state = run(state, fillPlaceholders([{ id, value: '12', attrs: { source: '会议记录', filledBy: '张三' } }]))
    expect(listFigures(state.doc)[0]).toMatchObject({ status: 'unverified', editedSince: false })
    state = run(state, setPlaceholderAttrs(id, { verifiedBy: '王局长', verifiedAt: '2026-12-01T00:00:00Z', verifiedValue: '12' }))
    expect(listFigures(state.doc)[0].status).toBe('verified')
    state = run(state, fillPlaceholders([{ id, value: '13', attrs: { filledValue: null } }]))
    // fillPlaceholders records the value it wrote; a plain edit would not, so simulate it by clearing.
    expect(listFigures(state.doc)[0].status).toBe('unverified')
  })

  it('flags the same figure filled twice with different values, and values that do not fit their kind', () => {
    let state = stateOf('标题\n一、工作\n全年召开党组会议**次。\n二、体会\n我们召开党组会议*次，完成率**%。')
    const [a, b, c] = listFigures(state.doc).map((f) => f.id)
    state = run(state, fillPlaceholders([{ id: a, value: '12', attrs: {} }, { id: b, value: '15', attrs: {} }, { id: c, value: '130', attrs: {} }]))
    const figures = listFigures(state.doc)
    expect(figures[0].conflictsWith).toEqual([b])
    expect(figures[1].conflictsWith).toEqual([a])
    expect(figures[2].problem).toBe('over-100')
    state = run(state, fillPlaceholders([{ id: b, value: '12', attrs: {} }]))
    expect(listFigures(state.doc).map((f) => f.conflictsWith)).toEqual([[], [], []])
  })

  it('does not call different figures the same because they share a unit', () => {
    expect(sameFigureKey('全年召开党组会议', '次')).toBe(sameFigureKey('我们召开党组会议', '次'))
    expect(sameFigureKey('全年召开党组会议', '次')).not.toBe(sameFigureKey('开展专题调研', '次'))
    expect(sameFigureKey('共', '次')).toBeNull()
  })

  it('a suggested value leaves the figure unfilled until accepted', () => {
    let state = stateOf('标题\n一、工作\n召开党组会议**次。')
    const id = listFigures(state.doc)[0].id
    state = run(state, suggestPlaceholderValue(id, '12', { authorId: 'r1', authorName: '王局长', createdAt: '2026-12-01T00:00:00Z' }))
    expect(listFigures(state.doc)[0]).toMatchObject({ filled: false, status: 'unfilled' })
    expect(state.doc.textContent).toContain('召开党组会议**12次')
  })
})
