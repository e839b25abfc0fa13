import type { ReactNode } from 'react'
import { createPortal } from 'react-dom'
import { t } from '../strings'

/**
 * A message at the top of the window until dismissed. Portalled to document.body like Modal, so no
 * contained panel or toolbar clips it.
 */
export function Toast({ title, children, onClose, testId }: { title: string; children: ReactNode; onClose: () => void; testId?: string }) {
  return createPortal(
    <div className="toast" role="alert" data-testid={testId}>
      <b className="toast__title">{title}</b>
      <span className="toast__text">{children}</span>
      <button type="button" className="toast__close" aria-label={t.errors.dismiss} title={t.errors.dismiss} onClick={onClose}>
        ×
      </button>
    </div>,
    document.body,
  )
}
