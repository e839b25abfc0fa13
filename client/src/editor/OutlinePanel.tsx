import type { Editor } from '@tiptap/react'
import { useEditorState } from '@tiptap/react'
import { Fragment, memo, useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { analyzeReport, type ReportAnalysis, type SectionInfo } from '../../../shared/editor/lib/analyzeReport'
import { sectionIndexAt } from '../../../shared/editor/lib/sectionIndexAt'
import type { Role } from '../../../shared/roles'
import { setOption, type DocumentOptions } from '../../../shared/sections/options'
import { sectionProgress } from '../../../shared/sections/progress'
import { sectionStates, type SectionState } from '../../../shared/sections/sectionTree'
import type { Person } from '../../../shared/sections/workflow'
import { t } from '../strings'
import { ChunkSpacer, useRevealed } from './lazyList/ChunkSpacer'
import { chunkByWeight, isChunkShown } from './lazyList/chunks'
import { Avatars, SectionMenu } from './sections/SectionMenu'

/** Rows rendered at once when the outline opens, then per run as they near the view (lazyList/chunks.ts); a row's height in px. */
const CHUNK_ROWS = 60
const ROW_HEIGHT = 28

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
  /** Joint drafting: the section's record (null without one). */
  state: SectionState | undefined
  onMenu: () => void
}

const stateKey = (state: SectionState | undefined) => (state?.record ? `${state.status}:${state.record.assignees.map((p) => p.id).join(',')}:${state.record.log.length}` : '')

/** One outline row, re-rendered only when what it shows changes (not on every keystroke). */
const Row = memo(
  function Row({ editor, section, current, state, onMenu }: RowProps) {
    return (
      <li className={`outline__item outline__item--l${section.level}`} data-status={state?.record ? state.status : undefined}>
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
          {state?.record && <Avatars people={state.record.assignees} />}
          {state?.record && (
            <span className={`status status--${state.status}`} data-testid="section-status">
              {t.sections.status[state.status]}
            </span>
          )}
          {section.unfilled > 0 && (
            <span className="badge" title={t.outline.unfilled(section.unfilled)}>
              {section.unfilled}
            </span>
          )}
        </button>
        <button type="button" className="outline__menu" title={t.sections.menu} aria-label={t.sections.menuOf(section.label)} onClick={onMenu} data-testid="section-menu-button">
          ⋯
        </button>
      </li>
    )
  },
  (a, b) =>
    a.editor === b.editor && a.current === b.current && a.onMenu === b.onMenu && stateKey(a.state) === stateKey(b.state) && a.section.label === b.section.label && a.section.level === b.section.level && a.section.unfilled === b.section.unfilled && a.section.path.join('/') === b.section.path.join('/'),
)

interface OutlineProps {
  editor: Editor
  analysis: ReportAnalysis
  states: SectionState[]
  ydoc: Y.Doc
  documentId: string
  role: Role
  me: Person
  options: DocumentOptions
  locked: boolean
  /** A section whose menu to open (from its header chip), by its record's id. */
  menuRequest: { recordId: string } | null
  /**
   * In a window too narrow for the outline beside the page (≤ 1200 px), it is a drawer over the page:
   * whether it is open, and how it asks to open (a section's menu requested) or close (a section chosen).
   */
  drawer: { open: boolean; onOpen: () => void; onClose: () => void }
}

