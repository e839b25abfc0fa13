/**
 * Where a figure's value came from and who vouched for it. Kept as attributes of the placeholder mark
 * (shared/editor/marks/Placeholder.ts) so it lives in the shared document, reaches everyone live and is
 * kept by versions. Every attribute describes the value it was recorded for (`filledValue`,
 * `verifiedValue`): once the text is changed by hand, the record no longer vouches for it.
 */

export const PROVENANCE_ATTRIBUTES = [
  /** The mask the figure had before it was filled (`**`), to put back when an import is undone. */
  'mask',
  /** 数据来源, as given by whoever supplied the value. */
  'source',
  /** 负责部门或人员. */
  'assignee',
  'filledBy',
  'filledById',
  'filledAt',
  /** How the value arrived: 'sheet' (统计数据征集表), 'sidebar' or 'api'. */
  'filledVia',
  'filledValue',
  /** The spreadsheet import that filled it, so that import can be undone as one change. */
  'importId',
  'verifiedBy',
  'verifiedById',
  'verifiedAt',
  'verifiedValue',
] as const

export type ProvenanceAttribute = (typeof PROVENANCE_ATTRIBUTES)[number]
export type Provenance = Record<ProvenanceAttribute, string | null>
export type FillVia = 'sheet' | 'sidebar' | 'api'

/** 待填 / 待核实 / 已核实. */
export const FIGURE_STATUSES = ['unfilled', 'unverified', 'verified'] as const
export type FigureStatus = (typeof FIGURE_STATUSES)[number]

export function provenanceOf(attrs: Record<string, unknown>): Provenance {
  return Object.fromEntries(PROVENANCE_ATTRIBUTES.map((name) => [name, typeof attrs[name] === 'string' ? attrs[name] : null])) as Provenance
}

/** A verification counts only for the value that was verified: retyping the figure makes it 待核实 again. */
export function figureStatus(filled: boolean, value: string, provenance: Provenance): FigureStatus {
  if (!filled) return 'unfilled'
  return provenance.verifiedAt && provenance.verifiedValue === value ? 'verified' : 'unverified'
}

/** Attributes that drop every record of a value (the figure is a mask again). */
export const CLEARED_PROVENANCE: Omit<Provenance, 'mask'> = Object.fromEntries(
  PROVENANCE_ATTRIBUTES.filter((name) => name !== 'mask').map((name) => [name, null]),
) as Omit<Provenance, 'mask'>
