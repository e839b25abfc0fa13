import type { Editor } from '@tiptap/react'
import { useState } from 'react'
import type * as Y from 'yjs'
import type { CommentThread } from '../../../../shared/comments/threads'
import type { ReportAnalysis } from '../../../../shared/editor/lib/analyzeReport'
import type { EditorMode } from '../../../../shared/editor/suggestions/SuggestChanges'
import type { Identity } from '../../identity'
import { t } from '../../strings'
import { SuggestionCard } from './SuggestionCard'
import { NewThreadForm, ThreadCard } from './ThreadCard'

export interface CommentDraft {
  from: number
  to: number
  quote: string
}

type AuthorFilter = 'all' | 'mine' | string

interface ReviewPanelProps {
  editor: Editor
  ydoc: Y.Doc
  analysis: ReportAnalysis
  threads: CommentThread[]
  me: Identity
  mode: EditorMode
  activeThread: string | null
  draft: CommentDraft | null
  onSubmitDraft: (text: string) => void
  onCancelDraft: () => void
}

export function ReviewPanel(props: ReviewPanelProps) {
  const { editor, ydoc, analysis, threads, me, mode, activeThread, draft } = props
  const [filter, setFilter] = useState<AuthorFilter>('all')
  const [showResolved, setShowResolved] = useState(false)
  const canReview = mode === 'edit'

  const authors = new Map<string, string>()
  for (const suggestion of analysis.suggestions) if (suggestion.authorId) authors.set(suggestion.authorId, suggestion.authorName ?? '')
  const matches = (authorId: string | null) => filter === 'all' || (filter === 'mine' ? authorId === me.id : authorId === filter)
  const suggestions = analysis.suggestions.filter((suggestion) => matches(suggestion.authorId))
  const anchors = new Map(analysis.comments.map((anchor) => [anchor.threadId, anchor]))
  const visibleThreads = threads.filter(
    (thread) => (showResolved || !thread.resolved) && (filter === 'all' || thread.messages.some((message) => matches(message.authorId))),
  )
  const openThreads = threads.filter((thread) => !thread.resolved).length
  const scopedAuthor = filter === 'all' ? undefined : filter === 'mine' ? me.id : filter

  return (
    <div className="review" data-testid="review-panel">
      <p className="panel__summary" data-testid="review-count">
        {t.review.count(analysis.suggestions.length, openThreads)}
      </p>
      <div className="chips" role="group">
        <button type="button" className={`chip${filter === 'all' ? ' chip--active' : ''}`} onClick={() => setFilter('all')}>
          {t.review.filterAll}
        </button>
        <button type="button" className={`chip${filter === 'mine' ? ' chip--active' : ''}`} onClick={() => setFilter('mine')}>
          {t.review.filterMine}
        </button>
        {[...authors].map(([id, name]) => (
          <button key={id} type="button" className={`chip${filter === id ? ' chip--active' : ''}`} onClick={() => setFilter(id)}>
            {name}
          </button>
        ))}
      </div>

      <h3 className="review__heading">
        {t.review.suggestions} <span className="badge">{suggestions.length}</span>
      </h3>
      {canReview && suggestions.length > 0 && (
        <div className="review__bulk">
          <button type="button" className="button button--small button--primary" onClick={() => editor.commands.acceptAllSuggestions(scopedAuthor)}>
            {scopedAuthor ? t.review.acceptAllBy(authors.get(scopedAuthor) ?? me.name) : t.review.acceptAll}
          </button>
          <button type="button" className="button button--small" onClick={() => editor.commands.rejectAllSuggestions(scopedAuthor)}>
            {scopedAuthor ? t.review.rejectAllBy(authors.get(scopedAuthor) ?? me.name) : t.review.rejectAll}
          </button>
        </div>
      )}
      {!canReview && suggestions.length > 0 && <p className="panel__empty">{t.review.onlyDraftersReview}</p>}
      {suggestions.length === 0 && <p className="panel__empty">{t.review.noSuggestions}</p>}
      <ul className="review__list">
        {suggestions.map((suggestion) => (
          <SuggestionCard key={suggestion.id} editor={editor} suggestion={suggestion} canReview={canReview} />
        ))}
      </ul>

      <h3 className="review__heading">
        {t.review.threads} <span className="badge">{openThreads}</span>
        <label className="review__toggle">
          <input type="checkbox" checked={showResolved} onChange={(event) => setShowResolved(event.target.checked)} />
          {t.review.showResolved}
        </label>
      </h3>
      {draft && <NewThreadForm quote={draft.quote} onSubmit={props.onSubmitDraft} onCancel={props.onCancelDraft} />}
      {visibleThreads.length === 0 && !draft && <p className="panel__empty">{t.review.noThreads}</p>}
      <ul className="review__list">
        {visibleThreads.map((thread) => (
          <ThreadCard key={thread.id} editor={editor} ydoc={ydoc} thread={thread} anchor={anchors.get(thread.id)} me={me} active={thread.id === activeThread} />
        ))}
      </ul>
    </div>
  )
}
