import type { Editor } from '@tiptap/react'
import { memo, useMemo, useState, type KeyboardEvent } from 'react'
import type { PlaceholderInfo, ReportAnalysis } from '../../../shared/editor/lib/analyzeReport'
import { PLACEHOLDER_KINDS, type PlaceholderKind } from '../../../shared/report/kinds'
import { t } from '../strings'

export function focusPlaceholder(editor: Editor, id: string): void {
  editor.chain().selectPlaceholder(id).focus().run()
  const { from } = editor.state.selection
  const dom = editor.view.domAtPos(from).node
  const element = dom instanceof HTMLElement ? dom : dom.parentElement
  element?.scrollIntoView({ block: 'center', behavior: 'instant' })
}

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

/**
 * One unfilled figure. Memoised on what it shows: a keystroke elsewhere shifts every position but
 * changes no entry, and re-rendering 500 entries per refresh would cost frames.
 */
const Entry = memo(function Entry({ editor, placeholder, canFill }: { editor: Editor; placeholder: PlaceholderInfo; canFill: boolean }) {
  const [value, setValue] = useState('')
  const fill = () => {
    const figure = value.trim()
    if (!figure) return
    editor.chain().fillPlaceholder(placeholder.id, figure).run()
    setValue('')
  }
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault()
      fill()
    }
  }
  return (
    <li className="placeholder-entry" data-testid="placeholder-entry" data-placeholder-id={placeholder.id}>
      <button type="button" className="placeholder-entry__context" onClick={() => focusPlaceholder(editor, placeholder.id)}>
        <span className={`kind kind--${placeholder.kind}`}>{t.kinds[placeholder.kind]}</span>
        <Context context={placeholder.context} />
      </button>
      {canFill && (
        <input
          className="placeholder-entry__input"
          value={value}
          placeholder={t.placeholders.fillPlaceholder}
          aria-label={`${t.placeholders.fill}：${placeholder.context}`}
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={onKeyDown}
        />
      )}
    </li>
  )
}, (before, after) => before.editor === after.editor && before.canFill === after.canFill && ['id', 'kind', 'text', 'context'].every((key) => before.placeholder[key as keyof PlaceholderInfo] === after.placeholder[key as keyof PlaceholderInfo]))

/**
 * `fillNote`, when set, says why figures cannot be filled here (查看 mode, a submitted report); the inputs are hidden.
 * `mySections`: indices of the sections assigned to me (joint drafting), null when nothing is assigned.
 */
export function PlaceholderPanel({ editor, analysis, fillNote, mySections = null }: { editor: Editor; analysis: ReportAnalysis; fillNote: string | null; mySections?: Set<number> | null }) {
  const [kind, setKind] = useState<PlaceholderKind | 'all'>('all')
  const [mineOnly, setMineOnly] = useState(false)
  const { placeholders, sections } = analysis
  const unfilled = useMemo(() => (mineOnly && mySections ? analysis.unfilled.filter((p) => mySections.has(p.section)) : analysis.unfilled), [analysis.unfilled, mineOnly, mySections])
  const counts = useMemo(() => {
    const byKind = new Map<PlaceholderKind, number>()
    for (const placeholder of unfilled) byKind.set(placeholder.kind, (byKind.get(placeholder.kind) ?? 0) + 1)
    return byKind
  }, [unfilled])
  const shown = kind === 'all' ? unfilled : unfilled.filter((placeholder) => placeholder.kind === kind)
  const groups = useMemo(() => {
    const bySection = new Map<number, PlaceholderInfo[]>()
    for (const placeholder of shown) bySection.set(placeholder.section, [...(bySection.get(placeholder.section) ?? []), placeholder])
    return [...bySection.entries()]
  }, [shown])
  const filled = placeholders.length - analysis.unfilled.length

  return (
    <div className="placeholders" aria-label={t.placeholders.title} data-testid="placeholder-panel">
      <div className="panel__head">
        <h2 className="panel__title">
          {t.placeholders.title}
          <span className="badge badge--strong" data-testid="unfilled-count">
            {unfilled.length}
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
      <p className="panel__summary">{unfilled.length > 0 ? t.placeholders.total(unfilled.length) : t.placeholders.allFilled}</p>
      {fillNote && unfilled.length > 0 && (
        <p className="panel__summary" data-testid="fill-note">
          {fillNote}
        </p>
      )}
      {mySections && (
        <label className="panel__summary">
          <input type="checkbox" checked={mineOnly} onChange={(event) => setMineOnly(event.target.checked)} data-testid="placeholders-mine" />
          {t.sections.mine}
        </label>
      )}
      <div className="chips" role="group">
        <button type="button" className={`chip${kind === 'all' ? ' chip--active' : ''}`} onClick={() => setKind('all')}>
          {t.placeholders.all} {unfilled.length}
        </button>
        {PLACEHOLDER_KINDS.filter((k) => counts.has(k)).map((k) => (
          <button key={k} type="button" className={`chip${kind === k ? ' chip--active' : ''}`} onClick={() => setKind(k)}>
            {t.kinds[k]} {counts.get(k)}
          </button>
        ))}
      </div>
      <div className="placeholders__groups">
        {groups.map(([section, entries]) => (
          <section key={section} className="placeholder-group" data-testid="placeholder-group">
            <h3 className="placeholder-group__title" title={section >= 0 ? sections[section].path.join(' › ') : undefined}>
              <span>{section >= 0 ? sections[section].label : t.placeholders.preamble}</span>
              <span className="badge">{entries.length}</span>
            </h3>
            <ul className="placeholder-group__list">
              {entries.map((placeholder) => (
                <Entry key={placeholder.id} editor={editor} placeholder={placeholder} canFill={!fillNote} />
              ))}
            </ul>
          </section>
        ))}
      </div>
      {filled > 0 && <p className="panel__foot">{t.placeholders.filledToVerify(filled)}</p>}
    </div>
  )
}
