import { randomBytes } from 'node:crypto'
import { fillPlaceholders, setPlaceholderAttrs, suggestPlaceholderValue, type PlaceholderFill } from '../../shared/editor/commands/placeholders'
import { yDocToNode } from '../../shared/editor/lib/ydoc'
import type { FigureChange, FigureErrorCode, FigureImportResult, FigurePatchResult, FiguresResponse } from '../../shared/figures/api'
import { toFigureView } from '../../shared/figures/api'
import { listFigures, type Figure } from '../../shared/figures/figures'
import { planImport } from '../../shared/figures/importPlan'
import { CLEARED_PROVENANCE, FIGURE_STATUSES } from '../../shared/figures/provenance'
import { buildFigureSheet, readFigureSheet, SheetReadError, type SheetSection } from '../../shared/figures/sheet'
import { checkValue } from '../../shared/figures/values'
import { runOnYDoc } from '../../shared/figures/ydocCommand'
import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import type { Role } from '../../shared/roles'
import type { CollabServer } from '../collab/CollabServer'
import type { Catalog } from '../storage/Catalog'

/** Origin of the server's own transactions on figures (fills, verification, imports). */
export const FIGURES_ORIGIN = Symbol('figures')

export interface Actor {
  id: string
  displayName: string
  role: Role
}

