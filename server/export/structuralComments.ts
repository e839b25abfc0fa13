import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import type { CommentThread } from '../../shared/comments/threads'
import { describeStructural, structuralSuggestions } from '../../shared/editor/suggestions/structural'

/**
 * 'as-is' (含修订与批注) export: a pending structural suggestion (a moved, promoted, demoted or new
 * section, a run-in title) is not applied yet, so the copy lays the sections out as they stand, and
 * Word has no tracked change for "this heading moves up". Each one becomes a Word comment on its
 * section's title instead, by its author and at its time, saying what is suggested and that it is
 * still pending: the copy never passes the current structure off as agreed. (The PDF lists it with
 * the comments after the report.)
 */
export function withStructuralComments(doc: ProseMirrorNode, threads: readonly CommentThread[]): { doc: ProseMirrorNode; threads: CommentThread[] } {
  const entries = structuralSuggestions(doc)
  if (entries.length === 0) return { doc, threads: [...threads] }
  const tr = new Transform(doc)
  const added: CommentThread[] = []
  for (const { suggestion, pos, node } of entries) {
    const title = node.firstChild
    if (!title || title.content.size === 0) continue
    const from = pos + 2
    const id = `structural-${suggestion.id}`
    tr.addMark(from, from + title.content.size, doc.type.schema.marks.comment.create({ threadId: id }))
    const text = `修订建议：${describeStructural(suggestion)}（尚未接受，本稿按现有结构排版）`
    const { authorId, authorName, createdAt } = suggestion
    added.push({ id, authorId, authorName, createdAt, quote: title.textContent, resolved: false, resolvedBy: null, resolvedAt: null, messages: [{ id: `${id}-0`, authorId, authorName, createdAt, text }] })
  }
  return { doc: tr.doc, threads: [...threads, ...added] }
}
