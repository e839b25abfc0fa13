import { useEffect, useRef, useState } from 'react'
import type { NotificationView } from '../../../shared/notifications'
import { navigate } from '../router'
import { t } from '../strings'
import { useNotifications } from './useNotifications'

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' })

function headline(n: NotificationView): string {
  const kinds = t.notifications.kinds
  const section = n.sectionLabel ?? t.notifications.section
  switch (n.kind) {
    case 'sectionAssigned':
      return kinds.sectionAssigned(n.actorName, section)
    case 'sectionSentBack':
      return kinds.sectionSentBack(n.actorName, section)
    case 'versionRestored':
      return kinds.versionRestored(n.actorName, n.text)
    default:
      return kinds[n.kind](n.actorName)
  }
}

/** The bell: unread count, and the latest events that concern me; a click opens the document. */
export function NotificationBell() {
  const { items, unread, error, markRead } = useNotifications()
  const [open, setOpen] = useState(false)
  const ref = useRef<HTMLSpanElement>(null)
  useEffect(() => {
    if (!open) return
    const close = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false)
    }
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false)
    addEventListener('mousedown', close)
    addEventListener('keydown', escape)
    return () => {
      removeEventListener('mousedown', close)
      removeEventListener('keydown', escape)
    }
  }, [open])

  return (
    <span className="menu bell" ref={ref}>
      <button
        type="button"
        className="button button--ghost bell__button"
        aria-label={unread > 0 ? t.notifications.unread(unread) : t.notifications.bell}
        title={unread > 0 ? t.notifications.unread(unread) : t.notifications.bell}
        aria-expanded={open}
        data-testid="bell"
        onClick={() => setOpen(!open)}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
        </svg>
        {unread > 0 && (
          <span className="bell__count" data-testid="bell-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="menu__list bell__list" role="dialog" aria-label={t.notifications.bell} data-testid="bell-list">
          <div className="bell__head">
            <b>{t.notifications.bell}</b>
            {unread > 0 && (
              <button type="button" className="button button--small button--ghost" onClick={() => void markRead()}>
                {t.notifications.markAll}
              </button>
            )}
          </div>
          {error && <p className="form-error">{error}</p>}
          {items.length === 0 && <p className="muted bell__empty">{t.notifications.empty}</p>}
          {items.map((n) => (
            <button
              key={n.id}
              type="button"
              className={`bell__item${n.read ? '' : ' bell__item--unread'}`}
              data-testid="notification"
              onClick={() => {
                setOpen(false)
                if (!n.read) void markRead([n.id])
                navigate({ page: 'document', id: n.documentId })
              }}
            >
              <span className="bell__headline">{headline(n)}</span>
              <span className="bell__doc">《{n.documentTitle}》 · {when(n.createdAt)}</span>
              {n.text && n.kind !== 'versionRestored' && <span className="bell__text">{n.text}</span>}
            </button>
          ))}
        </div>
      )}
    </span>
  )
}
