import type { Editor } from '@tiptap/react'
import { useEditorState } from '@tiptap/react'
import { memo } from 'react'
import { analyzeReport, type ReportAnalysis, type SectionInfo } from '../../../shared/editor/lib/analyzeReport'
import { sectionIndexAt } from '../../../shared/editor/lib/sectionIndexAt'
import { t } from '../strings'

/** Scrolls the page so the section's title is in view and puts the caret at the end of the title. */
export function goToSection(editor: Editor, pos: number): void {
  const title = editor.state.doc.nodeAt(pos)?.firstChild
  if (!title) return
  editor.chain().setTextSelection(pos + 2 + title.content.size).focus().run()
  const element = editor.view.nodeDOM(pos)
  if (element instanceof HTMLElement) element.scrollIntoView({ block: 'start', behavior: 'instant' })
}

interface RowProps {
  editor: Editor
  section: SectionInfo
  current: boolean
}

/** One outline row, re-rendered only when what it shows changes (not on every keystroke). */
const Row = memo(
  function Row({ editor, section, current }: RowProps) {
    return (
      <li className={`outline__item outline__item--l${section.level}`}>
        <button
          type="button"
          className={`outline__link${current ? ' outline__link--current' : ''}`}
          title={section.path.join(' › ')}
          // Looked up at click time: the position may have moved since this row rendered.
          onClick={() => {
            const now = analyzeReport(editor.state.doc).sections.find((s) => s.path.join('/') === section.path.join('/'))
            goToSection(editor, now?.pos ?? section.pos)
          }}
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
    )
  },
  (a, b) =>
    a.editor === b.editor && a.current === b.current && a.section.label === b.section.label && a.section.level === b.section.level && a.section.unfilled === b.section.unfilled && a.section.path.join('/') === b.section.path.join('/'),
)

export function OutlinePanel({ editor, analysis }: { editor: Editor; analysis: ReportAnalysis }) {
  // Only the index of the section holding the caret: moving within a section re-renders nothing.
  const current = useEditorState({
    editor,
    selector: ({ editor: e }) => sectionIndexAt(e.state.doc, e.state.selection.from),
  })
  return (
    <nav className="panel outline" aria-label={t.outline.title} data-testid="outline">
      <h2 className="panel__title">{t.outline.title}</h2>
      {analysis.sections.length === 0 && <p className="panel__empty">{t.outline.empty}</p>}
      <ol className="outline__list">
        {analysis.sections.map((section, index) => (
          // Keyed by place in the outline, not by position: typing shifts every position after it.
          <Row key={index} editor={editor} section={section} current={index === current} />
        ))}
      </ol>
    </nav>
  )
}
