import type { Figure } from './figures'
import type { RejectedRow } from './importPlan'
import type { FigureStatus } from './provenance'

/** The figures API (GET/PATCH /api/documents/:id/figures, the 征集表 export and import): one contract for server and client. */

export type FigureView = Omit<Figure, 'from' | 'to'>

export interface FiguresResponse {
  figures: FigureView[]
  counts: Record<FigureStatus, number>
  /** The owner's choice: unverified figures block submission. */
  requireVerifiedFigures: boolean
}

/** One change in PATCH /figures. `expected` is the text the caller saw: if the figure holds something else now, nothing is applied (409). */
export interface FigureChange {
  id: string
  value?: string
  expected?: string
  source?: string
  verified?: boolean
  /** Fill even if the value does not fit the figure's kind (`十余` in a 数量): it is then flagged, not refused. */
  force?: boolean
}

export interface FigurePatchResult {
  applied: { id: string; value?: string; suggested?: boolean; verified?: boolean; problem?: string }[]
}

export interface FigureImportResult {
  /** Null when nothing was applied. */
  importId: string | null
  applied: { id: string; value: string }[]
  rejected: RejectedRow[]
  unchanged: number
  empty: number
}

/** Machine-readable reasons in the JSON error body (`{ error, code, … }`); the client words them in Chinese. */
export const FIGURE_ERROR_CODES = [
  /** Someone else filled the figure first: `current` and `filledBy` say with what. */
  'figure-conflict',
  /** The value does not fit the figure's kind: `problem` says how. */
  'figure-bad-value',
  'figure-unknown',
  /** Only a filled figure can be marked 已核实. */
  'figure-unfilled',
  /** 查看者 may only comment. */
  'figure-viewer',
  /** Only the owner or a 审阅人 (the leader) marks figures 已核实. */
  'figure-verify-role',
  /** A 审阅人 suggests values; sources belong to whoever fills. */
  'figure-reviewer-source',
  'figure-import-unknown',
  /** A submitted report is read-only until its owner reopens it. */
  'document-submitted',
  'sheet-unreadable',
] as const
export type FigureErrorCode = (typeof FIGURE_ERROR_CODES)[number]

export interface FigureErrorBody {
  error: string
  code: FigureErrorCode
  id?: string
  current?: string
  filledBy?: string | null
  problem?: string
}

export const toFigureView = ({ from: _from, to: _to, ...view }: Figure): FigureView => view
