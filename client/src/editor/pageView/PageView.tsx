import type { Editor } from '@tiptap/react'
import { useEffect, useRef, useState } from 'react'
import { t } from '../../strings'
import { paginate } from './paginate'

/** How long typing must pause before the sheets are laid out again. */
const RELAYOUT_DELAY_MS = 400

/**
 * 页面视图: the report on A4 sheets as it prints (read-only; the editor stays mounted, hidden, and the
 * sheets follow its changes, everyone's included, after a pause).
 */
export function PageView({ editor }: { editor: Editor }) {
  const sheets = useRef<HTMLDivElement>(null)
  const [pages, setPages] = useState(0)

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const layout = () => {
      if (sheets.current) setPages(relayout(editor.view.dom, sheets.current))
    }
    const later = () => {
      clearTimeout(timer)
      timer = setTimeout(layout, RELAYOUT_DELAY_MS)
    }
    layout()
    editor.on('update', later)
    // The served web fonts arrive after the first layout; their metrics decide where lines break.
    document.fonts?.addEventListener('loadingdone', later)
    void document.fonts?.ready.then(later)
    return () => {
      clearTimeout(timer)
      editor.off('update', later)
      document.fonts?.removeEventListener('loadingdone', later)
    }
  }, [editor])

  return (
    <div className="page-view" data-testid="page-view" aria-label={t.pageView.label}>
      <p className="page-view__count" data-testid="page-count">
        {t.pageView.pages(pages)}
      </p>
      <div ref={sheets} className="page-view__sheets" />
    </div>
  )
}

/**
 * Lays the sheets out again beside the shown ones (hidden, same styles: fitting is measured) and puts
 * them in place only if they differ. Fonts arriving and changes of anyone's often move no line: the
 * sheets a person is reading then stay the same elements, and the page view's scroll is not disturbed.
 */
function relayout(source: Element, target: HTMLElement): number {
  if (target.childElementCount === 0) return paginate(source, target)
  const fresh = target.cloneNode(false) as HTMLElement
  Object.assign(fresh.style, { position: 'absolute', visibility: 'hidden', top: '0', left: '0' })
  fresh.setAttribute('aria-hidden', 'true')
  target.after(fresh)
  try {
    const count = paginate(source, fresh)
    if (fresh.innerHTML !== target.innerHTML) target.replaceChildren(...fresh.childNodes)
    return count
  } finally {
    fresh.remove()
  }
}

/**
 * The browser's print gives the same sheets, page view on or off: before printing, the report is laid
 * out on sheets in a print-only container directly under <body>; everything else is hidden in print.
 */
export function usePrintSheets(editor: Editor): void {
  useEffect(() => {
    let host: HTMLDivElement | null = null
    const before = () => {
      host?.remove()
      host = document.createElement('div')
      host.className = 'print-sheets page-view__sheets'
      document.body.append(host)
      paginate(editor.view.dom, host)
    }
    const after = () => {
      host?.remove()
      host = null
    }
    window.addEventListener('beforeprint', before)
    window.addEventListener('afterprint', after)
    return () => {
      window.removeEventListener('beforeprint', before)
      window.removeEventListener('afterprint', after)
      after()
    }
  }, [editor])
}
