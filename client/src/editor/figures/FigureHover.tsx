import type { Editor } from '@tiptap/react'
import { useEffect, useState } from 'react'
import { createPortal } from 'react-dom'
import { listFigures, type Figure } from '../../../../shared/figures/figures'
import { t } from '../../strings'
import { FigureMeta } from './FigureEntry'
import './figures.css'

interface Hovered {
  figure: Figure
  others: string[]
  left: number
  top: number
}

/** On hover over a figure in the text: its kind, state, value, source, who filled and who verified it. */
export function FigureHover({ editor }: { editor: Editor }) {
  const [hovered, setHovered] = useState<Hovered | null>(null)
  useEffect(() => {
    const root = editor.view.dom
    const over = (event: MouseEvent) => {
      const element = (event.target as HTMLElement | null)?.closest?.('[data-placeholder-id]')
      if (!element) return
      const figures = listFigures(editor.state.doc)
      const figure = figures.find((entry) => entry.id === element.getAttribute('data-placeholder-id'))
      if (!figure) return
      const rect = element.getBoundingClientRect()
      const others = figure.conflictsWith.map((id) => figures.find((entry) => entry.id === id)?.text ?? '')
      setHovered({ figure, others, left: Math.min(rect.left, window.innerWidth - 330), top: rect.bottom + 6 })
    }
    const out = (event: MouseEvent) => {
      const to = event.relatedTarget as HTMLElement | null
      if (!to?.closest?.('[data-placeholder-id]')) setHovered(null)
    }
    root.addEventListener('mouseover', over)
    root.addEventListener('mouseout', out)
    return () => {
      root.removeEventListener('mouseover', over)
      root.removeEventListener('mouseout', out)
    }
  }, [editor])
  if (!hovered) return null
  const { figure } = hovered
  return createPortal(
    <div className="figure-hover" style={{ left: hovered.left, top: hovered.top }} role="tooltip" data-testid="figure-hover">
      <strong>{t.kinds[figure.kind]}</strong>
      {figure.filled ? <FigureMeta figure={figure} others={hovered.others} /> : <div>{t.figures.statuses.unfilled}</div>}
    </div>,
    document.body,
  )
}
