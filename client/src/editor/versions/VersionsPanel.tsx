import { useCallback, useEffect, useState } from 'react'
import { api, type VersionInfo } from '../../api'
import { errorMessage } from '../../errors'
import { t } from '../../strings'
import { formatTime } from '../review/time'
import { VersionViewer } from './VersionViewer'

export function VersionsPanel({ documentId, canWrite }: { documentId: string; canWrite: boolean }) {
  // Null until the list has come: a list that could not be read is not an empty one.
  const [versions, setVersions] = useState<VersionInfo[] | null>(null)
  const [loadFailed, setLoadFailed] = useState(false)
  const [viewing, setViewing] = useState<VersionInfo | null>(null)
  const [message, setMessage] = useState('')
  const reload = useCallback(() => {
    api.listVersions(documentId).then(
      (list) => {
        setVersions(list)
        setLoadFailed(false)
      },
      (failure: unknown) => {
        setLoadFailed(true)
        setMessage(errorMessage(failure))
      },
    )
  }, [documentId])
  useEffect(reload, [reload])

  const run = async (action: () => Promise<unknown>, done = '') => {
    try {
      await action()
      setMessage(done)
      reload()
    } catch (failure) {
      setMessage(errorMessage(failure))
    }
  }
  const save = () => {
    const name = window.prompt(t.versions.namePrompt, t.versions.defaultName(new Date().toLocaleString('zh-CN')))
    if (name?.trim()) void run(() => api.saveVersion(documentId, name.trim()))
  }
  const restore = (version: VersionInfo) => {
    if (window.confirm(t.versions.confirmRestore(version.name))) void run(() => api.restoreVersion(documentId, version.id), t.versions.restored)
  }

  return (
    <div className="versions" data-testid="versions-panel">
      {canWrite && (
        <button type="button" className="button button--small button--primary" onClick={save}>
          {t.versions.save}
        </button>
      )}
      {message && <p className="panel__summary" role={loadFailed ? 'alert' : undefined}>{message}</p>}
      {loadFailed && (
        <button
          type="button"
          className="button button--small"
          data-testid="versions-retry"
          onClick={() => {
            setMessage('')
            reload()
          }}
        >
          {t.versions.retry}
        </button>
      )}
      {versions?.length === 0 && <p className="panel__empty">{t.versions.empty}</p>}
      <ul className="review__list">
        {(versions ?? []).map((version) => (
          <li key={version.id} className="review-card" data-testid="version-row">
            <span className="review-card__meta">
              <b>{version.name}</b>
              <span className={`kind kind--${version.kind}`}>{t.versions.kinds[version.kind]}</span>
            </span>
            <span className="review-card__meta">
              <time>{formatTime(version.createdAt)}</time>
              <span>{version.createdBy}</span>
            </span>
            <span className="review-card__actions">
              <button type="button" className="button button--small" onClick={() => setViewing(version)}>
                {t.versions.view}
              </button>
              {canWrite && (
                <button type="button" className="button button--small" onClick={() => restore(version)}>
                  {t.versions.restore}
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {viewing && <VersionViewer documentId={documentId} version={viewing} onClose={() => setViewing(null)} />}
    </div>
  )
}
