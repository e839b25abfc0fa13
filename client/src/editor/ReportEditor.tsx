import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react'
import { useEffect, useRef, useState } from 'react'
import { createThread } from '../../../shared/comments/threads'
import { newId } from '../../../shared/editor/lib/ids'
import type { EditorMode, SuggestionRefusal } from '../../../shared/editor/suggestions/SuggestChanges'
import type { DocumentMeta } from '../api'
import type { CollabSession } from '../collab/CollabSession'
import { useThreads } from '../collab/useThreads'
import { Toast } from '../components/Toast'
import type { Identity } from '../identity'
import { t } from '../strings'
import { clientExtensions } from './clientExtensions'
import { ModeSwitcher } from './ModeSwitcher'
import { OutlinePanel } from './OutlinePanel'
import { PlaceholderPanel } from './PlaceholderPanel'
import { DynamicStyles } from './review/DynamicStyles'
import { FigureHover } from './figures/FigureHover'
import { ReviewPanel, type CommentDraft } from './review/ReviewPanel'
import { SuggestionPopover } from './review/SuggestionPopover'
import { ExportMenu } from './submission/ExportMenu'
import { SubmitAction } from './submission/SubmitAction'
import { SubmitDialog } from './submission/SubmitDialog'
import { pageAttributes } from './pageAttributes'
import { PageView, usePrintSheets } from './pageView/PageView'
import { Toolbar } from './Toolbar'
import { VersionsPanel } from './versions/VersionsPanel'
import { useFitWidth } from './useFitWidth'
import { useReportAnalysis } from './useReportAnalysis'
import { useDocumentOptions, useForcedReason, useSectionStates } from './sections/useSections'
import { ownSectionsOnly } from './sections/sectionMode'

type SideTab = 'placeholders' | 'review' | 'versions'

interface WorkspaceProps {
  editor: Editor
  session: CollabSession
  identity: Identity
  mode: EditorMode
  allowedModes: EditorMode[]
  onMode: (mode: EditorMode) => void
  meta: DocumentMeta
  onMeta: (meta: DocumentMeta) => void
}

