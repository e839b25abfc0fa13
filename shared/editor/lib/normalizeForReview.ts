import type { Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { byAuthor, reviewSuggestions } from '../suggestions/review'
import { withdrawStructural } from '../suggestions/structural'

/**
 * The document with the changes a person may make without edit rights taken out: every comment
 * anchor, and (for a reviewer) that person's own pending suggestions withdrawn. If this is the same
 * before and after an update from a reviewer or viewer, the update changed nothing they may not change.
 * Withdrawing uses the editor's own reject (reviewSuggestions), so what the guard takes out is exactly
 * what 拒绝 would. Structural suggestions (a record on a section, suggestions/structural.ts) are
 * withdrawn too: the person's new sections go, their records on sections are dropped; a record by
 * anyone else, or a malformed one, stays and so must be unchanged. A viewer's form keeps them all.
 */
export function normalizeForReview(doc: PMNode, withdrawSuggestionsOf: string | null): PMNode {
  const tr = new Transform(withdrawSuggestionsOf ? withdrawStructural(doc, withdrawSuggestionsOf) : doc)
  if (withdrawSuggestionsOf) reviewSuggestions(tr, false, byAuthor(withdrawSuggestionsOf))
  const comment = doc.type.schema.marks.comment
  if (comment && tr.doc.rangeHasMark(0, tr.doc.content.size, comment)) tr.removeMark(0, tr.doc.content.size, comment)
  return tr.doc
}