/** A refused figure operation, with the code and details the client turns into a Chinese message. */
export class FigureError extends Error {
  constructor(
    readonly status: number,
    readonly code: FigureErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

/**
 * Figures through the server: listing, filling and verifying (PATCH), the 征集表 export and import.
 * Every write runs synchronously between reading the live document and writing one Yjs transaction,
 * so two people filling or importing the same figure are served one after the other: the first value
 * wins and the second is refused with what is there now (the editors see the first value live).
 */
export class FigureService {
  constructor(
    private readonly collab: CollabServer,
    private readonly catalog: Catalog,
  ) {}

  private async withDocument<T>(documentId: string, use: (ydoc: import('yjs').Doc) => T): Promise<T> {
    const lease = await this.collab.lease(documentId)
    try {
      return use(lease.document.ydoc)
    } finally {
      lease.release()
    }
  }

  list(documentId: string): Promise<FiguresResponse> {
    return this.withDocument(documentId, (ydoc) => {
      const figures = listFigures(yDocToNode(ydoc))
      const counts = Object.fromEntries(FIGURE_STATUSES.map((status) => [status, figures.filter((figure) => figure.status === status).length])) as FiguresResponse['counts']
      return { figures: figures.map(toFigureView), counts, requireVerifiedFigures: this.catalog.get(documentId)?.requireVerifiedFigures === true }
    })
  }

  /** Applies every change or none: all are checked against the live document first. */
  change(documentId: string, actor: Actor, changes: readonly FigureChange[]): Promise<FigurePatchResult> {
    return this.withDocument(documentId, (ydoc) => {
      this.assertDraft(documentId)
      const figures = new Map(listFigures(yDocToNode(ydoc)).map((figure) => [figure.id, figure]))
      const now = new Date().toISOString()
      const fills: PlaceholderFill[] = []
      const suggestions: { id: string; value: string }[] = []
      const verifications: { figure: Figure; verified: boolean }[] = []
      const sources: { id: string; source: string }[] = []
      const problems = new Map<string, string>()
      for (const change of changes) {
        const figure = figures.get(change.id)
        if (!figure) throw new FigureError(404, 'figure-unknown', `No figure ${change.id}`, { id: change.id })
        checkRole(actor.role, change)
        if (change.expected !== undefined && change.expected !== figure.text) {
          throw new FigureError(409, 'figure-conflict', `Figure ${figure.id} now holds "${figure.text}"`, { id: figure.id, current: figure.text, filledBy: figure.provenance.filledBy })
        }
        if (change.value !== undefined) {
          const problem = checkValue(figure.kind, change.value, figure.unit)
          if (problem) problems.set(figure.id, problem)
          if (problem && !change.force) throw new FigureError(422, 'figure-bad-value', `Value "${change.value}" does not fit a ${figure.kind} figure (${problem})`, { id: figure.id, problem })
          if (actor.role === 'reviewer') suggestions.push({ id: figure.id, value: change.value })
          else
            fills.push({
              id: figure.id,
              value: change.value,
              attrs: { filledBy: actor.displayName, filledById: actor.id, filledAt: now, filledVia: 'api', importId: null, ...(change.source !== undefined ? { source: change.source || null } : {}) },
            })
        } else if (change.source !== undefined) sources.push({ id: figure.id, source: change.source })
        if (change.verified !== undefined) {
          if (change.verified && !(figure.filled || change.value !== undefined)) throw new FigureError(409, 'figure-unfilled', `Figure ${figure.id} is not filled`, { id: figure.id })
          verifications.push({ figure, verified: change.verified })
        }
      }
      const applied: FigurePatchResult['applied'] = []
      runOnYDoc(
        ydoc,
        (state, dispatch) => {
          let current = state
          const step = (command: Parameters<typeof runOnYDoc>[1]) => command(current, (tr) => (current = current.apply(tr)))
          if (fills.length) step(fillPlaceholders(fills))
          for (const { id, value } of suggestions) step(suggestPlaceholderValue(id, value, { authorId: actor.id, authorName: actor.displayName, createdAt: now }))
          for (const { id, source } of sources) step(setPlaceholderAttrs(id, { source: source || null }))
          for (const { figure, verified } of verifications) {
            const value = fills.find((fill) => fill.id === figure.id)?.value ?? figure.text
            step(setPlaceholderAttrs(figure.id, verified ? { verifiedBy: actor.displayName, verifiedById: actor.id, verifiedAt: now, verifiedValue: value } : { verifiedBy: null, verifiedById: null, verifiedAt: null, verifiedValue: null }))
          }
          if (current === state) return false
          // One transaction: replace the whole document with the result of all steps.
          dispatch?.(state.tr.replaceWith(0, state.doc.content.size, current.doc.content))
          return true
        },
        FIGURES_ORIGIN,
      )
      const problem = (id: string) => (problems.has(id) ? { problem: problems.get(id) } : {})
      for (const fill of fills) applied.push({ id: fill.id, value: fill.value, ...problem(fill.id) })
      for (const { id, value } of suggestions) applied.push({ id, value, suggested: true, ...problem(id) })
      for (const { figure, verified } of verifications) applied.push({ id: figure.id, verified })
      for (const { id } of sources) if (!applied.some((entry) => entry.id === id)) applied.push({ id })
      return { applied }
    })
  }

  async exportSheet(documentId: string, title: string, section?: number): Promise<Buffer> {
    const { figures, sections } = await this.withDocument(documentId, (ydoc) => {
      const doc = yDocToNode(ydoc)
      const tops = analyzeReport(doc).sections.filter((entry) => entry.level === 1)
      const sections: SheetSection[] = [{ index: -1, label: '其他' }, ...tops.map((entry, index) => ({ index, label: entry.label }))]
      return { figures: listFigures(doc).filter((figure) => !figure.filled), sections }
    })
    return buildFigureSheet(figures, section === undefined ? sections : sections.filter((entry) => entry.index === section), title)
  }

  async importSheet(documentId: string, actor: Actor, data: Buffer): Promise<FigureImportResult> {
    const rows = await readFigureSheet(data).catch((error: unknown) => {
      if (error instanceof SheetReadError) throw new FigureError(400, 'sheet-unreadable', `Cannot read the sheet: ${error.message}`)
      throw error
    })
    return this.withDocument(documentId, (ydoc) => {
      this.assertDraft(documentId)
      const importId = `imp${randomBytes(6).toString('hex')}`
      const plan = planImport(listFigures(yDocToNode(ydoc)), rows, { userId: actor.id, displayName: actor.displayName, at: new Date().toISOString(), importId })
      const applied = plan.fills.length > 0 && runOnYDoc(ydoc, fillPlaceholders(plan.fills), FIGURES_ORIGIN)
      return {
        importId: applied ? importId : null,
        applied: applied ? plan.fills.map(({ id, value }) => ({ id, value })) : [],
        rejected: plan.rejected,
        unchanged: plan.unchanged,
        empty: plan.empty,
      }
    })
  }

  /**
   * Undoes one import as one change: its figures get their masks back, except those changed since
   * (someone's later edit is not thrown away; they are reported as kept).
   */
  undoImport(documentId: string, importId: string): Promise<{ restored: number; kept: number }> {
    return this.withDocument(documentId, (ydoc) => {
      this.assertDraft(documentId)
      const figures = listFigures(yDocToNode(ydoc)).filter((figure) => figure.provenance.importId === importId)
      if (figures.length === 0) throw new FigureError(404, 'figure-import-unknown', `No figure comes from import ${importId}`)
      const restorable = figures.filter((figure) => figure.text === figure.provenance.filledValue && figure.provenance.mask)
      runOnYDoc(ydoc, fillPlaceholders(restorable.map((figure) => ({ id: figure.id, value: figure.provenance.mask!, attrs: { ...CLEARED_PROVENANCE } }))), FIGURES_ORIGIN)
      return { restored: restorable.length, kept: figures.length - restorable.length }
    })
  }

  private assertDraft(documentId: string): void {
    if (this.catalog.get(documentId)?.status === 'submitted') throw new FigureError(409, 'document-submitted', 'The document has been submitted and is read-only')
  }
}

/** The server's role rules for figures: 查看者 only comment; 审阅人 suggest values and verify; drafters fill; owners do all. */
function checkRole(role: Role, change: FigureChange): void {
  if (role === 'viewer') throw new FigureError(403, 'figure-viewer', 'A viewer may only comment')
  if (change.verified !== undefined && role !== 'owner' && role !== 'reviewer') throw new FigureError(403, 'figure-verify-role', 'Only the owner or a reviewer marks figures verified')
  if (role === 'reviewer' && change.source !== undefined) throw new FigureError(403, 'figure-reviewer-source', 'A reviewer may suggest a value, not set its source')
}
