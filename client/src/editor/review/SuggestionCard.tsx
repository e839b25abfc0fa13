import type { Editor } from '@tiptap/react'
import type { SuggestionInfo } from '../../../../shared/editor/lib/analyzeReport'
import { colorFor } from '../../../../shared/editor/lib/colors'
import { alsoAccepted } from '../../../../shared/editor/suggestions/structural'
import { t } from '../../strings'
import { changeKind, formatWords } from './reviewText'
import { AuthorName } from '../AuthorName'
import { formatTime } from './time'

/** The change itself: struck old text → underlined new text, or the structural / format change in words. */
export function Change({ suggestion, context }: { suggestion: SuggestionInfo; context?: { before: string; after: string } }) {
  if (suggestion.type === 'structure') {
    return (
      <span className="change change--words" data-testid="change-words">
        {suggestion.change ?? t.review.structure}
      </span>
    )
  }
  if (suggestion.kind === 'format') {
    return (
      <span className="change">
        <span className="change--words" data-testid="change-words">
          {formatWords(suggestion)}
        </span>
        <span className="change__context">「{suggestion.inserted}」</span>
      </span>
    )
  }
  const deleted = suggestion.deleted || (suggestion.type !== 'insertion' ? t.review.paragraphJoin : '')
  const inserted = suggestion.inserted || (suggestion.type !== 'deletion' ? t.review.paragraphSplit : '')
  return (
    <span className="change">
      {context?.before && <span className="change__context">{context.before}</span>}
      {suggestion.type !== 'insertion' && <del className="change__old">{deleted}</del>}
      {suggestion.type === 'replacement' && <span className="change__arrow">→</span>}
      {suggestion.type !== 'deletion' && <ins className="change__new">{inserted}</ins>}
      {context?.after && <span className="change__context">{context.after}</span>}
    </span>
  )
}

/** Who suggested it, what kind of change, when. */
export function SuggestionMeta({ suggestion, color }: { suggestion: SuggestionInfo; color?: string }) {
  return (
    <span className="review-card__meta">
      <AuthorName id={suggestion.authorId} name={t.review.by(suggestion.authorName)} color={color} />
      <span className="review-card__kind">{changeKind(suggestion)}</span>
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

/** 撤回, for a 审阅人's own suggestion (the server lets its author withdraw it). */
export function WithdrawAction({ editor, id }: { editor: Editor; id: string }) {
  return (
    <span className="review-card__actions">
      <button type="button" className="button button--small" title={t.review.withdrawHint} onClick={() => editor.commands.rejectSuggestion(id)}>
        {t.review.withdraw}
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

export interface CardPlace {
  /** 「二（一）」: the section by its ordinals from the top, or 开头部分. */
  ref: string
  /** The innermost section's title, for reading. */
  title: string
  context: { before: string; after: string }
}

/** Said on a structural card whose accept applies earlier pending structural suggestions first. */
function AlsoAccepted({ editor, id }: { editor: Editor; id: string }) {
  const count = alsoAccepted(editor.state.doc, id).length
  return count > 0 ? (
    <span className="review-card__note" data-testid="also-accepted">
      {t.review.structureAlso(count)}
    </span>
  ) : null
}

/** `canWithdraw`: the suggestion is the viewer's own and they suggest (a 审阅人 takes back their own, as the server allows). */
/** `notYours`: a drafter in 编辑 under 按分工编辑, and this suggestion is not theirs to decide (sections/directEdit.ts). */
export function SuggestionCard(props: { editor: Editor; suggestion: SuggestionInfo; place: CardPlace; canReview: boolean; canWithdraw: boolean; active: boolean; notYours?: boolean }) {
  const { editor, suggestion, place, canWithdraw, active, notYours = false } = props
  const canReview = props.canReview && !notYours
  const color = colorFor(suggestion.authorId ?? '')
  return (
    <li
      className={`review-card${active ? ' review-card--active' : ''}`}
      data-testid="suggestion-card"
      data-suggestion-id={suggestion.id}
      data-kind={suggestion.type === 'structure' ? 'structure' : suggestion.kind}
      style={{ borderLeftColor: color }}
      ref={(element) => {
        if (active) element?.scrollIntoView({ block: 'nearest', behavior: 'instant' })
      }}
    >
      <button type="button" className="review-card__body" onClick={() => goToRange(editor, suggestion.from, suggestion.to)}>
        <SuggestionMeta suggestion={suggestion} color={color} />
        <span className="review-card__section" data-testid="suggestion-place" title={place.title}>
          <b>{place.ref}</b> {place.title}
        </span>
        <Change suggestion={suggestion} context={place.context} />
        {canReview && suggestion.type === 'structure' && <AlsoAccepted editor={editor} id={suggestion.id} />}
      </button>
      {canReview && <ReviewActions editor={editor} id={suggestion.id} />}
      {!canReview && canWithdraw && <WithdrawAction editor={editor} id={suggestion.id} />}
      {props.canReview && notYours && (
        <p className="review-card__note" data-testid="not-yours">
          {t.review.notYoursToDecide}
        </p>
      )}
    </li>
  )
}
