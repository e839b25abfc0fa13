import { useEffect, useState } from 'react'
import { createPortal } from 'react-dom'
import type { FigureImportResult } from '../../../../shared/figures/api'
import type { RejectedRow } from '../../../../shared/figures/importPlan'
import { t } from '../../strings'
import { figureApi, FigureApiError, problemText } from './figureApi'
import './figures.css'

function reasonText(row: RejectedRow): string {
  const reasons = t.figures.dialog.reasons
  switch (row.reason) {
    case 'bad-value':
      return reasons['bad-value'](problemText(row.problem))
    case 'filled-differently':
      return reasons['filled-differently'](row.current ?? '', row.currentBy ?? null)
    case 'duplicate':
      return reasons.duplicate(row.current ?? '')
    default:
      return reasons[row.reason]
  }
}

/**
 * What an import of a filled 征集表 did: how many figures were filled (one change, undone as one),
 * which rows were skipped, and every rejected row with its reason. Rendered in a portal on
 * document.body so no side panel (contain: strict, overflow) can clip it.
 */
export function ImportDialog({ documentId, result, onClose }: { documentId: string; result: FigureImportResult; onClose: () => void }) {
  const [undone, setUndone] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const d = t.figures.dialog
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  const undo = async () => {
    if (!result.importId) return
    try {
      const { restored, kept } = await figureApi.undoImport(documentId, result.importId)
      setUndone(d.undone(restored, kept))
    } catch (caught) {
      setError(caught instanceof FigureApiError ? caught.message : String(caught))
    }
  }
  return createPortal(
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal figure-import-dialog" role="dialog" aria-label={d.title} onClick={(event) => event.stopPropagation()} data-testid="figure-import-dialog">
        <h2>{d.title}</h2>
        <ul className="figure-import-dialog__summary">
          <li data-testid="import-applied">{result.applied.length > 0 ? d.applied(result.applied.length) : d.nothingApplied}</li>
          {result.empty > 0 && <li>{d.empty(result.empty)}</li>}
          {result.unchanged > 0 && <li>{d.unchanged(result.unchanged)}</li>}
        </ul>
        {result.rejected.length > 0 && (
          <>
            <p className="figure-import-dialog__rejected-title" data-testid="import-rejected-count">
              {d.rejected(result.rejected.length)}
            </p>
            <div className="figure-import-dialog__table-wrap">
              <table className="figure-import-dialog__table">
                <thead>
                  <tr>
                    <th>{d.columns.place}</th>
                    <th>{d.columns.figure}</th>
                    <th>{d.columns.value}</th>
                    <th>{d.columns.reason}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rejected.map((row) => (
                    <tr key={`${row.sheet}-${row.row}`} data-testid="rejected-row" title={`${d.columns.id}：${row.id}`}>
                      <td>{d.place(row.sheet, row.row)}</td>
                      <td>{row.context ?? row.id}</td>
                      <td className="figure-import-dialog__value">{row.value}</td>
                      <td>{reasonText(row)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        {undone && <p className="check-ok">{undone}</p>}
        {error && <p className="form-error">{error}</p>}
        <div className="modal__actions">
          {result.importId && !undone && (
            <button type="button" className="button" onClick={() => void undo()}>
              {d.undo}
            </button>
          )}
          <button type="button" className="button button--primary" onClick={onClose} autoFocus>
            {d.close}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  )
}
