import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react'
import { useEffect, useState } from 'react'
import { createThread } from '../../../shared/comments/threads'
import { newId } from '../../../shared/editor/lib/ids'
import type { EditorMode } from '../../../shared/editor/suggestions/SuggestChanges'
import type { DocumentMeta } from '../api'
import type { CollabSession } from '../collab/CollabSession'
import { useThreads } from '../collab/useThreads'
import type { Identity } from '../identity'
import { t } from '../strings'
import { clientExtensions } from './clientExtensions'
import { ModeSwitcher } from './ModeSwitcher'
import { OutlinePanel } from './OutlinePanel'
import { PlaceholderPanel } from './PlaceholderPanel'
import { FigureHover } from './figures/FigureHover'
import { ReviewPanel, type CommentDraft } from './review/ReviewPanel'
import { SuggestionPopover } from './review/SuggestionPopover'
import { ExportMenu } from './submission/ExportMenu'
import { SubmitDialog } from './submission/SubmitDialog'
import { PageView, usePrintSheets } from './pageView/PageView'
import { Toolbar } from './Toolbar'
import { VersionsPanel } from './versions/VersionsPanel'
import { useReportAnalysis } from './useReportAnalysis'

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
  const analysis = useReportAnalysis(editor)
  const threads = useThreads(session.ydoc)
  const [tab, setTab] = useState<SideTab>('placeholders')
  const [preview, setPreview] = useState(false)
  const [draft, setDraft] = useState<CommentDraft | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [pageView, setPageView] = useState(false)
  usePrintSheets(editor)
  const submitted = meta.status === 'submitted'
  const activeThread = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const mark = e.state.selection.$from.marks().find((m) => m.type.name === 'comment')
      return (mark?.attrs.threadId as string | undefined) ?? null
    },
  })
  useEffect(() => {
    if (activeThread) setTab('review')
  }, [activeThread])

  const startComment = () => {
    const { from, to, empty } = editor.state.selection
    if (empty) return
    setDraft({ from, to, quote: editor.state.doc.textBetween(from, to, ' ').slice(0, 200) })
    setTab('review')
  }
  const submitComment = (text: string) => {
    if (!draft) return
    const threadId = newId('t')
    createThread(session.ydoc, { id: threadId, author: identity, text, quote: draft.quote, messageId: newId('m') })
    editor.chain().setTextSelection({ from: draft.from, to: draft.to }).setComment(threadId).run()
    setDraft(null)
  }
  const openThreads = threads.filter((thread) => !thread.resolved).length

  return (
    <>
      <Toolbar editor={editor} mode={mode} onComment={startComment}>
        <ModeSwitcher mode={mode} allowed={allowedModes} onMode={onMode} preview={preview} onPreview={setPreview} />
        <span className="toolbar__end">
          <button type="button" className={`tool${pageView ? ' tool--active' : ''}`} aria-pressed={pageView} onClick={() => setPageView(!pageView)} data-testid="page-view-toggle">
            {t.pageView.toggle}
          </button>
          <ExportMenu documentId={meta.id} canMerge={!submitted && (meta.role === 'owner' || meta.role === 'drafter')} />
          {meta.role === 'owner' && !submitted && (
            <button type="button" className="button button--small button--primary" onClick={() => setSubmitting(true)}>
              {t.submit.button}
            </button>
          )}
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
        <OutlinePanel editor={editor} analysis={analysis} />
        <div className="page-scroller">
          <article className={`page${mode === 'view' && preview ? ' page--preview' : ''}${pageView ? ' page--hidden' : ''}`} data-mode={mode}>
            <EditorContent editor={editor} />
            <SuggestionPopover editor={editor} canReview={mode === 'edit'} />
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
            <PlaceholderPanel editor={editor} analysis={analysis} meta={meta} />
          ) : (
            <ReviewPanel
              editor={editor}
              ydoc={session.ydoc}
              analysis={analysis}
              threads={threads}
              me={identity}
              mode={mode}
              activeThread={activeThread}
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
      editorProps: { attributes: { class: 'page__content', spellcheck: 'false', 'data-testid': 'editor' } },
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