export function OutlinePanel({ editor, analysis, states, ydoc, documentId, role, me, options, locked, menuRequest, drawer }: OutlineProps) {
  // Only the index of the section holding the caret: moving within a section re-renders nothing.
  const current = useEditorState({
    editor,
    selector: ({ editor: e }) => sectionIndexAt(e.state.doc, e.state.selection.from),
  })
  const [mine, setMine] = useState(false)
  const [menu, setMenu] = useState<number | null>(null)
  const [menuHandlers] = useState(() => new Map<number, () => void>())
  const [revealed, reveal] = useRevealed()
  const onMenu = (index: number) => {
    if (!menuHandlers.has(index)) menuHandlers.set(index, () => setMenu((open) => (open === index ? null : index)))
    return menuHandlers.get(index)!
  }
  useEffect(() => {
    if (!menuRequest) return
    // Found in the current document: the panel's analysis may be a pause behind.
    const index = sectionStates(editor.state.doc).findIndex((s) => s.record?.id === menuRequest.recordId)
    if (index >= 0) {
      setMine(false)
      setMenu(index)
      reveal([String(index)])
      drawer.onOpen()
    }
    // Only a new request opens the drawer (its handlers are made anew on every render of the page).
  }, [menuRequest, editor, reveal])
  const isMine = (index: number) => !!states[index]?.assignees.some((p) => p.id === me.id)
  const progress = sectionProgress(editor.state.doc, analysis, states)
  const shown = analysis.sections.map((section, index) => ({ section, index })).filter(({ index }) => !mine || isMine(index))
  return (
    <nav
      className={`panel outline${drawer.open ? ' outline--open' : ''}`}
      aria-label={t.outline.title}
      data-testid="outline"
      // Choosing a section closes the drawer (a narrow window) to show it; its menu keeps it open.
      onClick={(event) => (event.target as HTMLElement).closest('.outline__link') && drawer.onClose()}
    >
      <h2 className="panel__title">{t.outline.title}</h2>
      {progress.tracked > 0 ? (
        <div className="outline__progress" data-testid="section-progress">
          <span>{t.sections.progress(progress.final, progress.tracked)}</span>
          {progress.figuresLeft.map(({ person, count }) => (
            <span key={person.id} className="outline__figures">
              {t.sections.figuresLeft(person.name, count)}
            </span>
          ))}
        </div>
      ) : (
        // Holds the progress line's place, so the rows do not move down when the first section is assigned.
        analysis.sections.length > 0 && (
          <div className="outline__progress" data-testid="section-unassigned" title={role === 'owner' && !locked ? t.sections.unassignedHint : undefined}>
            <span>{t.sections.unassigned}</span>
          </div>
        )
      )}
      {role === 'owner' && !locked && (
        <div className="outline__options">
          <label title={t.sections.byAssignmentHint}>
            <input type="checkbox" checked={options.byAssignment} onChange={(event) => setOption(ydoc, 'byAssignment', event.target.checked)} data-testid="option-by-assignment" />
            {t.sections.byAssignment}
          </label>
          <label title={t.sections.requireFinalHint}>
            <input type="checkbox" checked={options.requireFinal} onChange={(event) => setOption(ydoc, 'requireFinal', event.target.checked)} />
            {t.sections.requireFinal}
          </label>
        </div>
      )}
      {role !== 'owner' && options.byAssignment && <p className="outline__note">{t.sections.byAssignment}：{t.sections.byAssignmentHint}</p>}
      {/* Shown before anything is assigned too, so that the first assignment moves no row. */}
      {analysis.sections.length > 0 && (
        <div className="chips" role="group">
          <button type="button" className={`chip${!mine ? ' chip--active' : ''}`} onClick={() => setMine(false)}>
            {t.sections.allSections}
          </button>
          <button type="button" className={`chip${mine ? ' chip--active' : ''}`} onClick={() => setMine(true)} data-testid="outline-mine">
            {t.sections.mine}
          </button>
        </div>
      )}
      {analysis.sections.length === 0 && <p className="panel__empty">{t.outline.empty}</p>}
      {mine && shown.length === 0 && <p className="panel__empty">{t.sections.noMine}</p>}
      <ol className="outline__list">
        {chunkByWeight(shown, () => 1, CHUNK_ROWS).flatMap((chunk, chunkIndex) => {
          const keys = chunk.map(({ index }) => String(index))
          if (!isChunkShown(chunkIndex, keys, revealed)) {
            return [<ChunkSpacer key={`chunk:${keys[0]}`} as="li" height={chunk.length * ROW_HEIGHT} count={chunk.length} onNear={() => reveal(keys)} />]
          }
          return chunk.map(({ section, index }) => (
            // Keyed by place in the outline, not by position: typing shifts every position after it.
            <Fragment key={index}>
              <Row editor={editor} section={section} current={index === current} state={states[index]} onMenu={onMenu(index)} />
              {menu === index && states[index] && (
                <li className="outline__menu-item">
                  <SectionMenu editor={editor} documentId={documentId} section={section} state={states[index]} role={role} me={me} locked={locked} onClose={() => setMenu(null)} />
                </li>
              )}
            </Fragment>
          ))
        })}
      </ol>
    </nav>
  )
}
