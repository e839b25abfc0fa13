/**
 * mayDecide under random reports, random 按分工编辑 assignments and random suggestions (text, paragraph
 * and structure, by three reviewers): the quick rule the review pane uses gives, for every suggestion,
 * what trying it both ways against the server's rule gives. A suggestion the pane offers a drafter
 * is one the server takes; one it withholds, the server would refuse.
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, TextSelection } from '@tiptap/pm/state'
import { Transform } from '@tiptap/pm/transform'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { insertSectionAfter, insertSubsection } from '../editor/commands/sections'
import { analyzeReport } from '../editor/lib/analyzeReport'
import { byId, reviewedDoc } from '../editor/suggestions/review'
import { reviewStructural, suggestSectionChange, suggestSectionInsert, type StructuralOp } from '../editor/suggestions/structural'
import { AUTHORS, PARAGRAPH_OPS, TEXT_OPS, playSession, report, session } from '../editor/testing/suggestSession'
import { propertyRuns } from '../testing/propertyRuns'
import { keepsOthersParts, mayDecide } from './directEdit'
import { WORKFLOW_ATTR, serializeWorkflow } from './workflow'

const DRAFTER = { id: 'u-drafter', name: '李四' }
const OTHER = { id: 'u-other', name: '张三' }

/** Per section in document order: nobody's, the drafter's (起草中 or 定稿), or another drafter's. */
const assignment = fc.constantFrom('none', 'mine', 'mineFinal', 'other')
type Assignment = typeof assignment extends fc.Arbitrary<infer T> ? T : never

function assign(doc: PMNode, plan: Assignment[]): PMNode {
  const tr = new Transform(doc)
  let index = 0
  doc.descendants((node, pos) => {
    if (node.type.name !== 'section') return true
    const each = plan[index++ % plan.length]
    if (each !== 'none') {
      const record = { id: `r${index}`, assignees: [each === 'other' ? OTHER : DRAFTER], status: each === 'mineFinal' ? 'final' : 'drafting', log: [] }
      tr.setNodeAttribute(pos, WORKFLOW_ATTR, serializeWorkflow(record as Parameters<typeof serializeWorkflow>[0]))
    }
    return true
  })
  return tr.doc
}

/** A structure suggestion at the title of section number `at`, or nothing when the command has no effect there. */
const structureStep = fc.record({
  op: fc.constantFrom<Exclude<StructuralOp, 'insert'> | 'insertAfter' | 'insertSub'>('moveUp', 'moveDown', 'promote', 'demote', 'runIn', 'insertAfter', 'insertSub'),
  at: fc.nat(),
  author: fc.nat(2),
})

function suggestStructure(doc: PMNode, { op, at, author }: { op: string; at: number; author: number }): PMNode {
  const sections = analyzeReport(doc).sections
  if (sections.length === 0) return doc
  const state = EditorState.create({ doc, selection: TextSelection.create(doc, sections[at % sections.length].pos + 2) })
  const command =
    op === 'insertAfter'
      ? suggestSectionInsert(insertSectionAfter, AUTHORS[author])
      : op === 'insertSub'
        ? suggestSectionInsert(insertSubsection, AUTHORS[author])
        : suggestSectionChange(op as Exclude<StructuralOp, 'insert'>, AUTHORS[author])
  let next = doc
  command(state, (tr) => (next = tr.doc))
  return next
}

/** Trying a suggestion both ways: accepted and rejected alone, the report outside the drafter's sections stays. */
function exactly(doc: PMNode, id: string, structure: boolean): boolean {
  return [true, false].every((accept) => {
    if (!structure) return keepsOthersParts(doc, reviewedDoc(doc, accept, byId(id)), DRAFTER.id)
    const tr = new Transform(doc)
    reviewStructural(tr, accept, (each) => each.id === id)
    return keepsOthersParts(doc, tr.doc, DRAFTER.id)
  })
}

describe('mayDecide (property)', () => {
  it('agrees with trying each suggestion both ways against the server’s rule', { timeout: 600_000 }, () => {
    const counts = { decidable: 0, not: 0, structure: 0 }
    fc.assert(
      fc.property(
        report,
        fc.array(assignment, { minLength: 1, maxLength: 6 }),
        session(3, [...TEXT_OPS, ...PARAGRAPH_OPS]),
        fc.array(structureStep, { maxLength: 3 }),
        (original, plan, { ops }, structure) => {
          let doc = playSession(assign(original, plan), ops).suggested
          for (const step of structure) doc = suggestStructure(doc, step)
          for (const suggestion of analyzeReport(doc).suggestions) {
            const quick = mayDecide(doc, suggestion, DRAFTER.id)
            expect({ id: suggestion.id, type: suggestion.type, quick }).toEqual({ id: suggestion.id, type: suggestion.type, quick: exactly(doc, suggestion.id, suggestion.type === 'structure') })
            counts[quick ? 'decidable' : 'not']++
            if (suggestion.type === 'structure') counts.structure++
          }
        },
      ),
      propertyRuns(150),
    )
    // Both answers, and structure suggestions, are met often enough for the property to mean something.
    expect(counts.decidable).toBeGreaterThan(20)
    expect(counts.not).toBeGreaterThan(20)
    expect(counts.structure).toBeGreaterThan(20)
  })
})
