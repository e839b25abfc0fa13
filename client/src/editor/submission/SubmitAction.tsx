import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { SubmissionRequestView } from '../../../../shared/submissionRequests'
import { REQUEST_ANSWER_MAX, REQUEST_NOTE_MAX } from '../../../../shared/submissionRequests'
import { api, type DocumentMeta } from '../../api'
import { Modal } from '../../components/Modal'
import { errorMessage } from '../../errors'
import { LIVE_NOTIFICATION } from '../../notifications/useNotifications'
import { t } from '../../strings'

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' })

/** A document's 提请提交 requests, reloaded when a notification about this document arrives. */
function useRequests(documentId: string) {
  const [requests, setRequests] = useState<SubmissionRequestView[]>([])
  const reload = useCallback(() => {
    api.listRequests(documentId).then(setRequests, () => undefined)
  }, [documentId])
  useEffect(() => {
    reload()
    const onLive = (event: Event) => {
      if ((event as CustomEvent<{ documentId: string }>).detail.documentId === documentId) reload()
    }
    addEventListener(LIVE_NOTIFICATION, onLive)
    return () => removeEventListener(LIVE_NOTIFICATION, onLive)
  }, [documentId, reload])
  return { requests, reload }
}

/**
 * The 提交 place in the toolbar, for every role: the owner submits (and sees drafters' requests next to
 * the button, to submit or answer); a drafter sends 提请提交 instead (or sees that one is pending); a
 * reviewer or viewer sees the button disabled with the reason.
 */
export function SubmitAction({ meta, me, onSubmit }: { meta: DocumentMeta; /** My account id. */ me: string; onSubmit: () => void }) {
  const { requests, reload } = useRequests(meta.id)
  const [asking, setAsking] = useState(false)
  const [showing, setShowing] = useState(false)
  const [error, setError] = useState('')
  const open = requests.filter((r) => r.status === 'open')
  const run = async (action: () => Promise<unknown>) => {
    setError('')
    try {
      await action()
      reload()
      return true
    } catch (failure) {
      setError(`${t.requests.failed}${errorMessage(failure)}`)
      return false
    }
  }

  if (meta.status === 'submitted') return null
  if (meta.role === 'owner') {
    return (
      <>
        {open.length > 0 && (
          <span className="menu">
            <button type="button" className="button button--small request-badge" aria-expanded={showing} data-testid="incoming-requests" onClick={() => setShowing(!showing)}>
              {t.requests.incoming(open.length)}
            </button>
            {showing && (
              <div className="menu__list requests" role="dialog" aria-label={t.requests.incomingTitle} data-testid="requests-list">
                <b>{t.requests.incomingTitle}</b>
                {error && <p className="form-error">{error}</p>}
                {open.map((request) => (
                  <IncomingRequest key={request.id} request={request} onSubmit={() => (setShowing(false), onSubmit())} onAnswer={(text) => run(() => api.answerRequest(meta.id, request.id, text))} />
                ))}
              </div>
            )}
          </span>
        )}
        <button type="button" className="button button--small button--primary" data-testid="submit-button" onClick={onSubmit}>
          {t.submit.button}
        </button>
      </>
    )
  }
  if (meta.role !== 'drafter') {
    return (
      <button type="button" className="button button--small" disabled title={t.requests.notAllowed} aria-label={`${t.submit.button}：${t.requests.notAllowed}`}>
        {t.submit.button}
      </button>
    )
  }
  const mine = open.find((r) => r.fromUserId === me)
  const lastAnswer = requests.find((r) => r.fromUserId === me && r.status === 'answered')
  return (
    <>
      {mine ? (
        <span className="request-pending" data-testid="request-pending" title={mine.note || t.requests.noNote}>
          {t.requests.pending}
          <button type="button" className="button button--small button--ghost" onClick={() => void run(() => api.withdrawRequest(meta.id, mine.id))}>
            {t.requests.withdraw}
          </button>
        </span>
      ) : (
        <button type="button" className="button button--small button--primary" title={t.requests.askHint} data-testid="ask-submit" onClick={() => setAsking(true)}>
          {t.requests.ask}
        </button>
      )}
      {!mine && lastAnswer?.answer && (
        <span className="request-answer" data-testid="request-answer" title={lastAnswer.answer.text}>
          {t.requests.answered(lastAnswer.answer.byName, lastAnswer.answer.text)}
        </span>
      )}
      {error && !asking && <span className="form-error">{error}</span>}
      {asking && <AskDialog meta={meta} onClose={() => setAsking(false)} onSend={async (note) => (await run(() => api.askToSubmit(meta.id, note))) && setAsking(false)} error={error} />}
    </>
  )
}

function IncomingRequest({ request, onSubmit, onAnswer }: { request: SubmissionRequestView; onSubmit: () => void; onAnswer: (text: string) => Promise<boolean> }) {
  const [answering, setAnswering] = useState(false)
  const [text, setText] = useState('')
  const send = async (event: FormEvent) => {
    event.preventDefault()
    if (await onAnswer(text.trim())) setAnswering(false)
  }
  return (
    <div className="requests__item" data-testid="incoming-request">
      <span className="muted">{t.requests.from(request.fromName, when(request.createdAt))}</span>
      <span className="requests__note">{request.note || t.requests.noNote}</span>
      {answering ? (
        <form onSubmit={send} className="requests__answer">
          <textarea autoFocus rows={3} maxLength={REQUEST_ANSWER_MAX} value={text} placeholder={t.requests.replyPlaceholder} onChange={(e) => setText(e.target.value)} aria-label={t.requests.reply} />
          <button type="submit" className="button button--small button--primary" disabled={!text.trim()}>
            {t.requests.sendReply}
          </button>
        </form>
      ) : (
        <span className="requests__actions">
          <button type="button" className="button button--small button--primary" onClick={onSubmit}>
            {t.requests.submitNow}
          </button>
          <button type="button" className="button button--small" onClick={() => setAnswering(true)}>
            {t.requests.reply}
          </button>
        </span>
      )}
    </div>
  )
}

function AskDialog({ meta, error, onClose, onSend }: { meta: DocumentMeta; error: string; onClose: () => void; onSend: (note: string) => void }) {
  const [note, setNote] = useState('')
  const [owner, setOwner] = useState('')
  useEffect(() => {
    api.listMembers(meta.id).then((members) => setOwner(members.find((m) => m.role === 'owner')?.displayName ?? ''), () => undefined)
  }, [meta.id])
  return (
    <Modal className="ask-submit" label={t.requests.title(meta.title)} testId="ask-submit-dialog" onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          onSend(note.trim())
        }}
      >
        <h2>{t.requests.title(meta.title)}</h2>
        <p>{t.requests.intro(owner)}</p>
        <label>
          {t.requests.note}
          <textarea autoFocus rows={4} maxLength={REQUEST_NOTE_MAX} value={note} placeholder={t.requests.notePlaceholder} onChange={(e) => setNote(e.target.value)} />
        </label>
        {error && <p className="form-error">{error}</p>}
        <div className="modal__actions">
          <button type="button" className="button" onClick={onClose}>
            {t.requests.cancel}
          </button>
          <button type="submit" className="button button--primary">
            {t.requests.send}
          </button>
        </div>
      </form>
    </Modal>
  )
}
