// @vitest-environment happy-dom
/**
 * 按分工编辑 under random keystrokes with the server's own checks in the loop: every update of 张明
 * (a drafter in 编辑, sections assigned to him in turn 起草中 / 定稿 / to nobody) and of 王局长 (建议)
 * goes through allowsUpdate — the section rules (sectionScan's walk for the drafter's direct edits)
 * and the review guard's comparison — on a CollabDocument before the document takes it. The shared
 * property (keystrokes.collab.property.test.ts) compares the forms; this one runs the server's code,
 * so a key the drafter's editor lets through as a direct edit and the server refuses (a reload and
 * lost typing for him) fails here. 张明 also accepts and rejects, one or all, of what his review pane
 * offers him (mayDecide: what lies in his own sections).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { setOption } from '../../shared/sections/options'
import { DRAFTER, collabKeystrokes, type Side } from '../../shared/editor/testing/collabPair'
import { REVIEWER } from '../../shared/editor/testing/keystrokes'
import { mountedEditors } from '../../shared/editor/testing/mountedEditors'
import { propertyRuns } from '../../shared/testing/propertyRuns'
import { CollabDocument } from '../collab/CollabDocument'
import { ReviewGuard } from './ReviewGuard'
import { allowsUpdate, checkSectionRules } from './SectionGuard'

const editors = mountedEditors()

describe('the section rules under random keystrokes of a drafter under 按分工编辑 and a reviewer (property)', () => {
  it('let every update of both through, the drafter’s own sections on the section scan alone', () => {
    const guard = new ReviewGuard()
    const verdicts = { allow: 0, compare: 0 }
    const pairOptions = () => {
      const document = new CollabDocument('by-assignment')
      setOption(document.ydoc, 'byAssignment', true)
      const people = [
        { id: REVIEWER.id, role: 'reviewer' as const },
        { id: DRAFTER.id, role: 'drafter' as const },
      ]
      const allows = (side: Side, update: Uint8Array) => {
        const { id, role } = people[side]
        if (role === 'drafter') {
          const { verdict } = checkSectionRules(document, update, id, role)
          if (verdict !== 'refuse') verdicts[verdict]++
        }
        const verdict = allowsUpdate(guard, document, update, side, id, role)
        if (verdict !== true) throw new Error(`the server refused ${role === 'drafter' ? '张明' : '王局长'}: ${verdict}`)
        return true
      }
      return { server: document.ydoc, allows }
    }
    const runs = propertyRuns(50)
    // With 张明 accepting and rejecting meanwhile, what his review pane offers him (mayDecide).
    const property = collabKeystrokes(editors, { sequential: true, second: { author: DRAFTER, mode: 'edit', byAssignment: true }, reviews: true, pairOptions })
    // Random cases reach a section of his own in 起草中 only now and then: one CI run of 50 cases took
    // the section scan's path not once. Batches of cases run until both paths were taken, at most ten
    // (a replay with FUZZ_SEED is one batch); every case of every batch must pass.
    for (let batch = 0; batch < (runs.seed === undefined ? 10 : 1); batch++) {
      fc.assert(property, { ...runs, numRuns: Math.min(runs.numRuns, 1_000) })
      if (verdicts.allow > 0 && verdicts.compare > 0) break
    }
    // Both of the drafter's paths were taken: typing in his own section, and suggesting elsewhere.
    expect(verdicts.allow).toBeGreaterThan(0)
    expect(verdicts.compare).toBeGreaterThan(0)
  }, 600_000)
})
