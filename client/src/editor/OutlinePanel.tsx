import type { Editor } from '@tiptap/react'
import { useEditorState } from '@tiptap/react'
import type { ReportAnalysis } from '../../../shared/editor/lib/analyzeReport'
import { t } from '../strings'

/** Scrolls the page so the section's title is in view and puts the caret at the end of the title. */
export function goToSection(editor: Editor, pos: number): void {
  const title = editor.state.doc.nodeAt(pos)?.firstChild
  if (!title) return
  editor.chain().setTextSelection(pos + 2 + title.content.size).focus().run()
  const element = editor.view.nodeDOM(pos)
  if (element instanceof HTMLElement) element.scrollIntoView({ block: 'start', behavior: 'instant' })
}

export function OutlinePanel({ editor, analysis }: { editor: Editor; analysis: ReportAnalysis }) {
  const caret = useEditorState({ editor, selector: ({ editor: e }) => e.state.selection.from })
  let current = -1
  analysis.sections.forEach((section, index) => {
    if (section.pos < caret && caret < section.end) current = index
  })
  return (
    <nav className="panel outline" aria-label={t.outline.title} data-testid="outline">
      <h2 className="panel__title">{t.outline.title}</h2>
      {analysis.sections.length === 0 && <p className="panel__empty">{t.outline.empty}</p>}
      <ol className="outline__list">
        {analysis.sections.map((section, index) => (
          <li key={`${section.pos}`} className={`outline__item outline__item--l${section.level}`}>
            <button
              type="button"
              className={`outline__link${index === current ? ' outline__link--current' : ''}`}
              title={section.path.join(' › ')}
              onClick={() => goToSection(editor, section.pos)}
              data-testid="outline-item"
            >
              <span className="outline__label">{section.label}</span>
              {section.unfilled > 0 && (
                <span className="badge" title={t.outline.unfilled(section.unfilled)}>
                  {section.unfilled}
                </span>
              )}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  )
}
