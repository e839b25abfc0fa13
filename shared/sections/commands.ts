import type { Command } from '@tiptap/pm/state'
import { newId } from '../editor/lib/ids'
import { SKIP_SUGGEST } from '../editor/suggestions/meta'
import { applyAction, newWorkflow, parseWorkflow, serializeWorkflow, WORKFLOW_ATTR, type Person, type WorkflowAction } from './workflow'

/**
 * Records an assignment or a status change on the section at `pos`. Kept out of the undo history
 * (Ctrl+Z): undoing is an action of its own (undoAction), allowed only to those the state machine
 * allows, so an undo never produces a change the server refuses. Never turned into a suggestion
 * (a leader approves from 建议 mode): the server checks it as a status change.
 */
export function sectionAction(pos: number, action: WorkflowAction, by: Person, assignees?: Person[], at = new Date().toISOString()): Command {
  return (state, dispatch) => {
    const node = state.doc.nodeAt(pos)
    if (!node || node.type.name !== 'section') return false
    const record = parseWorkflow(node.attrs[WORKFLOW_ATTR]) ?? newWorkflow(newId('s'))
    const next = applyAction(record, action, by, at, assignees)
    if (action !== 'assign' && next.status === record.status) return false
    dispatch?.(state.tr.setNodeAttribute(pos, WORKFLOW_ATTR, serializeWorkflow(next)).setMeta('addToHistory', false).setMeta(SKIP_SUGGEST, true))
    return true
  }
}
