import type { Editor } from '@tiptap/react'
import { useState, type FormEvent } from 'react'
import type * as Y from 'yjs'
import { replyToThread, setThreadResolved, type CommentThread } from '../../../../shared/comments/threads'
import type { CommentAnchor } from '../../../../shared/editor/lib/analyzeReport'
import { colorFor } from '../../../../shared/editor/lib/colors'
import { newId } from '../../../../shared/editor/lib/ids'
import type { Identity } from '../../identity'
import { t } from '../../strings'
import { AuthorName } from '../AuthorName'
import { goToRange } from './SuggestionCard'
import { formatTime } from './time'

export function ThreadCard(props: { editor: Editor; ydoc: Y.Doc; thread: CommentThread; anchor: CommentAnchor | undefined; me: Identity; active: boolean; locked: boolean }) {
  const { editor, ydoc, thread, anchor, me, active, locked } = props
  const [reply, setReply] = useState('')
  const send = (event: FormEvent) => {
    event.preventDefault()
    if (!reply.trim()) return
    replyToThread(ydoc, thread.id, me, reply.trim(), newId('m'))
    setReply('')
  }
  return (
    <li
      className={`review-card thread${thread.resolved ? ' thread--resolved' : ''}${active ? ' thread--active' : ''}`}
      data-testid="thread-card"
      data-thread-id={thread.id}
      style={{ borderLeftColor: colorFor(thread.authorId) }}
    >
      <button type="button" className="thread__quote" onClick={() => anchor && goToRange(editor, anchor.from, anchor.to)} disabled={!anchor}>
        「{anchor?.text ?? thread.quote}」{!anchor && <em>（{t.review.detached}）</em>}
      </button>
      <ol className="thread__messages">
        {thread.messages.map((message) => (
          <li key={message.id} className="thread__message" data-testid="thread-message">
            <span className="review-card__meta">
              <AuthorName id={message.authorId} name={message.authorName} />
              <time>{formatTime(message.createdAt)}</time>
            </span>
            <p>{message.text}</p>
          </li>
        ))}
      </ol>
      {thread.resolved && <p className="thread__status">{t.review.resolved}{thread.resolvedBy ? `（${thread.resolvedBy}）` : ''}</p>}
      {/* In a submitted report the server refuses replies and resolving: no inputs that would lose what is typed. */}
      {!locked && (
        <form className="thread__reply" onSubmit={send}>
          {!thread.resolved && (
            <input value={reply} placeholder={t.review.replyPlaceholder} aria-label={t.review.reply} onChange={(event) => setReply(event.target.value)} />
          )}
          {!thread.resolved && reply.trim() && (
            <button type="submit" className="button button--small button--primary">
              {t.review.send}
            </button>
          )}
          <button type="button" className="button button--small" onClick={() => setThreadResolved(ydoc, thread.id, !thread.resolved, me)}>
            {thread.resolved ? t.review.reopen : t.review.resolve}
          </button>
        </form>
      )}
    </li>
  )
}

/** The box for the first message of a new thread, on the text selected when 批注 was pressed. */
export function NewThreadForm({ quote, onSubmit, onCancel }: { quote: string; onSubmit: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState('')
  return (
    <form
      className="review-card thread thread--new"
      data-testid="new-thread"
      onSubmit={(event) => {
        event.preventDefault()
        if (text.trim()) onSubmit(text.trim())
      }}
    >
      <span className="thread__quote">「{quote}」</span>
      <textarea autoFocus rows={3} value={text} placeholder={t.review.commentPlaceholder} aria-label={t.review.newComment} onChange={(event) => setText(event.target.value)} />
      <span className="review-card__actions">
        <button type="button" className="button button--small" onClick={onCancel}>
          {t.review.cancel}
        </button>
        <button type="submit" className="button button--small button--primary" disabled={!text.trim()}>
          {t.review.send}
        </button>
      </span>
    </form>
  )
}
