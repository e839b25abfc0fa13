import type { Node as PMNode } from '@tiptap/pm/model'
import type { Editor } from '@tiptap/react'
import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react'
import type { ReportAnalysis } from '../../../shared/editor/lib/analyzeReport'
import type { FigureImportResult } from '../../../shared/figures/api'
import { listFigures, type Figure } from '../../../shared/figures/figures'
import { FIGURE_STATUSES, type FigureStatus } from '../../../shared/figures/provenance'
import { PLACEHOLDER_KINDS, type PlaceholderKind } from '../../../shared/report/kinds'
import { sectionPlace } from '../../../shared/report/numbering'
import { api, type DocumentMeta } from '../api'
import { errorMessage } from '../errors'
import { saveFile } from '../saveFile'
import { t } from '../strings'
import { figureApi, figureErrorText } from './figures/figureApi'
import { FigureEntry } from './figures/FigureEntry'
import { ImportDialog } from './figures/ImportDialog'
import { ChunkSpacer, useRevealed } from './lazyList/ChunkSpacer'
import { chunkByWeight, isChunkShown } from './lazyList/chunks'

export { focusPlaceholder } from './figures/FigureEntry'

/**
 * Entries (plus one per group heading) rendered at once when the list opens; later groups are rendered
 * in runs of about as many when they near the view (lazyList/chunks.ts). Heights in px of a group
 * heading and of an unfilled entry, for the boxes standing in for groups not rendered yet.
 */
const CHUNK_ENTRIES = 60
const GROUP_HEIGHT = 32
const ENTRY_HEIGHT = 103

/** 导出征集表 / 导入征集表 and the owner's "verify before submitting" switch. */
function CollectTools({ meta, analysis, onImported, onNotice }: { meta: DocumentMeta; analysis: ReportAnalysis; onImported: (result: FigureImportResult) => void; onNotice: (text: string) => void }) {
  const [section, setSection] = useState('all')
  const [busy, setBusy] = useState(false)
  // From the document's entry, as the page got it: asking GET /figures for it fetched every figure
  // of the report (~1 MB for 1,000 figures, worked out on the server) on each open, for one flag.
  const [requireVerified, setRequireVerified] = useState(meta.requireVerifiedFigures === true)
  const file = useRef<HTMLInputElement>(null)
  const tops = analysis.sections.filter((entry) => entry.level === 1)
  const isOwner = meta.role === 'owner'
  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0]
    event.target.value = ''
    if (!chosen) return
    setBusy(true)
    try {
      onImported(await figureApi.importSheet(meta.id, chosen))
    } catch (error) {
      onNotice(figureErrorText(error))
    } finally {
      setBusy(false)
    }
  }
  // Fetched rather than linked: offline or refused, the person is told (a link failed without a word).
  const [exporting, setExporting] = useState(false)
  const exportSheet = async () => {
    setExporting(true)
    try {
      const sheet = await api.download(figureApi.exportUrl(meta.id, section === 'all' ? undefined : Number(section)), `${meta.title}-征集表.xlsx`)
      saveFile(sheet.blob, sheet.name)
    } catch (error) {
      onNotice(`${t.figures.exportFailed}${errorMessage(error)}`)
    } finally {
      setExporting(false)
    }
  }
  const toggleRequired = async (value: boolean) => {
    try {
      setRequireVerified((await figureApi.setRequireVerified(meta.id, value)).requireVerifiedFigures)
    } catch (error) {
      onNotice(figureErrorText(error))
    }
  }
  return (
    <>
      <div className="figure-tools">
        <select aria-label={t.figures.exportSection} value={section} onChange={(event) => setSection(event.target.value)} data-testid="export-section">
          <option value="all">{t.figures.exportAll}</option>
          {tops.map((entry, index) => (
            <option key={entry.pos} value={String(index)}>
              {entry.label}
            </option>
          ))}
        </select>
        <button type="button" className="button button--small" title={t.figures.exportHint} disabled={exporting} onClick={() => void exportSheet()}>
          {exporting ? t.figures.exporting : t.figures.export}
        </button>
        <button type="button" className="button button--small" title={t.figures.importHint} disabled={busy} onClick={() => file.current?.click()}>
          {busy ? t.figures.importing : t.figures.import}
        </button>
        <input ref={file} className="figure-tools__file" type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(event) => void importFile(event)} data-testid="import-file" />
      </div>
      {isOwner && (
        <label className="checkbox figure-tools__require">
          <input type="checkbox" checked={requireVerified} onChange={(event) => void toggleRequired(event.target.checked)} /> {t.figures.requireVerified}
        </label>
      )}
    </>
  )
}

