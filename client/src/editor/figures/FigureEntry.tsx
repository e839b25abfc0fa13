import type { Editor } from '@tiptap/react'
import { memo, useState, type KeyboardEvent } from 'react'
import type { Figure } from '../../../../shared/figures/figures'
import { t } from '../../strings'
import { figureApi, figureErrorText, problemText } from './figureApi'

export function focusPlaceholder(editor: Editor, id: string): void {
  editor.chain().selectPlaceholder(id).focus().run()
  const { from } = editor.state.selection
  const dom = editor.view.domAtPos(from).node
  const element = dom instanceof HTMLElement ? dom : dom.parentElement
  element?.scrollIntoView({ block: 'center', behavior: 'instant' })
}

export const shortTime = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }) : ''

function Context({ context }: { context: string }) {
  const open = context.indexOf('【')
  const close = context.lastIndexOf('】')
  if (open < 0 || close < open) return <>{context}</>
  return (
    <>
      {context.slice(0, open)}
      <mark className="placeholder-entry__mask">{context.slice(open + 1, close)}</mark>
      {context.slice(close + 1)}
    </>
  )
}

/** Source, who filled it and when, who verified it, and what is wrong with it: shown in the sidebar and on hover. */
export function FigureMeta({ figure, others }: { figure: Figure; others: string[] }) {
  const { provenance: p } = figure
  const f = t.figures
  return (
    <div className="figure-meta" data-testid="figure-meta">
      <div>
        <span className={`figure-state figure-state--${figure.status}`} data-testid="figure-status">
          {f.statuses[figure.status]}
        </span>
        <span className="figure-meta__value">{figure.text}</span>
        {figure.unit && <span>{figure.unit}</span>}
      </div>
      <div data-testid="figure-source">
        {f.source}：{p.source ?? f.noSource}
        {p.assignee && `　${f.assignee}：${p.assignee}`}
      </div>
      {p.filledBy && (
        <div>
          {f.filledBy(p.filledBy, shortTime(p.filledAt))}
          {p.filledVia === 'sheet' && f.viaSheet}
        </div>
      )}
      {figure.status === 'verified' && p.verifiedBy && <div>{f.verifiedBy(p.verifiedBy, shortTime(p.verifiedAt))}</div>}
      {figure.editedSince && <div className="figure-meta__warn">{f.editedSince}</div>}
      {figure.problem && <div className="figure-meta__warn" data-testid="figure-problem">⚠ {problemText(figure.problem)}</div>}
      {others.length > 0 && <div className="figure-meta__warn" data-testid="figure-conflict">⚠ {f.conflict(others.map((value) => `“${value}”`).join('、'))}</div>}
    </div>
  )
}

export interface EntryProps {
  editor: Editor
  documentId: string
  figure: Figure
  /** Values of the figures this one conflicts with. */
  others: string[]
  canFill: boolean
  canVerify: boolean
  /** Failures also go to the panel: a figure someone else filled first leaves the 待填 list with its entry. */
  onNotice: (text: string) => void
  /** What this person is typing for the figure, so the panel can tell them if someone else fills it first. */
  onDraft: (id: string, value: string) => void
}

/**
 * One figure in the sidebar. Filling and verifying go through the server (PATCH /figures with the
 * text this person saw), so when two people fill the same figure the first value wins and the second
 * person is told what is there now. Memoised on what it shows: a keystroke elsewhere changes no entry.
 */
export const FigureEntry = memo(
  function FigureEntry({ editor, documentId, figure, others, canFill, canVerify, onNotice, onDraft }: EntryProps) {
    const [value, setValue] = useState('')
    const [message, setMessage] = useState<{ text: string; ok?: boolean } | null>(null)
    const [busy, setBusy] = useState(false)
    const send = async (change: Parameters<typeof figureApi.change>[1][number]) => {
      setBusy(true)
      setMessage(null)
      try {
        const result = await figureApi.change(documentId, [change])
        if (result.applied.some((entry) => entry.suggested)) setMessage({ text: t.figures.suggested, ok: true })
        const problem = result.applied.find((entry) => entry.problem)?.problem
        // Filled anyway (`十余次` is a real figure), but flagged here, in the list and in the text.
        if (problem) onNotice(t.figures.filledWithProblem(figure.context, problemText(problem)))
        setValue('')
        onDraft(figure.id, '')
      } catch (error) {
        const text = figureErrorText(error)
        setMessage({ text })
        onNotice(text)
      } finally {
        setBusy(false)
      }
    }
    const fill = () => {
      const figureValue = value.trim()
      if (figureValue) void send({ id: figure.id, value: figureValue, expected: figure.text, force: true })
    }
    const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
      if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
        event.preventDefault()
        fill()
      }
    }
    return (
      <li className="placeholder-entry" data-testid="placeholder-entry" data-placeholder-id={figure.id} data-status={figure.status}>
        <button type="button" className="placeholder-entry__context" onClick={() => focusPlaceholder(editor, figure.id)}>
          <span className={`kind kind--${figure.kind}`}>{t.kinds[figure.kind]}</span>
          <Context context={figure.context} />
        </button>
        {figure.filled && <FigureMeta figure={figure} others={others} />}
        {!figure.filled && canFill && (
          <input
            className="placeholder-entry__input"
            value={value}
            disabled={busy}
            placeholder={t.placeholders.fillPlaceholder}
            aria-label={`${t.placeholders.fill}：${figure.context}`}
            onChange={(event) => {
              setValue(event.target.value)
              onDraft(figure.id, event.target.value)
            }}
            onKeyDown={onKeyDown}
          />
        )}
        {figure.filled && canVerify && (
          <div className="figure-entry__actions">
            <button
              type="button"
              className="button button--small"
              disabled={busy}
              onClick={() => void send({ id: figure.id, verified: figure.status !== 'verified', expected: figure.text })}
            >
              {figure.status === 'verified' ? t.figures.unverify : t.figures.verify}
            </button>
          </div>
        )}
        {message && (
          <p className={`figure-message${message.ok ? ' figure-message--ok' : ''}`} role={message.ok ? 'status' : 'alert'} data-testid="figure-message">
            {message.text}
          </p>
        )}
      </li>
    )
  },
  (before, after) =>
    before.editor === after.editor &&
    before.canFill === after.canFill &&
    before.canVerify === after.canVerify &&
    before.others.join('\u0000') === after.others.join('\u0000') &&
    sameShown(before.figure, after.figure),
)

const SHOWN = ['id', 'kind', 'text', 'status', 'context', 'problem', 'editedSince', 'unit'] as const

/**
 * Whether an entry would show the same: compared field by field (no serialising a thousand figures
 * per refresh); the provenance is usually the very same object (shared while its block is unchanged).
 */
function sameShown(a: Figure, b: Figure): boolean {
  if (a === b) return true
  if (SHOWN.some((key) => a[key] !== b[key])) return false
  if (a.provenance === b.provenance) return true
  const keys = Object.keys(a.provenance) as Array<keyof Figure['provenance']>
  return keys.length === Object.keys(b.provenance).length && keys.every((key) => a.provenance[key] === b.provenance[key])
}
