import type { Node as PMNode } from '@tiptap/pm/model'
import { parseWorkflow, WORKFLOW_ATTR, type Person, type SectionStatus, type SectionWorkflow } from './workflow'

/** What joint drafting says about one section, with what it inherits from the sections around it. */
export interface SectionState {
  pos: number
  record: SectionWorkflow | null
  /** Assignees of this section and of every section containing it (drafting 一 includes its （一）). */
  assignees: Person[]
  /** Own status, or 'drafting' without a record. */
  status: SectionStatus
  /** This section or one containing it is 定稿. */
  locked: boolean
}

/** Every section in document order (same order as analyzeReport's sections). */
export function sectionStates(doc: PMNode): SectionState[] {
  const states: SectionState[] = []
  const walk = (node: PMNode, offset: number, inherited: Person[], locked: boolean) => {
    node.forEach((child, childOffset) => {
      if (child.type.name !== 'section') return
      const pos = offset + childOffset
      const record = parseWorkflow(child.attrs[WORKFLOW_ATTR])
      const assignees = [...inherited, ...(record?.assignees ?? []).filter((p) => !inherited.some((q) => q.id === p.id))]
      const isLocked = locked || record?.status === 'final'
      states.push({ pos, record, assignees, status: record?.status ?? 'drafting', locked: isLocked })
      walk(child, pos + 1, assignees, isLocked)
    })
  }
  walk(doc, 0, [], false)
  return states
}

/** The innermost section around `pos`, or null outside every section. */
export function stateAt(states: SectionState[], doc: PMNode, pos: number): SectionState | null {
  let found: SectionState | null = null
  for (const state of states) {
    if (state.pos >= pos) break
    const node = doc.nodeAt(state.pos)
    if (node && pos < state.pos + node.nodeSize) found = state
  }
  return found
}

/**
 * Why a drafter's direct edit of [from, to] would be refused under 按分工编辑 (the server's rule,
 * server/extensions/SectionGuard.ts), or null: every section the range touches — the innermost around
 * each end and every one starting between — must be theirs and not 定稿.
 */
export function notDirectReason(doc: PMNode, from: number, to: number, userId: string, states: SectionState[] = sectionStates(doc)): 'not-mine' | 'final' | null {
  const touched = [stateAt(states, doc, from), stateAt(states, doc, to), ...states.filter((s) => s.pos >= from && s.pos < to)]
  if (touched.some((s) => s?.locked)) return 'final'
  return touched.every((s) => editableBy(s, userId)) ? null : 'not-mine'
}

/** Whether a drafter may edit directly at `state` under 按分工编辑. */
export const editableBy = (state: SectionState | null, userId: string) => !!state && !state.locked && state.assignees.some((p) => p.id === userId)

/**
 * The document as the server compares it for a drafter under 按分工编辑: every record left out (they
 * are checked on their own), and every run of sections the drafter may edit replaced by one marker
 * holding only the sections inside it that they may not edit (a 定稿 sub-section). If this is the same
 * before and after an update (with the drafter's own suggestions withdrawn first), the update changed
 * nothing outside their sections. Runs are merged so that moving, promoting or demoting among one's
 * own sections is allowed; a section moved into or out of them changes the form.
 */
export function sectionForm(doc: PMNode, userId: string): PMNode {
  const regionAttrs = { [WORKFLOW_ATTR]: '#region' }
  const isRegion = (node: PMNode) => node.type.name === 'section' && node.attrs[WORKFLOW_ATTR] === '#region'
  const form = (node: PMNode, assigned: boolean, locked: boolean): PMNode => {
    const record = node.type.name === 'section' ? parseWorkflow(node.attrs[WORKFLOW_ATTR]) : null
    const mine = assigned || !!record?.assignees.some((p) => p.id === userId)
    const isLocked = locked || record?.status === 'final'
    const editable = node.type.name === 'section' && mine && !isLocked
    const children: PMNode[] = []
    node.forEach((child) => {
      if (child.type.name === 'section') children.push(form(child, mine, isLocked))
      else if (!editable) children.push(child)
    })
    // Merge neighbouring regions (and, inside a region, take the islands out of nested regions).
    const merged: PMNode[] = []
    for (const child of children) {
      const last = merged.at(-1)
      if (editable && isRegion(child)) merged.push(...childrenOf(child).slice(1))
      else if (last && isRegion(last) && isRegion(child)) merged[merged.length - 1] = region(node, [...childrenOf(last).slice(1), ...childrenOf(child).slice(1)])
      else merged.push(child)
    }
    if (editable) return region(node, merged)
    if (node.type.name !== 'section') return node.type.create(node.attrs, merged, node.marks)
    return node.type.create({ ...node.attrs, [WORKFLOW_ATTR]: null }, merged, node.marks)
  }
  const childrenOf = (node: PMNode) => {
    const list: PMNode[] = []
    node.forEach((child) => list.push(child))
    return list
  }
  const region = (like: PMNode, islands: PMNode[]) => {
    const title = like.type.schema.nodes.sectionTitle.create()
    return like.type.schema.nodes.section.create(regionAttrs, [title, ...islands])
  }
  return form(doc, false, false)
}

/**
 * The document with every record left out: what the review guard compares (records are checked on
 * their own). Nodes without records below them are kept as they are (no copy of a report without any).
 */
export function withoutRecords(doc: PMNode): PMNode {
  const strip = (node: PMNode): PMNode => {
    if (node.isTextblock || node.isLeaf) return node
    let changed = node.type.name === 'section' && node.attrs[WORKFLOW_ATTR] !== null
    const children: PMNode[] = []
    node.forEach((child) => {
      const stripped = strip(child)
      if (stripped !== child) changed = true
      children.push(stripped)
    })
    if (!changed) return node
    const attrs = node.type.name === 'section' ? { ...node.attrs, [WORKFLOW_ATTR]: null } : node.attrs
    return node.type.create(attrs, children, node.marks)
  }
  return strip(doc)
}
