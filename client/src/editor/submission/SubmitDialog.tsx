import type { Editor } from '@tiptap/react'
import { useEffect, useState, type ReactNode } from 'react'
import { analyzeReport } from '../../../../shared/editor/lib/analyzeReport'
import { sectionPlace } from '../../../../shared/report/numbering'
import { api, ApiErrorWithBody, type CheckResult, type DocumentMeta } from '../../api'
import { errorMessage } from '../../errors'
import { Modal } from '../../components/Modal'
import { t } from '../../strings'
import { goToSection } from '../OutlinePanel'
import { focusPlaceholder } from '../PlaceholderPanel'
import { goToRange } from '../review/SuggestionCard'

function Group({ title, children }: { title: string; children: ReactNode[] }) {
  if (children.length === 0) return null
  return (
    <section className="check-group" data-testid="check-group">
      <h3>{title}</h3>
      <ul>{children}</ul>
    </section>
  )
}

function Item({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <li>
      <button type="button" className="check-item" onClick={onClick} data-testid="check-item">
        {children}
      </button>
    </li>
  )
}

const today = () => new Date().toLocaleDateString('zh-CN')

/** 提交: the completeness check, grouped and clickable, then the named version and (if needed) a reason. */
export function SubmitDialog({ editor, meta, onClose, onSubmitted }: { editor: Editor; meta: DocumentMeta; onClose: () => void; onSubmitted: (meta: DocumentMeta) => void }) {
  const [check, setCheck] = useState<CheckResult | null>(null)
  const [name, setName] = useState(t.submit.defaultVersionName(today()))
  const [override, setOverride] = useState(false)
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')

  useEffect(() => {
    api.check(meta.id).then(setCheck, (failure: unknown) => setError(errorMessage(failure)))
  }, [meta.id])

  /** Jumps to a problem in the editor, leaving the dialog (the person fixes it, then submits again). */
  const jump = (go: () => void) => () => {
    onClose()
    requestAnimationFrame(go)
  }
  const live = () => analyzeReport(editor.state.doc)
  const toSuggestion = (id: string) => jump(() => {
    const found = live().suggestions.find((s) => s.id === id)
    if (found) goToRange(editor, found.from, found.to)
  })
  const toThread = (id: string) => jump(() => {
    const found = live().comments.find((c) => c.threadId === id)
    if (found) goToRange(editor, found.from, found.to)
  })
  const toSection = (label: string) => jump(() => {
    const found = live().sections.find((s) => s.label === label)
    if (found) goToSection(editor, found.pos)
  })

  const submit = async () => {
    setError('')
    try {
      onSubmitted(await api.submit(meta.id, name.trim(), override ? reason.trim() : undefined))
    } catch (failure) {
      // Refused for what the check lists (someone changed the report meanwhile): the list says why.
      const check = failure instanceof ApiErrorWithBody ? (failure.body as { check?: CheckResult } | null)?.check : undefined
      if (check) setCheck(check)
      else setError(errorMessage(failure))
    }
  }
  const problems = check
    ? check.unfilledPlaceholders.length +
      check.pendingSuggestions.length +
      check.openThreads.length +
      check.emptySections.length +
      (check.unverifiedBlocking ? (check.unverifiedFigures?.length ?? 0) : 0) +
      (check.unfinishedBlocks ? check.unfinishedSections.length : 0)
    : 0
  const canSubmit = Boolean(check) && name.trim() !== '' && (check!.ok || (override && reason.trim() !== ''))

  return (
    <Modal className="submit-dialog" label={t.submit.title} testId="submit-dialog" onClose={onClose}>
      <h2>{t.submit.title}</h2>
      {!check && !error && <p>{t.submit.checking}</p>}
      {check?.ok && <p className="check-ok">{t.submit.ok}</p>}
      {check && !check.ok && (
        <>
          <p className="check-blocked" data-testid="check-summary">
            {t.submit.blocked(problems)}
          </p>
          <div className="check-groups">
            <Group title={t.submit.unfilled(check.unfilledPlaceholders.length)}>
              {check.unfilledPlaceholders.map((item) => (
                <Item key={item.id} onClick={jump(() => focusPlaceholder(editor, item.id))}>
                  <span className="check-item__where">{sectionPlace(item.sectionPath) || t.placeholders.preamble}</span>
                  {item.context}
                </Item>
              ))}
            </Group>
            <Group title={t.submit.suggestions(check.pendingSuggestions.length)}>
              {check.pendingSuggestions.map((item) => (
                <Item key={item.id} onClick={toSuggestion(item.id)}>
                  <span className="check-item__where">{t.review.by(item.authorName)}</span>
                  {item.deleted && <del>{item.deleted}</del>}
                  {item.inserted && <ins>{item.inserted}</ins>}
                </Item>
              ))}
            </Group>
            <Group title={t.submit.threads(check.openThreads.length)}>
              {check.openThreads.map((item) => (
                <Item key={item.id} onClick={toThread(item.id)}>
                  <span className="check-item__where">{item.authorName}</span>「{item.quote}」
                </Item>
              ))}
            </Group>
            <Group title={t.submit.empty(check.emptySections.length)}>
              {check.emptySections.map((item) => (
                <Item key={item.label + item.path.join('/')} onClick={toSection(item.label)}>
                  <span className="check-item__where">{item.reason === 'no-title' ? t.submit.emptyNoTitle : t.submit.emptyNoBody}</span>
                  {item.path.join(' › ')}
                </Item>
              ))}
            </Group>
          </div>
        </>
      )}
      {check && (check.unverifiedFigures?.length ?? 0) > 0 && (
        <div className="check-groups" data-testid="check-unverified">
          <Group title={(check.unverifiedBlocking ? t.figures.check.blocking : t.figures.check.warning)(check.unverifiedFigures!.length)}>
            {check.unverifiedFigures!.map((item) => (
              <Item key={item.id} onClick={jump(() => focusPlaceholder(editor, item.id))}>
                <span className="check-item__where">{sectionPlace(item.sectionPath) || t.placeholders.preamble}</span>
                {item.context}
              </Item>
            ))}
          </Group>
        </div>
      )}
      {check && check.unfinishedSections.length > 0 && (
        <div className={check.unfinishedBlocks ? 'check-blocked' : 'check-warning'} data-testid="check-unfinished">
          <p>{check.unfinishedBlocks ? t.sections.unfinishedBlocking : t.sections.unfinishedWarning}</p>
          <ul className="check-group__list">
            {check.unfinishedSections.map((item) => (
              <Item key={item.path.join('/')} onClick={toSection(item.label)}>
                <span className="check-item__where">{t.sections.status[item.status]}</span>
                {item.path.join(' › ')}
                {item.assignees.length > 0 && `（${item.assignees.join('、')}）`}
              </Item>
            ))}
          </ul>
        </div>
      )}
      {check && (
        <div className="submit-dialog__form">
          <label className="field">
            {t.submit.versionName}
            <input value={name} maxLength={100} onChange={(event) => setName(event.target.value)} />
          </label>
          {!check.ok && (
            <label className="checkbox">
              <input type="checkbox" checked={override} onChange={(event) => setOverride(event.target.checked)} />
              {t.submit.override}
            </label>
          )}
          {override && <textarea rows={3} aria-label={t.submit.reason} placeholder={t.submit.reason} value={reason} onChange={(event) => setReason(event.target.value)} />}
        </div>
      )}
      {error && <p className="form-error">{error}</p>}
      <div className="modal__actions">
        <button type="button" className="button" onClick={onClose}>
          {t.submit.cancel}
        </button>
        <button type="button" className="button button--primary" disabled={!canSubmit} onClick={() => void submit()}>
          {t.submit.confirm}
        </button>
      </div>
    </Modal>
  )
}
