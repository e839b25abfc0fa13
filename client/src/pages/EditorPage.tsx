import { useEffect, useState, type ReactNode } from 'react'
import type { EditorMode } from '../../../shared/editor/suggestions/SuggestChanges'
import { canEdit, canSuggest, type Role } from '../../../shared/roles'
import { api, ApiError, type DocumentMeta } from '../api'
import { usePresence } from '../collab/usePresence'
import { useCollabSession } from '../collab/useCollabSession'
import { ConnectionBadge } from '../components/ConnectionBadge'
import { Toast } from '../components/Toast'
import { PresenceBar } from '../components/PresenceBar'
import { ShareDialog } from '../components/ShareDialog'
import { ReportEditor } from '../editor/ReportEditor'
import type { Identity } from '../identity'
import { navigate } from '../router'
import { t } from '../strings'
import { RouteLink } from '../components/RouteLink'

/** What a role may do here: drafters all three modes, reviewers suggest or view, viewers view. */
export function modesFor(role: Role): EditorMode[] {
  if (canEdit(role)) return ['edit', 'suggest', 'view']
  return canSuggest(role) ? ['suggest', 'view'] : ['view']
}

/** The mode a person last chose in a document, remembered in this browser, within what their role allows. */
function useEditorMode(documentId: string, role: Role | null): [EditorMode, (mode: EditorMode) => void] {
  const key = `huigao.mode.${documentId}`
  const [chosen, setChosen] = useState<EditorMode>(() => {
    const stored = localStorage.getItem(key)
    return stored === 'suggest' || stored === 'view' ? stored : 'edit'
  })
  const allowed = role ? modesFor(role) : ['view' as const]
  const mode = allowed.includes(chosen) ? chosen : allowed[0]
  const choose = (next: EditorMode) => {
    localStorage.setItem(key, next)
    setChosen(next)
  }
  return [mode, choose]
}

const FAILURES = {
  'not-found': t.editor.notFound,
  unavailable: t.editor.unavailable,
  forbidden: t.editor.forbidden,
  'signed-out': t.editor.signedOut,
  disabled: t.editor.accountDisabled,
} as const

export function EditorPage({ documentId, identity, userMenu }: { documentId: string; identity: Identity; userMenu: ReactNode }) {
  const [meta, setMeta] = useState<DocumentMeta | null>(null)
  const [failure, setFailure] = useState<keyof typeof FAILURES | null>(null)
  const [generation, setGeneration] = useState(0)
  const [refused, setRefused] = useState(false)
  const [sharing, setSharing] = useState(false)
  const { session, state } = useCollabSession(documentId, identity, generation)
  const participants = usePresence(session?.provider.awareness ?? null)
  const submitted = meta?.status === 'submitted'
  const [mode, setMode] = useEditorMode(documentId, meta ? (submitted ? 'viewer' : meta.role) : null)

  useEffect(() => {
    session?.provider.awareness.setLocalStateField('mode', mode)
  }, [session, mode])

  const accessChanges = state?.accessChanges ?? 0
  useEffect(() => {
    let cancelled = false
    api.getDocument(documentId).then(
      (loaded) => !cancelled && setMeta(loaded),
      // Offline is fine (the local copy opens); only a definite answer means no access.
      (error) => {
        if (cancelled || !(error instanceof ApiError)) return
        if (error.status === 404) setFailure('not-found')
        if (error.status === 403) setFailure('forbidden')
      },
    )
    return () => {
      cancelled = true
    }
    // Also after a refused change (generation): the refusal may be the report's submission.
  }, [documentId, accessChanges, generation])

  useEffect(() => {
    // The server refused a change and this copy was dropped: reload it, and say so (it was silent before).
    if (state?.failure === 'resync') {
      setGeneration((n) => n + 1)
      setRefused(true)
    }
  }, [state?.failure])

  useEffect(() => {
    if (meta) document.title = `${meta.title} - ${t.appName}`
  }, [meta])

  const shown = failure ?? (state?.failure && state.failure !== 'resync' ? state.failure : null)
  return (
    <div className="editor-layout">
      <header className="topbar">
        <RouteLink route={{ page: 'list' }} className="button button--ghost topbar__back" title={t.editor.back}>
          ← {t.appName}
        </RouteLink>
        <h1 className="topbar__title" data-testid="document-title">
          {meta?.title ?? ''}
        </h1>
        <div className="topbar__right">
          {meta && (
            <span className="role-badge" title={t.editor.roleLimited(t.roles[meta.role])} data-testid="my-role">
              {t.roles[meta.role]}
            </span>
          )}
          {meta?.role === 'owner' && (
            <button type="button" className="button button--ghost" data-testid="share-in-editor" onClick={() => setSharing(true)}>
              {t.share.button}
            </button>
          )}
          <PresenceBar participants={participants} />
          {state && <ConnectionBadge state={state} />}
          {userMenu}
        </div>
      </header>
      {sharing && meta && <ShareDialog doc={meta} onClose={() => setSharing(false)} />}
      {refused && (
        <Toast title={t.editor.refusedTitle} testId="refused-change" onClose={() => setRefused(false)}>
          {t.editor.refused}
        </Toast>
      )}
      {meta?.status === 'submitted' && meta.submission && (
        <div className="banner" role="status" data-testid="submitted-banner">
          <b>{t.submit.submitted}</b>
          {t.submit.submittedBanner(meta.submission.versionName, meta.submission.submittedBy, new Date(meta.submission.submittedAt).toLocaleString('zh-CN'))}
          {meta.submission.overrideReason && <span className="banner__note">{t.submit.overrideNote(meta.submission.overrideReason)}</span>}
          {meta.role === 'owner' && (
            <button type="button" className="button button--small" onClick={() => void api.reopen(documentId).then(setMeta)}>
              {t.submit.reopen}
            </button>
          )}
        </div>
      )}
      {shown ? (
        <div className="notice notice--error" role="alert">
          {FAILURES[shown]}
          {/* The session ended (signed out elsewhere, password reset, account disabled): say so, then offer to sign in. */}
          {(shown === 'signed-out' || shown === 'disabled') && (
            <button type="button" className="button button--small" onClick={() => navigate({ page: 'login' })}>
              {t.auth.signIn}
            </button>
          )}
        </div>
      ) : session && state?.ready && meta ? (
        <ReportEditor
          session={session}
          identity={identity}
          mode={mode}
          allowedModes={submitted ? ['view'] : modesFor(meta.role)}
          onMode={setMode}
          meta={meta}
          onMeta={setMeta}
        />
      ) : (
        <div className="notice">{t.loadingDocument}</div>
      )}
    </div>
  )
}
