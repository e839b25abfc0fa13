import type { Role } from '../roles'

/**
 * Joint drafting (分工起草): who drafts a section and how far it is. Stored as one JSON string in the
 * section node's `workflow` attribute (see nodes/Section.ts), so it moves with the section when the
 * section is moved, promoted or demoted, and Yjs keeps it as one value.
 *
 * Pure rules only: the state machine, who may do what, and the check of a change to the records.
 */

export const WORKFLOW_ATTR = 'workflow'
export const SECTION_STATUSES = ['drafting', 'pending', 'final'] as const
export type SectionStatus = (typeof SECTION_STATUSES)[number]

export interface Person {
  id: string
  name: string
}

export type WorkflowAction = 'assign' | 'submit' | 'withdraw' | 'approve' | 'unapprove' | 'return'

export interface WorkflowEntry {
  action: WorkflowAction
  /** Status after the action. */
  status: SectionStatus
  by: Person
  at: string
}

export interface SectionWorkflow {
  /** Pairs the record across moves (a moved section is a new node in Yjs). */
  id: string
  assignees: Person[]
  status: SectionStatus
  /** Newest last; at most LOG_LIMIT entries kept. */
  log: WorkflowEntry[]
}

export const MAX_ASSIGNEES = 20
export const LOG_LIMIT = 20
/** Upper bound of the serialized attribute (the server refuses larger ones). */
export const MAX_WORKFLOW_CHARS = 8192

/**
 * How the actor stands towards one section: the document owner, a drafter assigned to it (or to a
 * section containing it), a reviewer (the leader), or anyone else.
 */
export type Standing = 'owner' | 'assignee' | 'reviewer' | 'other'

export function standingOf(role: Role, assigned: boolean): Standing {
  if (role === 'owner') return 'owner'
  if (role === 'reviewer') return 'reviewer'
  if (role === 'drafter' && assigned) return 'assignee'
  return 'other'
}

/** The state machine: from → to, the action's name and who may take it. */
const TRANSITIONS: { from: SectionStatus; to: SectionStatus; action: WorkflowAction; who: Standing[] }[] = [
  { from: 'drafting', to: 'pending', action: 'submit', who: ['assignee', 'owner'] },
  { from: 'pending', to: 'drafting', action: 'withdraw', who: ['assignee', 'owner'] },
  { from: 'pending', to: 'final', action: 'approve', who: ['reviewer', 'owner'] },
  { from: 'final', to: 'pending', action: 'unapprove', who: ['reviewer', 'owner'] },
  { from: 'pending', to: 'drafting', action: 'return', who: ['reviewer', 'owner'] },
  { from: 'final', to: 'drafting', action: 'return', who: ['reviewer', 'owner'] },
]

/** The status after `action`, or null when `standing` may not take it from `from`. */
export function transition(from: SectionStatus, action: WorkflowAction, standing: Standing): SectionStatus | null {
  const found = TRANSITIONS.find((t) => t.from === from && t.action === action && t.who.includes(standing))
  return found ? found.to : null
}

/** Actions `standing` may take on a section in `status` (assignment is the owner's, in any status). */
export function actionsFor(status: SectionStatus, standing: Standing): WorkflowAction[] {
  const actions = TRANSITIONS.filter((t) => t.from === status && t.who.includes(standing)).map((t) => t.action)
  return standing === 'owner' ? ['assign', ...actions] : actions
}

/** Whether `standing` may move a section from `from` to `to` by some action (used to undo a change). */
export const mayChangeStatus = (from: SectionStatus, to: SectionStatus, standing: Standing): boolean =>
  TRANSITIONS.some((t) => t.from === from && t.to === to && t.who.includes(standing))

/**
 * The action that undoes the last entry, if `standing` may take it: a submit is undone by withdrawing,
 * an approval by unapproving; a return is undone only by submitting again (the drafter's to do).
 */
export function undoAction(record: SectionWorkflow, standing: Standing, actorId: string): WorkflowAction | null {
  const last = record.log.at(-1)
  if (!last || last.by.id !== actorId || last.action === 'assign') return null
  const previous = record.log.at(-2)?.status ?? 'drafting'
  const found = TRANSITIONS.find((t) => t.from === record.status && t.to === previous && t.who.includes(standing))
  return found ? found.action : null
}

export function newWorkflow(id: string): SectionWorkflow {
  return { id, assignees: [], status: 'drafting', log: [] }
}

/** Applies an action (already allowed) and records who and when. */
export function applyAction(record: SectionWorkflow, action: WorkflowAction, by: Person, at: string, assignees?: Person[]): SectionWorkflow {
  const status = action === 'assign' ? record.status : transition(record.status, action, 'owner') ?? record.status
  const entry: WorkflowEntry = { action, status, by: { id: by.id, name: by.name }, at }
  return {
    id: record.id,
    assignees: action === 'assign' ? dedupe(assignees ?? []).slice(0, MAX_ASSIGNEES) : record.assignees,
    status,
    log: [...record.log, entry].slice(-LOG_LIMIT),
  }
}

