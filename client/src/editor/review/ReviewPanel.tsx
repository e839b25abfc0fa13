import type { Node as PMNode } from '@tiptap/pm/model'
import type { Editor } from '@tiptap/react'
import { useMemo, useState } from 'react'
import type * as Y from 'yjs'
import type { CommentThread } from '../../../../shared/comments/threads'
import type { ReportAnalysis } from '../../../../shared/editor/lib/analyzeReport'
import type { EditorMode } from '../../../../shared/editor/suggestions/SuggestChanges'
import { canEdit, type Role } from '../../../../shared/roles'
import { mayDecide } from '../../../../shared/sections/directEdit'
import { sectionStates } from '../../../../shared/sections/sectionTree'
import type { Identity } from '../../identity'
import { t } from '../../strings'
import { changeContext, sectionRef } from './reviewText'
import { SuggestionCard, type CardPlace } from './SuggestionCard'
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
  /** The document `analysis` describes (positions refer to it). */
  analyzedDoc: PMNode
  threads: CommentThread[]
  me: Identity
  mode: EditorMode
  role: Role
  /** The report is submitted: the server refuses every change, comments and replies included. */
  locked: boolean
  /**
   * A drafter in 编辑 under 按分工编辑 (their id): they accept or reject only what lies in their own
   * sections, as the server takes it; null when everything is theirs to decide.
   */
  decidesOnlyOwn: string | null
  activeThread: string | null
  /** The suggestion under the caret: its card is highlighted and scrolled into view. */
  activeSuggestion: string | null
  draft: CommentDraft | null
  onSubmitDraft: (text: string) => void
  onCancelDraft: () => void
}

export function ReviewPanel(props: ReviewPanelProps) {
  const { editor, ydoc, analysis, analyzedDoc, threads, me, mode, role, locked, activeThread, activeSuggestion, draft, decidesOnlyOwn } = props
  const [filter, setFilter] = useState<AuthorFilter>('all')
  const [showResolved, setShowResolved] = useState(false)
  const canReview = mode === 'edit' && !locked
  // Why the accept/reject buttons are missing, truthfully for this person: only drafters decide.
  const whyNoReview = locked ? t.review.lockedNoReview : canEdit(role) ? t.review.onlyDraftersReview : role === 'reviewer' ? t.review.reviewedByDrafters : t.review.viewerCannotReview

  const authors = new Map<string, string>()
  for (const suggestion of analysis.suggestions) if (suggestion.authorId) authors.set(suggestion.authorId, suggestion.authorName ?? '')
  const matches = (authorId: string | null) => filter === 'all' || (filter === 'mine' ? authorId === me.id : authorId === filter)
  const suggestions = analysis.suggestions.filter((suggestion) => matches(suggestion.authorId))
  // Under 按分工编辑, the suggestions this drafter may decide (the rest the server would refuse).
  const decidable = useMemo(() => {
    if (!decidesOnlyOwn) return null
    const states = sectionStates(analyzedDoc)
    return new Set(analysis.suggestions.filter((suggestion) => mayDecide(analyzedDoc, suggestion, decidesOnlyOwn, states)).map((suggestion) => suggestion.id))
  }, [analysis, analyzedDoc, decidesOnlyOwn])
  const notYours = (id: string) => decidable !== null && !decidable.has(id)
  const ownIds = decidable ? suggestions.filter((suggestion) => decidable.has(suggestion.id)).map((suggestion) => suggestion.id) : null
  const anchors = new Map(analysis.comments.map((anchor) => [anchor.threadId, anchor]))
  const visibleThreads = threads.filter(
    (thread) => (showResolved || !thread.resolved) && (filter === 'all' || thread.messages.some((message) => matches(message.authorId))),
  )
  const openThreads = threads.filter((thread) => !thread.resolved).length
  const placeOf = (suggestion: ReportAnalysis['suggestions'][number]): CardPlace => {
    const section = suggestion.section >= 0 ? analysis.sections[suggestion.section] : null
    return {
      ref: section ? sectionRef(analysis, suggestion.section) : t.review.preamble,
      title: section ? section.label.slice(section.ordinal.length) : '',
      context: suggestion.type === 'structure' ? { before: '', after: '' } : changeContext(analyzedDoc, suggestion),
    }
  }
  const scopedAuthor = filter === 'all' ? undefined : filter === 'mine' ? me.id : filter
  const authorName = scopedAuthor ? (authors.get(scopedAuthor) ?? me.name) : ''
  // The bulk buttons: every suggestion listed (by the author filter), or under 按分工编辑 those this drafter may decide.
  const bulk =
    !canReview || suggestions.length === 0 || ownIds?.length === 0
      ? null
      : ownIds
        ? { accept: () => editor.commands.acceptSuggestions(ownIds), reject: () => editor.commands.rejectSuggestions(ownIds), acceptLabel: t.review.acceptOwn(ownIds.length), rejectLabel: t.review.rejectOwn(ownIds.length) }
        : {
            accept: () => editor.commands.acceptAllSuggestions(scopedAuthor),
            reject: () => editor.commands.rejectAllSuggestions(scopedAuthor),
            acceptLabel: scopedAuthor ? t.review.acceptAllBy(authorName) : t.review.acceptAll,
            rejectLabel: scopedAuthor ? t.review.rejectAllBy(authorName) : t.review.rejectAll,
          }
  const hint = suggestions.length === 0 ? null : !canReview ? whyNoReview : ownIds?.length === 0 ? t.review.noneOwnToDecide : null

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
      {bulk && (
        <div className="review__bulk">
          <button type="button" className="button button--small button--primary" onClick={bulk.accept} data-testid={ownIds ? 'accept-own' : undefined}>
            {bulk.acceptLabel}
          </button>
          <button type="button" className="button button--small" onClick={bulk.reject}>
            {bulk.rejectLabel}
          </button>
        </div>
      )}
      {hint && (
        <p className="panel__empty" data-testid="review-hint">
          {hint}
        </p>
      )}
      {suggestions.length === 0 && <p className="panel__empty">{t.review.noSuggestions}</p>}
      <ul className="review__list">
        {suggestions.map((suggestion) => (
          <SuggestionCard key={suggestion.id} editor={editor} suggestion={suggestion} place={placeOf(suggestion)} canReview={canReview} canWithdraw={!locked && suggestion.authorId === me.id && (mode === 'suggest' || notYours(suggestion.id))} active={suggestion.id === activeSuggestion} notYours={notYours(suggestion.id)} />
        ))}
      </ul>

      <h3 className="review__heading">
        {t.review.threads} <span className="badge">{openThreads}</span>
        <label className="review__toggle">
          <input type="checkbox" checked={showResolved} onChange={(event) => setShowResolved(event.target.checked)} />
          {t.review.showResolved}
        </label>
      </h3>
      {locked && threads.length > 0 && <p className="panel__empty">{t.review.lockedNoComment}</p>}
      {draft && !locked && <NewThreadForm quote={draft.quote} onSubmit={props.onSubmitDraft} onCancel={props.onCancelDraft} />}
      {visibleThreads.length === 0 && !draft && <p className="panel__empty">{t.review.noThreads}</p>}
      <ul className="review__list">
        {visibleThreads.map((thread) => (
          <ThreadCard key={thread.id} editor={editor} ydoc={ydoc} thread={thread} anchor={anchors.get(thread.id)} me={me} active={thread.id === activeThread} locked={locked} />
        ))}
      </ul>
    </div>
  )
}
