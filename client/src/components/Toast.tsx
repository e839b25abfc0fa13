import type { ReactNode } from 'react'
import { createPortal } from 'react-dom'
import { t } from '../strings'

/**
 * A message at the top of the window until dismissed. Portalled to document.body like Modal, so no
 * contained panel or toolbar clips it. `info` is for what went as asked, only differently (not an
 * error): drawn neutrally and announced politely.
 */
export function Toast({ title, children, onClose, testId, tone = 'error' }: { title: string; children: ReactNode; onClose: () => void; testId?: string; tone?: 'error' | 'info' }) {
  return createPortal(
    <div className={`toast toast--${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <b className="toast__title">{title}</b>
      <span className="toast__text">{children}</span>
      <button type="button" className="toast__close" aria-label={t.errors.dismiss} title={t.errors.dismiss} onClick={onClose}>
        ×
      </button>
    </div>,
    document.body,
  )
}