const dedupe = (people: Person[]) => people.filter((p, i) => people.findIndex((q) => q.id === p.id) === i).map((p) => ({ id: p.id, name: p.name }))

const isString = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max
const isPerson = (v: unknown): v is Person => typeof v === 'object' && v !== null && isString((v as Person).id) && isString((v as Person).name)
const isStatus = (v: unknown): v is SectionStatus => SECTION_STATUSES.includes(v as SectionStatus)
const ACTIONS: WorkflowAction[] = ['assign', 'submit', 'withdraw', 'approve', 'unapprove', 'return']

/** Reads the attribute; null when absent or malformed (a malformed record is refused by the server). */
export function parseWorkflow(value: unknown): SectionWorkflow | null {
  if (typeof value !== 'string' || value.length > MAX_WORKFLOW_CHARS) return null
  let data: unknown
  try {
    data = JSON.parse(value)
  } catch {
    return null
  }
  const r = data as SectionWorkflow
  if (typeof r !== 'object' || r === null || !isString(r.id, 64) || !isStatus(r.status)) return null
  if (!Array.isArray(r.assignees) || r.assignees.length > MAX_ASSIGNEES || !r.assignees.every(isPerson)) return null
  if (!Array.isArray(r.log) || r.log.length > LOG_LIMIT) return null
  const logOk = r.log.every((e) => ACTIONS.includes(e?.action) && isStatus(e.status) && isPerson(e.by) && isString(e.at, 40))
  return logOk ? r : null
}

export const serializeWorkflow = (record: SectionWorkflow): string => JSON.stringify(record)

/** A record as the server finds it in one section: `assigned` tells whether the actor is among the effective assignees. */
export interface RecordSighting {
  raw: string
  assigned: boolean
  /** Before the change: the section itself is still in the document after it (so its record may not vanish). */
  kept?: boolean
}

/**
 * Checks every change an update makes to the records, given the records before and after it (each
 * with whether the actor is assigned there, before the change). Returns why it is refused, or null.
 * The owner may change anything. Others: no record created or its assignees changed; a status change
 * must be one transition allowed to them, recorded as one new log entry in their name.
 * Records may disappear with their section (deleting it is an edit, checked as such), not from a
 * section that stays. A section without a record (inside an assigned one) may get one from its
 * drafter's first status change: no assignees, one log entry.
 */
export function checkRecordChanges(before: RecordSighting[], after: RecordSighting[], actor: { id: string; role: Role }): string | null {
  if (actor.role === 'owner') return after.every((s) => s.raw.length <= MAX_WORKFLOW_CHARS) ? null : 'record too large'
  const old = new Map<string, { record: SectionWorkflow; raw: string; assigned: boolean }>()
  for (const s of before) {
    const record = parseWorkflow(s.raw)
    if (record) old.set(record.id, { record, raw: s.raw, assigned: s.assigned })
  }
  const seen = new Set<string>()
  for (const s of after) {
    const record = parseWorkflow(s.raw)
    if (!record) return 'malformed record'
    if (seen.has(record.id)) return 'duplicated record'
    seen.add(record.id)
    const previous = old.get(record.id) ?? (record.assignees.length === 0 ? { record: newWorkflow(record.id), raw: '', assigned: s.assigned } : null)
    if (!previous) return 'only the owner assigns sections'
    if (previous.raw === s.raw) continue
    const p = previous.record
    if (JSON.stringify(p.assignees) !== JSON.stringify(record.assignees)) return 'only the owner assigns sections'
    const entry = record.log.at(-1)
    const expectedLog = [...p.log, entry].slice(-LOG_LIMIT)
    if (!entry || JSON.stringify(expectedLog) !== JSON.stringify(record.log)) return 'the log must gain exactly one entry'
    if (entry.by.id !== actor.id || entry.status !== record.status) return 'the entry must be in the actor’s name'
    if (transition(p.status, entry.action, standingOf(actor.role, previous.assigned)) !== record.status) return `not allowed: ${entry.action} from ${p.status}`
  }
  for (const [id, previous] of old) if (!seen.has(id) && before.find((s) => s.raw === previous.raw)?.kept) return 'a record was removed from a section that stays'
  return null
}

/** The status as a data attribute on the section element (for styling the section header). */
export function workflowHTMLAttributes(value: unknown): Record<string, string> {
  const record = parseWorkflow(value)
  return record ? { 'data-workflow-status': record.status } : {}
}
