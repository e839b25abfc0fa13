import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { api, type DocumentMeta, type Me } from '../api'
import type { SubmissionRequestView } from '../../../shared/submissionRequests'
import { ShareDialog } from '../components/ShareDialog'
import { LIVE_NOTIFICATION } from '../notifications/useNotifications'
import { navigate } from '../router'
import { errorMessage } from '../errors'
import { t } from '../strings'
import { RouteLink } from '../components/RouteLink'

const formatTime = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })

function CreateForm({ onCreated, onCancel }: { onCreated: (doc: DocumentMeta) => void; onCancel: () => void }) {
  const [title, setTitle] = useState('')
  const [text, setText] = useState('')
  const [error, setError] = useState('')
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    try {
      onCreated(await api.createDocument(title.trim(), text.trim() ? text : undefined))
    } catch (failure) {
      setError(errorMessage(failure))
    }
  }
  return (
    <form className="card create-form" onSubmit={submit}>
      <label>
        {t.list.titleLabel}
        <input autoFocus value={title} maxLength={200} placeholder={t.list.titlePlaceholder} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        {t.list.textLabel}
        <textarea rows={6} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {error && <p className="form-error">{error}</p>}
      <div className="modal__actions">
        <button type="button" className="button" onClick={onCancel}>
          {t.list.cancel}
        </button>
        <button type="submit" className="button button--primary" disabled={!title.trim()}>
          {t.list.submitCreate}
        </button>
      </div>
    </form>
  )
}

type OpenRequests = { incoming: SubmissionRequestView[]; outgoing: SubmissionRequestView[] }

/** 提请提交 on a row: the owner sees who asks (with their notes), a drafter that their request is pending. */
function RequestBadge({ doc, requests }: { doc: DocumentMeta; requests: OpenRequests | null }) {
  const incoming = requests?.incoming.filter((r) => r.documentId === doc.id) ?? []
  const outgoing = requests?.outgoing.some((r) => r.documentId === doc.id)
  if (incoming.length > 0) {
    return (
      <span className="request-badge" data-testid="row-requests" title={incoming.map((r) => `${r.fromName}：${r.note || t.requests.noNote}`).join('\n')}>
        {t.requests.listBadge([...new Set(incoming.map((r) => r.fromName))].join('、'))}
      </span>
    )
  }
  return outgoing ? <span className="request-pending" data-testid="row-requests">{t.requests.listMine}</span> : null
}

function DocumentRow({ doc, requests, onChanged }: { doc: DocumentMeta; requests: OpenRequests | null; onChanged: () => void }) {
  const [editing, setEditing] = useState(false)
  const [sharing, setSharing] = useState(false)
  const isOwner = doc.role === 'owner'
  const canRename = doc.role === 'owner' || doc.role === 'drafter'
  const [title, setTitle] = useState(doc.title)
  const rename = async (event: FormEvent) => {
    event.preventDefault()
    if (title.trim() && title.trim() !== doc.title) await api.renameDocument(doc.id, title.trim())
    setEditing(false)
    onChanged()
  }
  const remove = async () => {
    if (!window.confirm(t.list.confirmRemove(doc.title))) return
    await api.deleteDocument(doc.id)
    onChanged()
  }
  return (
    <li className="doc-row" data-testid="document-row">
      {editing ? (
        <form className="doc-row__rename" onSubmit={rename}>
          <input autoFocus value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} aria-label={t.list.titleLabel} />
          <button type="submit" className="button button--primary">
            {t.list.save}
          </button>
          <button type="button" className="button" onClick={() => setEditing(false)}>
            {t.list.cancel}
          </button>
        </form>
      ) : (
        <RouteLink route={{ page: 'document', id: doc.id }} className="doc-row__title">
          {doc.title}
        </RouteLink>
      )}
      <span className="role-badge" data-testid="role">{t.roles[doc.role]}</span>
      <RequestBadge doc={doc} requests={requests} />
      <span className="doc-row__time">
        {t.list.updatedAt} {formatTime(doc.updatedAt)}
      </span>
      {!editing && (
        <span className="doc-row__actions">
          {isOwner && (
            <button type="button" className="button button--ghost" onClick={() => setSharing(true)}>
              {t.share.button}
            </button>
          )}
          {canRename && (
            <button type="button" className="button button--ghost" onClick={() => setEditing(true)}>
              {t.list.rename}
            </button>
          )}
          {isOwner && (
            <button type="button" className="button button--ghost button--danger" onClick={remove}>
              {t.list.remove}
            </button>
          )}
        </span>
      )}
      {sharing && <ShareDialog doc={doc} onClose={() => setSharing(false)} />}
    </li>
  )
}

function ImportButton({ onImported, onError }: { onImported: (doc: DocumentMeta) => void; onError: (message: string) => void }) {
  const [busy, setBusy] = useState(false)
  const importFile = async (file: File | undefined) => {
    if (!file) return
    setBusy(true)
    try {
      onImported(await api.importDocx(file))
    } catch (failure) {
      onError(`${t.list.importFailed}：${errorMessage(failure)}`)
    } finally {
      setBusy(false)
    }
  }
  return (
    <label className={`button${busy ? ' button--busy' : ''}`}>
      {busy ? t.list.importing : t.list.importDocx}
      <input
        type="file"
        accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        hidden
        disabled={busy}
        onChange={(event) => void importFile(event.target.files?.[0])}
        data-testid="import-docx"
      />
    </label>
  )
}

export function DocumentListPage({ userMenu }: { me: Me; userMenu: ReactNode }) {
  const [documents, setDocuments] = useState<DocumentMeta[] | null>(null)
  const [error, setError] = useState('')
  const [creating, setCreating] = useState(false)
  const [requests, setRequests] = useState<OpenRequests | null>(null)
  const reload = useCallback(() => {
    api.listDocuments().then(setDocuments, (failure: unknown) => setError(`${t.list.loadFailed}：${errorMessage(failure)}`))
    api.myRequests().then(setRequests, () => undefined)
  }, [])
  // A request, answer or submission elsewhere shows here at once.
  useEffect(() => {
    addEventListener(LIVE_NOTIFICATION, reload)
    return () => removeEventListener(LIVE_NOTIFICATION, reload)
  }, [reload])
  useEffect(() => {
    document.title = `${t.appName} · ${t.appTagline}`
    reload()
  }, [reload])

  return (
    <div className="list-layout">
      <header className="topbar">
        <span className="brand">
          <span className="brand__mark">会</span>
          {t.appName}
          <small>{t.appTagline}</small>
        </span>
        <span className="topbar__spacer" />
        {userMenu}
      </header>
      <main className="list-main">
        <div className="list-head">
          <h1>{t.list.heading}</h1>
          <div className="list-head__actions">
            <ImportButton onImported={(doc) => navigate({ page: 'document', id: doc.id })} onError={setError} />
            {!creating && (
              <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
                ＋ {t.list.create}
              </button>
            )}
          </div>
        </div>
        {creating && (
          <CreateForm onCancel={() => setCreating(false)} onCreated={(doc) => navigate({ page: 'document', id: doc.id })} />
        )}
        {error && <p className="notice notice--error">{error}</p>}
        {documents === null && !error && <p className="notice">{t.loading}</p>}
        {documents?.length === 0 && <p className="notice">{t.list.empty}</p>}
        <ul className="doc-list">
          {documents?.map((doc) => <DocumentRow key={doc.id} doc={doc} requests={requests} onChanged={reload} />)}
        </ul>
      </main>
    </div>
  )
}