function Workspace({ editor, session, identity, mode, allowedModes, onMode, meta, onMeta }: WorkspaceProps) {
  const { analysis, doc: analyzedDoc } = useReportAnalysis(editor)
  const threads = useThreads(session.ydoc)
  const [tab, setTab] = useState<SideTab>('placeholders')
  const [preview, setPreview] = useState(false)
  const [draft, setDraft] = useState<CommentDraft | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [pageView, setPageView] = useState(false)
  const scroller = useRef<HTMLDivElement>(null)
  useFitWidth(scroller)
  const [outlineOpen, setOutlineOpen] = useState(false)
  useEffect(() => {
    if (!outlineOpen) return
    const close = (event: KeyboardEvent) => event.key === 'Escape' && setOutlineOpen(false)
    window.addEventListener('keydown', close)
    return () => window.removeEventListener('keydown', close)
  }, [outlineOpen])
  usePrintSheets(editor)
  const submitted = meta.status === 'submitted'
  const activeThread = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const mark = e.state.selection.$from.marks().find((m) => m.type.name === 'comment')
      return (mark?.attrs.threadId as string | undefined) ?? null
    },
  })
  const activeSuggestion = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const { $from } = e.state.selection
      const mark = [...$from.marks(), ...($from.nodeAfter?.marks ?? [])].find((m) => m.type.name === 'insertion' || m.type.name === 'deletion')
      return mark ? String(mark.attrs.id) : null
    },
  })
  useEffect(() => {
    if (activeThread) setTab('review')
  }, [activeThread])

  const [notice, setNotice] = useState<{ title: string; text: string; tone?: 'info' } | null>(null)
  useEffect(() => {
    const texts: Record<SuggestionRefusal, string> = {
      othersSuggestion: t.review.suggestionRefused,
      lineBreak: t.review.lineBreakRefused,
      dissolve: t.review.dissolveRefused,
      structure: t.review.structureRefused,
    }
    const refused = ({ reason }: { reason: SuggestionRefusal }) => setNotice({ title: t.review.suggestionRefusedTitle, text: texts[reason] })
    const suggested = () => setNotice({ title: t.review.structureSuggestedTitle, text: t.review.structureSuggested, tone: 'info' })
    editor.on('suggestionRefused', refused)
    editor.on('structureSuggested', suggested)
    return () => {
      editor.off('suggestionRefused', refused)
      editor.off('structureSuggested', suggested)
    }
  }, [editor])
  const startComment = () => {
    // A submitted report refuses every change, comments included: say so rather than lose the text.
    if (submitted) return setNotice({ title: t.review.comment, text: t.review.lockedNoComment })
    const { from, to, empty } = editor.state.selection
    if (empty) return setNotice({ title: t.review.comment, text: t.review.selectFirst })
    setDraft({ from, to, quote: editor.state.doc.textBetween(from, to, ' ').slice(0, 200) })
    setTab('review')
  }
  // Ctrl+Alt+C (⌘⌥C), as the 批注 button's tooltip says. By key code: Alt changes the typed character on some layouts.
  const startCommentRef = useRef(startComment)
  startCommentRef.current = startComment
  useEffect(() => {
    // On the document, not the editor: in 查看 mode (where viewers comment) the page is not editable,
    // cannot take focus, and keys go to the body while the selection is in the page.
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || !event.altKey || event.shiftKey || event.code !== 'KeyC') return
      const anchor = document.getSelection()?.anchorNode ?? null
      if (!editor.view.dom.contains(anchor) && !editor.view.hasFocus()) return
      event.preventDefault()
      startCommentRef.current()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [editor])
  const submitComment = (text: string) => {
    if (!draft) return
    const threadId = newId('t')
    createThread(session.ydoc, { id: threadId, author: identity, text, quote: draft.quote, messageId: newId('m') })
    editor.chain().setTextSelection({ from: draft.from, to: draft.to }).setComment(threadId).run()
    setDraft(null)
  }
  const openThreads = threads.filter((thread) => !thread.resolved).length
  // Joint drafting: options, section states, the mode forced at the caret, the menu opened from a section header.
  const options = useDocumentOptions(session.ydoc)
  const states = useSectionStates(analyzedDoc)
  const forced = useForcedReason(editor)
  // Under 按分工编辑 a drafter accepts or rejects only what lies in their own sections (the server's rule).
  const decidesOnlyOwn = ownSectionsOnly({ chosen: mode, byAssignment: options.byAssignment, role: meta.role, userId: identity.id })
  const [menuRequest, setMenuRequest] = useState<{ recordId: string } | null>(null)
  const me = { id: identity.id, name: identity.name }
  const mySections = states.some((s) => s.record) ? new Set(states.flatMap((s, index) => (s.assignees.some((p) => p.id === identity.id) ? [index] : []))) : null
  useEffect(() => {
    const storage = editor.storage.sectionMode
    Object.assign(storage, { chosen: mode, byAssignment: options.byAssignment, role: meta.role, userId: identity.id, onOpenMenu: (recordId: string) => setMenuRequest({ recordId }) })
    editor.view.dispatch(editor.state.tr.setMeta('sectionHeaders', true))
  }, [editor, mode, options.byAssignment, meta.role, identity.id])

  return (
    <>
      <DynamicStyles threads={threads} suggestions={analysis.suggestions} />
      {notice && (
        <Toast title={notice.title} tone={notice.tone} testId="editor-notice" onClose={() => setNotice(null)}>
          {notice.text}
        </Toast>
      )}
      {forced && (
        <p className="section-notice" role="status" data-testid="section-mode-notice">
          {forced === 'final' ? t.sections.finalNotice : t.sections.notMineNotice}
        </p>
      )}
      <Toolbar editor={editor} mode={forced ? 'suggest' : mode} onComment={startComment}>
        <ModeSwitcher mode={mode} allowed={allowedModes} onMode={onMode} preview={preview} onPreview={setPreview} />
        <span className="toolbar__end">
          <button type="button" className={`tool${pageView ? ' tool--active' : ''}`} aria-pressed={pageView} onClick={() => setPageView(!pageView)} data-testid="page-view-toggle">
            {t.pageView.toggle}
          </button>
          <ExportMenu documentId={meta.id} title={meta.title} canMerge={!submitted && (meta.role === 'owner' || meta.role === 'drafter')} />
          <SubmitAction meta={meta} me={identity.id} onSubmit={() => setSubmitting(true)} />
        </span>
      </Toolbar>
      {submitting && (
        <SubmitDialog
          editor={editor}
          meta={meta}
          onClose={() => setSubmitting(false)}
          onSubmitted={(updated) => {
            setSubmitting(false)
            onMeta(updated)
          }}
        />
      )}
      <div className="workspace">
        <OutlinePanel
          editor={editor}
          analysis={analysis}
          states={states}
          ydoc={session.ydoc}
          documentId={meta.id}
          role={meta.role}
          me={me}
          options={options}
          locked={submitted}
          menuRequest={menuRequest}
          drawer={{ open: outlineOpen, onOpen: () => setOutlineOpen(true), onClose: () => setOutlineOpen(false) }}
        />
        <button
          type="button"
          className="outline-toggle"
          aria-expanded={outlineOpen}
          onClick={() => setOutlineOpen((open) => !open)}
          data-testid="outline-toggle"
        >
          {t.outline.title}
        </button>
        <div className="page-scroller" ref={scroller}>
          <article className={`page${mode === 'view' && preview ? ' page--preview' : ''}${pageView ? ' page--hidden' : ''}`} data-mode={mode}>
            <EditorContent editor={editor} />
            <SuggestionPopover editor={editor} canReview={mode === 'edit' && !forced && !submitted} decidesOnlyOwn={decidesOnlyOwn} withdrawFor={(mode === 'suggest' || forced || decidesOnlyOwn) && !submitted ? identity.id : null} />
            <FigureHover editor={editor} />
          </article>
          {pageView && <PageView editor={editor} />}
        </div>
        <aside className="panel side-panel">
          <div className="tabs" role="tablist">
            <button type="button" role="tab" aria-selected={tab === 'placeholders'} className={`tab${tab === 'placeholders' ? ' tab--active' : ''}`} onClick={() => setTab('placeholders')}>
              {t.review.placeholdersTab} <span className="badge">{analysis.unfilled.length}</span>
            </button>
            <button type="button" role="tab" aria-selected={tab === 'review'} className={`tab${tab === 'review' ? ' tab--active' : ''}`} onClick={() => setTab('review')} data-testid="review-tab">
              {t.review.tab} <span className="badge">{analysis.suggestions.length + openThreads}</span>
            </button>
            <button type="button" role="tab" aria-selected={tab === 'versions'} className={`tab${tab === 'versions' ? ' tab--active' : ''}`} onClick={() => setTab('versions')} data-testid="versions-tab">
              {t.versions.tab}
            </button>
          </div>
          {tab === 'versions' ? (
            <VersionsPanel documentId={meta.id} canWrite={!submitted && (meta.role === 'owner' || meta.role === 'drafter')} />
          ) : tab === 'placeholders' ? (
            <PlaceholderPanel
              editor={editor}
              analysis={analysis}
              doc={analyzedDoc}
              meta={meta}
              mySections={mySections}
              fillNote={submitted ? t.placeholders.lockedNoFill : mode !== 'view' ? null : allowedModes.length > 1 ? t.placeholders.viewNoFill : t.placeholders.viewerNoFill}
            />
          ) : (
            <ReviewPanel
              editor={editor}
              ydoc={session.ydoc}
              analysis={analysis}
              analyzedDoc={analyzedDoc}
              threads={threads}
              me={identity}
              mode={mode}
              role={meta.role}
              locked={submitted}
              decidesOnlyOwn={decidesOnlyOwn}
              activeThread={activeThread}
              activeSuggestion={activeSuggestion}
              draft={draft}
              onSubmitDraft={submitComment}
              onCancelDraft={() => setDraft(null)}
            />
          )}
        </aside>
      </div>
    </>
  )
}

/** The editable report with its panels. Created once per session; identity and mode changes go through commands. */
export function ReportEditor(props: Omit<WorkspaceProps, 'editor'>) {
  const { session, identity, mode } = props
  const editor = useEditor(
    {
      extensions: clientExtensions(session, identity, mode),
      editorProps: { attributes: pageAttributes(t.editor.bodyLabel, { class: 'page__content', spellcheck: 'false', 'data-testid': 'editor' }) },
      onCreate: () => performance.mark('huigao:editor-created'),
    },
    [session],
  )
  useEffect(() => {
    editor?.commands.setEditorMode(mode)
  }, [editor, mode])
  useEffect(() => {
    editor?.commands.setSuggestionAuthor({ id: identity.id, name: identity.name })
  }, [editor, identity])
  return editor ? <Workspace editor={editor} {...props} /> : null
}
