import type { Editor } from '@tiptap/react'
import type { SuggestionInfo } from '../../../../shared/editor/lib/analyzeReport'
import { colorFor } from '../../../../shared/editor/lib/colors'
import { t } from '../../strings'
import { AuthorName } from '../AuthorName'
import { formatTime } from './time'

export function Change({ suggestion }: { suggestion: SuggestionInfo }) {
  const deleted = suggestion.deleted || (suggestion.type !== 'insertion' ? t.review.paragraphJoin : '')
  const inserted = suggestion.inserted || (suggestion.type !== 'deletion' ? t.review.paragraphSplit : '')
  return (
    <span className="change">
      {suggestion.type !== 'insertion' && <del className="change__old">{deleted}</del>}
      {suggestion.type === 'replacement' && <span className="change__arrow">→</span>}
      {suggestion.type !== 'deletion' && <ins className="change__new">{inserted}</ins>}
    </span>
  )
}

/** Who suggested it, what kind of change, when. */
export function SuggestionMeta({ suggestion, color }: { suggestion: SuggestionInfo; color?: string }) {
  return (
    <span className="review-card__meta">
      <AuthorName id={suggestion.authorId} name={t.review.by(suggestion.authorName)} color={color} />
      <span>{t.review[suggestion.type]}</span>
      <time>{formatTime(suggestion.createdAt)}</time>
    </span>
  )
}

/** 接受 / 拒绝, for drafters. */
export function ReviewActions({ editor, id }: { editor: Editor; id: string }) {
  return (
    <span className="review-card__actions">
      <button type="button" className="button button--small button--primary" onClick={() => editor.commands.acceptSuggestion(id)}>
        {t.review.accept}
      </button>
      <button type="button" className="button button--small" onClick={() => editor.commands.rejectSuggestion(id)}>
        {t.review.reject}
      </button>
    </span>
  )
}

export function goToRange(editor: Editor, from: number, to: number): void {
  editor.chain().setTextSelection({ from, to: Math.min(to, editor.state.doc.content.size) }).focus().run()
  const dom = editor.view.domAtPos(from).node
  const element = dom instanceof HTMLElement ? dom : dom.parentElement
  element?.scrollIntoView({ block: 'center', behavior: 'instant' })
}

export function SuggestionCard({ editor, suggestion, canReview }: { editor: Editor; suggestion: SuggestionInfo; canReview: boolean }) {
  const color = colorFor(suggestion.authorId ?? '')
  return (
    <li className="review-card" data-testid="suggestion-card" data-suggestion-id={suggestion.id} style={{ borderLeftColor: color }}>
      <button type="button" className="review-card__body" onClick={() => goToRange(editor, suggestion.from, suggestion.to)}>
        <SuggestionMeta suggestion={suggestion} color={color} />
        <Change suggestion={suggestion} />
        {suggestion.sectionPath.length > 0 && <span className="review-card__section">{suggestion.sectionPath.at(-1)}</span>}
      </button>
      {canReview && <ReviewActions editor={editor} id={suggestion.id} />}
    </li>
  )
}
