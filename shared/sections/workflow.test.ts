import { describe, expect, it } from 'vitest'
import {
  actionsFor,
  applyAction,
  checkRecordChanges,
  newWorkflow,
  parseWorkflow,
  serializeWorkflow,
  standingOf,
  transition,
  undoAction,
  type SectionStatus,
  type Standing,
  type WorkflowAction,
} from './workflow'

const STATUSES: SectionStatus[] = ['drafting', 'pending', 'final']
const ACTIONS: WorkflowAction[] = ['submit', 'withdraw', 'approve', 'unapprove', 'return']
const STANDINGS: Standing[] = ['owner', 'assignee', 'reviewer', 'other']

/**
 * The table the closing note of issue 15 shows, written out by hand (not derived from the code):
 * status → action → who may take it → resulting status.
 */
const EXPECTED: Record<SectionStatus, Partial<Record<WorkflowAction, { who: Standing[]; to: SectionStatus }>>> = {
  drafting: { submit: { who: ['owner', 'assignee'], to: 'pending' } },
  pending: {
    withdraw: { who: ['owner', 'assignee'], to: 'drafting' },
    approve: { who: ['owner', 'reviewer'], to: 'final' },
    return: { who: ['owner', 'reviewer'], to: 'drafting' },
  },
  final: {
    unapprove: { who: ['owner', 'reviewer'], to: 'pending' },
    return: { who: ['owner', 'reviewer'], to: 'drafting' },
  },
}

const me = { id: 'u1', name: '张三' }
const lead = { id: 'u2', name: '王局长' }
const at = '2026-12-01T10:00:00.000Z'

describe('section status machine', () => {
  for (const from of STATUSES)
    for (const action of ACTIONS)
      for (const standing of STANDINGS) {
        const expected = EXPECTED[from][action]
        const to = expected && expected.who.includes(standing) ? expected.to : null
        it(`${from} × ${action} × ${standing} → ${to ?? 'refused'}`, () => {
          expect(transition(from, action, standing)).toBe(to)
          expect(actionsFor(from, standing).includes(action)).toBe(to !== null)
        })
      }

  it('standing: only a drafter can be an assignee; viewers and unassigned drafters are others', () => {
    expect(standingOf('drafter', true)).toBe('assignee')
    expect(standingOf('drafter', false)).toBe('other')
    expect(standingOf('viewer', true)).toBe('other')
    expect(standingOf('reviewer', true)).toBe('reviewer')
    expect(standingOf('owner', false)).toBe('owner')
    expect(actionsFor('drafting', 'owner')).toContain('assign')
    expect(actionsFor('drafting', 'assignee')).not.toContain('assign')
  })

  it('records who and when, and undo is offered only to the author of the last change when allowed', () => {
    let record = applyAction(newWorkflow('s1'), 'assign', lead, at, [me, me])
    expect(record.assignees).toEqual([me])
    record = applyAction(record, 'submit', me, at)
    expect(record.status).toBe('pending')
    expect(record.log.at(-1)).toEqual({ action: 'submit', status: 'pending', by: me, at })
    expect(undoAction(record, 'assignee', me.id)).toBe('withdraw')
    expect(undoAction(record, 'reviewer', lead.id)).toBeNull()
    record = applyAction(record, 'approve', lead, at)
    expect(undoAction(record, 'reviewer', lead.id)).toBe('unapprove')
    expect(undoAction(record, 'assignee', me.id)).toBeNull()
    record = applyAction(record, 'return', lead, at)
    // Undoing a return would be a submission: the drafter's to do, not the leader's.
    expect(undoAction(record, 'reviewer', lead.id)).toBeNull()
    expect(parseWorkflow(serializeWorkflow(record))).toEqual(record)
  })

  it('parses only well-formed, bounded records', () => {
    expect(parseWorkflow('{')).toBeNull()
    expect(parseWorkflow(JSON.stringify({ ...newWorkflow('s'), status: 'done' }))).toBeNull()
    expect(parseWorkflow(JSON.stringify({ ...newWorkflow('s'), assignees: [{ id: 1 }] }))).toBeNull()
    expect(parseWorkflow('x'.repeat(9000))).toBeNull()
  })
})

describe('checkRecordChanges', () => {
  const base = applyAction(newWorkflow('s1'), 'assign', lead, at, [me])
  const seen = (record: object, assigned = true) => ({ raw: JSON.stringify(record), assigned })

  it('lets an assigned drafter submit in their own name, not in someone else’s, and not approve', () => {
    const drafter = { id: me.id, role: 'drafter' as const }
    expect(checkRecordChanges([seen(base)], [seen(applyAction(base, 'submit', me, at))], drafter)).toBeNull()
    expect(checkRecordChanges([seen(base, false)], [seen(applyAction(base, 'submit', me, at))], drafter)).toMatch(/not allowed/)
    expect(checkRecordChanges([seen(base)], [seen(applyAction(base, 'submit', lead, at))], drafter)).toMatch(/actor/)
    const pending = applyAction(base, 'submit', me, at)
    expect(checkRecordChanges([seen(pending)], [seen(applyAction(pending, 'approve', me, at))], drafter)).toMatch(/not allowed/)
  })

  it('refuses assignments, new, duplicated or rewritten records from anyone but the owner', () => {
    const reviewer = { id: lead.id, role: 'reviewer' as const }
    expect(checkRecordChanges([seen(base)], [seen({ ...base, assignees: [lead] })], reviewer)).toMatch(/owner/)
    expect(checkRecordChanges([], [seen(base)], reviewer)).toMatch(/owner/)
    expect(checkRecordChanges([seen(base)], [seen(base), seen(base)], reviewer)).toMatch(/duplicated/)
    const pending = applyAction(base, 'submit', me, at)
    const approved = applyAction(pending, 'approve', lead, at)
    expect(checkRecordChanges([seen(pending)], [seen(approved)], reviewer)).toBeNull()
    expect(checkRecordChanges([seen(pending)], [seen({ ...approved, log: approved.log.slice(1) })], reviewer)).toMatch(/one entry/)
    expect(checkRecordChanges([seen(pending)], [seen(approved)], { id: 'v', role: 'viewer' })).toMatch(/actor|not allowed/)
    // Deleting the section (and its record) is an edit, checked as such elsewhere.
    expect(checkRecordChanges([seen(base)], [], { id: me.id, role: 'drafter' })).toBeNull()
    expect(checkRecordChanges([], [seen({ ...base, assignees: [lead] })], { id: 'o', role: 'owner' })).toBeNull()
  })
})
