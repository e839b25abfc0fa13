import { useEffect, type ReactNode } from 'react'
import { createPortal } from 'react-dom'

/**
 * A dialog over the whole page. Drawn into document.body through a portal: a dialog rendered in place
 * inherits its ancestors' containment (the side panel has `contain: strict`, which makes it the
 * containing block of fixed elements), and was clipped to the 280 px panel with its buttons off screen.
 * Escape or a click on the backdrop closes it.
 */
export function Modal(props: { className: string; label: string; testId?: string; onClose: () => void; children: ReactNode }) {
  const { onClose } = props
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  return createPortal(
    <div className="modal-backdrop" onClick={onClose}>
      <div className={`modal ${props.className}`} role="dialog" aria-modal="true" aria-label={props.label} onClick={(event) => event.stopPropagation()} data-testid={props.testId}>
        {props.children}
      </div>
    </div>,
    document.body,
  )
}