/**
 * `fillNote`, when set, says why figures cannot be filled here (查看 mode, a submitted report); the inputs are hidden.
 * `mySections`: indices of the sections assigned to me (joint drafting), null when nothing is assigned.
 */
export function PlaceholderPanel({
  editor,
  analysis,
  doc,
  meta,
  fillNote,
  mySections = null,
}: {
  editor: Editor
  analysis: ReportAnalysis
  /** The document `analysis` describes (the panel follows it, a pause behind the typing). */
  doc: PMNode
  meta: DocumentMeta
  fillNote: string | null
  mySections?: Set<number> | null
}) {
  const [status, setStatus] = useState<FigureStatus>('unfilled')
  const [kind, setKind] = useState<PlaceholderKind | 'all'>('all')
  const [mineOnly, setMineOnly] = useState(false)
  const [imported, setImported] = useState<FigureImportResult | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const onNotice = useCallback((text: string) => setNotice(text), [])
  const drafts = useRef(new Map<string, string>())
  const onDraft = useCallback((id: string, value: string) => {
    if (value.trim()) drafts.current.set(id, value.trim())
    else drafts.current.delete(id)
  }, [])
  // The analysis is refreshed after a pause in typing; the figures follow the same document (memoised per document, and per block).
  const allFigures = useMemo(() => listFigures(doc), [doc])
  const byId = useMemo(() => new Map(allFigures.map((figure) => [figure.id, figure])), [allFigures])
  // 我的章节: only the figures whose innermost section is one assigned to me.
  const figures = useMemo(() => {
    if (!mineOnly || !mySections) return allFigures
    const sectionOf = new Map(analysis.placeholders.map((placeholder) => [placeholder.id, placeholder.section]))
    return allFigures.filter((figure) => mySections.has(sectionOf.get(figure.id) ?? -1))
  }, [allFigures, analysis.placeholders, mineOnly, mySections])
  // Someone else filled a figure this person was typing a value for: their entry leaves the list, so say why.
  useEffect(() => {
    for (const [id, draft] of drafts.current) {
      const figure = byId.get(id)
      if (!figure?.filled) continue
      drafts.current.delete(id)
      if (figure.text !== draft) setNotice(t.figures.errors['figure-conflict'](figure.text, figure.provenance.filledBy))
    }
  }, [byId])
  const counts = useMemo(() => Object.fromEntries(FIGURE_STATUSES.map((s) => [s, figures.filter((figure) => figure.status === s).length])) as Record<FigureStatus, number>, [figures])
  const inStatus = useMemo(() => figures.filter((figure) => figure.status === status), [figures, status])
  const kindCounts = useMemo(() => {
    const result = new Map<PlaceholderKind, number>()
    for (const figure of inStatus) result.set(figure.kind, (result.get(figure.kind) ?? 0) + 1)
    return result
  }, [inStatus])
  const shown = kind === 'all' ? inStatus : inStatus.filter((figure) => figure.kind === kind)
  const groups = useMemo(() => {
    const bySection = new Map<string, Figure[]>()
    for (const figure of shown) {
      const key = figure.sectionLabels.join(' › ')
      bySection.set(key, [...(bySection.get(key) ?? []), figure])
    }
    return [...bySection.entries()]
  }, [shown])
  const chunks = useMemo(() => chunkByWeight(groups, ([, entries]) => entries.length + 1, CHUNK_ENTRIES), [groups])
  const [revealed, reveal] = useRevealed()
  const submitted = meta.status === 'submitted'
  const canFill = !fillNote && !submitted && meta.role !== 'viewer'
  const canVerify = !submitted && (meta.role === 'owner' || meta.role === 'reviewer')
  const canCollect = !submitted && (meta.role === 'owner' || meta.role === 'drafter')
  const unfilled = analysis.unfilled.length

  return (
    <div className="placeholders" aria-label={t.placeholders.title} data-testid="placeholder-panel">
      <div className="panel__head">
        <h2 className="panel__title">
          {t.placeholders.title}
          <span className="badge badge--strong" data-testid="unfilled-count">
            {unfilled}
          </span>
        </h2>
        <div className="panel__actions">
          <button type="button" className="tool" title={t.placeholders.previous} aria-label={t.placeholders.previous} onClick={() => editor.chain().goToUnfilledPlaceholder(-1).focus().run()}>
            ↑
          </button>
          <button type="button" className="tool" title={t.placeholders.next} aria-label={t.placeholders.next} onClick={() => editor.chain().goToUnfilledPlaceholder(1).focus().run()}>
            ↓
          </button>
        </div>
      </div>
      <p className="panel__summary">{unfilled > 0 ? t.placeholders.total(unfilled) : t.placeholders.allFilled}</p>
      {fillNote && unfilled > 0 && (
        <p className="panel__summary" data-testid="fill-note">
          {fillNote}
        </p>
      )}
      {canCollect && <CollectTools meta={meta} analysis={analysis} onImported={setImported} onNotice={onNotice} />}
      {notice && (
        <p className="figure-message figure-notice" role="alert" data-testid="figure-notice" onClick={() => setNotice(null)}>
          {notice}
        </p>
      )}
      {mySections && (
        <label className="panel__summary">
          <input type="checkbox" checked={mineOnly} onChange={(event) => setMineOnly(event.target.checked)} data-testid="placeholders-mine" />
          {t.sections.mine}
        </label>
      )}
      <div className="chips" role="group" aria-label={t.placeholders.title}>
        {FIGURE_STATUSES.map((s) => (
          <button key={s} type="button" className={`chip${status === s ? ' chip--active' : ''}`} aria-pressed={status === s} data-testid={`status-${s}`} onClick={() => { setStatus(s); setKind('all') }}>
            {t.figures.statuses[s]} <span data-testid={`status-count-${s}`}>{counts[s]}</span>
          </button>
        ))}
      </div>
      {kindCounts.size > 1 && (
        <div className="chips" role="group">
          <button type="button" className={`chip${kind === 'all' ? ' chip--active' : ''}`} onClick={() => setKind('all')}>
            {t.placeholders.all} {inStatus.length}
          </button>
          {PLACEHOLDER_KINDS.filter((k) => kindCounts.has(k)).map((k) => (
            <button key={k} type="button" className={`chip${kind === k ? ' chip--active' : ''}`} onClick={() => setKind(k)}>
              {t.kinds[k]} {kindCounts.get(k)}
            </button>
          ))}
        </div>
      )}
      {shown.length === 0 && <p className="panel__empty">{t.figures.emptyStatus[status]}</p>}
      <div className="placeholders__groups">
        {/* One flat list keyed by section: a group moving into another chunk is kept, with what is typed in it. */}
        {chunks.flatMap((chunk, index) => {
          const keys = chunk.map(([section]) => section)
          if (!isChunkShown(index, keys, revealed)) {
            const entries = chunk.reduce((n, [, list]) => n + list.length, 0)
            return [<ChunkSpacer key={`\u0000chunk:${keys[0]}`} as="div" height={chunk.length * GROUP_HEIGHT + entries * ENTRY_HEIGHT} count={entries} onNear={() => reveal(keys)} />]
          }
          return chunk.map(([section, entries]) => (
            <section key={section} className="placeholder-group" data-testid="placeholder-group">
              <h3 className="placeholder-group__title" title={section || undefined}>
                <span>{sectionPlace(entries[0].sectionLabels) || t.placeholders.preamble}</span>
                <span className="badge">{entries.length}</span>
              </h3>
              <ul className="placeholder-group__list">
                {entries.map((figure) => (
                  <FigureEntry
                    key={figure.id}
                    editor={editor}
                    documentId={meta.id}
                    figure={figure}
                    others={figure.conflictsWith.map((id) => byId.get(id)?.text ?? '')}
                    canFill={canFill}
                    canVerify={canVerify}
                    onNotice={onNotice}
                    onDraft={onDraft}
                  />
                ))}
              </ul>
            </section>
          ))
        })}
      </div>
      {status === 'unfilled' && counts.unverified > 0 && <p className="panel__foot">{t.placeholders.filledToVerify(counts.unverified)}</p>}
      {imported && <ImportDialog documentId={meta.id} result={imported} onClose={() => setImported(null)} />}
    </div>
  )
}
