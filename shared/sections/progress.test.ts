import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { analyzeReport } from '../editor/lib/analyzeReport'
import { checkReport } from '../editor/lib/checkReport'
import { docFromText, findSection, sampleDoc } from '../editor/testing/reportFixtures'
import { sectionAction } from './commands'
import { sectionProgress } from './progress'
import type { Person, WorkflowAction } from './workflow'

const owner = { id: 'owner', name: '管理员' }
const zhang = { id: 'zhang', name: '张三' }
const li = { id: 'li', name: '李四' }
const ONE = '一、强化政治引领，贯彻中央部署'
const TWO = '二、强化理论武装，提升政治素养'

function act(doc: PMNode, label: string, action: WorkflowAction, by: Person, assignees?: Person[]): PMNode {
  let next = doc
  if (!sectionAction(findSection(doc, label).pos, action, by, assignees)(EditorState.create({ doc }), (tr) => (next = tr.doc))) throw new Error(`${action} refused`)
  return next
}

describe('progress and the submission check', () => {
  it('counts assigned sections and those 定稿, and unfilled figures per assignee (sub-sections included)', () => {
    let doc = act(act(sampleDoc(), ONE, 'assign', owner, [zhang]), TWO, 'assign', owner, [li, zhang])
    const analysis = analyzeReport(doc)
    const inOne = analysis.unfilled.filter((p) => analysis.sections[p.section]?.path[0] === ONE).length
    const inTwo = analysis.unfilled.filter((p) => analysis.sections[p.section]?.path[0] === TWO).length
    expect(inOne).toBeGreaterThan(0)
    let progress = sectionProgress(doc, analysis)
    expect(progress.tracked).toBe(2)
    expect(progress.final).toBe(0)
    expect(progress.figuresLeft).toEqual([
      { person: zhang, count: inOne + inTwo },
      { person: li, count: inTwo },
    ])
    doc = act(act(doc, ONE, 'submit', zhang), ONE, 'approve', owner)
    progress = sectionProgress(doc, analyzeReport(doc))
    expect(progress.final).toBe(1)
    expect(progress.unfinished.map((s) => [s.label, s.status])).toEqual([[TWO, 'drafting']])
  })

  it('lists sections not 定稿 as a warning, blocking only with requireFinal; a report without assignments lists none', () => {
    expect(checkReport(sampleDoc(), []).unfinishedSections).toEqual([])
    const doc = act(sampleDoc(), ONE, 'assign', owner, [zhang])
    const warning = checkReport(doc, [])
    const blocking = checkReport(doc, [], { requireFinal: true })
    expect(warning.unfinishedSections.map((s) => s.label)).toEqual([ONE])
    expect(warning.unfinishedBlocks).toBe(false)
    expect(blocking.unfinishedBlocks).toBe(true)
    // The sample has unfilled figures, so compare with those taken into account: only requireFinal adds a reason.
    expect(warning.ok).toBe(checkReport(sampleDoc(), []).ok)
    const clean = act(docFromText('报告\n一、第一部分\n正文。'), '一、第一部分', 'assign', owner, [zhang])
    expect(checkReport(clean, []).ok).toBe(true)
    expect(checkReport(clean, [], { requireFinal: true }).ok).toBe(false)
    const approved = act(act(clean, '一、第一部分', 'submit', zhang), '一、第一部分', 'approve', owner)
    expect(checkReport(approved, [], { requireFinal: true }).ok).toBe(true)
    const done = act(act(doc, ONE, 'submit', zhang), ONE, 'approve', owner)
    expect(checkReport(done, [], { requireFinal: true }).unfinishedSections).toEqual([])
  })
})
