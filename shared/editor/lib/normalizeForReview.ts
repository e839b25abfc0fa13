import type { Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { byAuthor, reviewSuggestions } from '../suggestions/review'

/**
 * The document with the changes a person may make without edit rights taken out: every comment
 * anchor, and (for a reviewer) that person's own pending suggestions withdrawn. If this is the same
 * before and after an update from a reviewer or viewer, the update changed nothing they may not change.
 * Withdrawing uses the editor's own reject (reviewSuggestions), so what the guard takes out is exactly
 * what 拒绝 would.
 */
export function normalizeForReview(doc: PMNode, withdrawSuggestionsOf: string | null): PMNode {
  const tr = new Transform(doc)
  if (withdrawSuggestionsOf) reviewSuggestions(tr, false, byAuthor(withdrawSuggestionsOf))
  const comment = doc.type.schema.marks.comment
  if (comment && tr.doc.rangeHasMark(0, tr.doc.content.size, comment)) tr.removeMark(0, tr.doc.content.size, comment)
  return tr.doc
}
