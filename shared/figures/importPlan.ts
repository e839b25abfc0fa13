import type { PlaceholderFill } from '../editor/commands/placeholders'
import type { Figure } from './figures'
import type { FillVia } from './provenance'
import type { SheetRow } from './sheet'
import { checkValue, type ValueProblem } from './values'

/**
 * Which rows of a filled 统计数据征集表 can be applied and which cannot. Nothing is applied from a row
 * that does not fit; every such row is listed with its reason so the drafter can chase it.
 */
export type RejectReason =
  /** No figure with this id (deleted, or the sheet belongs to another report). */
  | 'unknown-id'
  /** The value does not fit the figure's kind; `problem` says how. */
  | 'bad-value'
  /** The words around the figure changed since the sheet was exported. */
  | 'context-changed'
  /** The figure was filled meanwhile with another value; `current` holds it. */
  | 'filled-differently'
  /** The same id appears again in the sheet with another value. */
  | 'duplicate'

export interface RejectedRow {
  sheet: string
  row: number
  id: string
  value: string
  reason: RejectReason
  /** Where the figure is (its words around, the figure in 【】), when the id is known. */
  context?: string
  problem?: ValueProblem
  /** For filled-differently: the value in the report and who filled it. */
  current?: string
  currentBy?: string | null
}

export interface ImportPlan {
  fills: PlaceholderFill[]
  rejected: RejectedRow[]
  /** Rows whose figure already holds exactly this value. */
  unchanged: number
  /** Rows left empty by the department. */
  empty: number
}

export interface Importer {
  userId: string
  displayName: string
  /** ISO time of the import. */
  at: string
  importId: string
  via?: FillVia
}

/** `85%` for a figure followed by `%` is 85: people often type the unit the report already has. */
function withoutUnit(value: string, unit: string | null): string {
  const trimmed = value.trim()
  return unit && trimmed.endsWith(unit) && trimmed.length > unit.length ? trimmed.slice(0, -unit.length).trim() : trimmed
}

export function planImport(figures: readonly Figure[], rows: readonly SheetRow[], importer: Importer): ImportPlan {
  const byId = new Map(figures.map((figure) => [figure.id, figure]))
  const plan: ImportPlan = { fills: [], rejected: [], unchanged: 0, empty: 0 }
  const taken = new Map<string, string>()
  for (const row of rows) {
    if (row.value.trim() === '') {
      plan.empty++
      continue
    }
    const reject = (reason: RejectReason, extra: Partial<RejectedRow> = {}) =>
      plan.rejected.push({ sheet: row.sheet, row: row.row, id: row.id, value: row.value, reason, ...extra })
    const figure = byId.get(row.id)
    if (!figure) {
      reject('unknown-id')
      continue
    }
    const rejectFigure = (reason: RejectReason, extra: Partial<RejectedRow> = {}) => reject(reason, { context: figure.context, ...extra })
    const value = withoutUnit(row.value, figure.unit)
    const earlier = taken.get(row.id)
    if (earlier !== undefined) {
      if (earlier !== value) rejectFigure('duplicate', { current: earlier })
      continue
    }
    taken.set(row.id, value)
    if (row.contextKey && row.contextKey !== figure.contextKey) {
      rejectFigure('context-changed')
      continue
    }
    const problem = checkValue(figure.kind, value, figure.unit)
    if (problem) {
      rejectFigure('bad-value', { problem })
      continue
    }
    if (figure.filled) {
      if (figure.text === value) plan.unchanged++
      else rejectFigure('filled-differently', { current: figure.text, currentBy: figure.provenance.filledBy })
      continue
    }
    plan.fills.push({
      id: figure.id,
      value,
      attrs: {
        source: row.source || null,
        assignee: row.assignee || null,
        filledBy: importer.displayName,
        filledById: importer.userId,
        filledAt: importer.at,
        filledVia: importer.via ?? 'sheet',
        importId: importer.importId,
        verifiedBy: null,
        verifiedById: null,
        verifiedAt: null,
        verifiedValue: null,
      },
    })
  }
  return plan
}
