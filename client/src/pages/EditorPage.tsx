import { useEffect, useState } from 'react'
import { api, ApiError, type DocumentMeta } from '../api'
import { usePresence } from '../collab/usePresence'
import { useCollabSession } from '../collab/useCollabSession'
import { ConnectionBadge } from '../components/ConnectionBadge'
import { PresenceBar } from '../components/PresenceBar'
import { ReportEditor } from '../editor/ReportEditor'
import type { EditorMode } from '../../../shared/editor/suggestions/SuggestChanges'
import type { Identity } from '../identity'
import { navigate } from '../router'
import { t } from '../strings'

/** The mode a person last used in a document, remembered in this browser. */
function useEditorMode(documentId: string): [EditorMode, (mode: EditorMode) => void] {
  const key = `huigao.mode.${documentId}`
  const [mode, setMode] = useState<EditorMode>(() => {
    const stored = localStorage.getItem(key)
    return stored === 'suggest' || stored === 'view' ? stored : 'edit'
  })
  const choose = (next: EditorMode) => {
    localStorage.setItem(key, next)
    setMode(next)
  }
  return [mode, choose]
}

export function EditorPage({ documentId, identity, onChangeName }: { documentId: string; identity: Identity; onChangeName: () => void }) {
  const [meta, setMeta] = useState<DocumentMeta | null>(null)
  const [missing, setMissing] = useState(false)
  const { session, state } = useCollabSession(documentId, identity)
  const participants = usePresence(session?.provider.awareness ?? null)
  const [mode, setMode] = useEditorMode(documentId)
  useEffect(() => {
    session?.provider.awareness.setLocalStateField('mode', mode)
  }, [session, mode])

  useEffect(() => {
    let cancelled = false
    api.getDocument(documentId).then(
      (loaded) => !cancelled && setMeta(loaded),
      // Offline is fine (the local copy opens); only a definite 404 means the document is gone.
      (error) => !cancelled && error instanceof ApiError && error.status === 404 && setMissing(true),
    )
    return () => {
      cancelled = true
    }
  }, [documentId])

  useEffect(() => {
    if (meta) document.title = `${meta.title} - ${t.appName}`
  }, [meta])

  const failure = missing ? 'not-found' : state?.failure
  return (
    <div className="editor-layout">
      <header className="topbar">
        <button type="button" className="button button--ghost" onClick={() => navigate({ page: 'list' })} title={t.editor.back}>
          ← {t.appName}
        </button>
        <h1 className="topbar__title" data-testid="document-title">
          {meta?.title ?? ''}
        </h1>
        <div className="topbar__right">
          <PresenceBar participants={participants} />
          {state && <ConnectionBadge state={state} />}
          <button type="button" className="button button--ghost" onClick={onChangeName}>
            {t.identity.change}
          </button>
        </div>
      </header>
      {failure ? (
        <div className="notice notice--error" role="alert">
          {failure === 'not-found' ? t.editor.notFound : t.editor.unavailable}
        </div>
      ) : session && state?.ready ? (
        <ReportEditor session={session} identity={identity} mode={mode} onMode={setMode} />
      ) : (
        <div className="notice">{t.loadingDocument}</div>
      )}
    </div>
  )
}
