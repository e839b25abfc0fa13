import type { Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { byAuthor, reviewSuggestions } from '../suggestions/review'
import { withdrawStructural } from '../suggestions/structural'

/**
 * The document with the changes a person may make without edit rights taken out: comment anchors
 * (all, or those `keepAnchor` does not keep: another person's anchors must stay where they are), and
 * (for a reviewer) that person's own pending suggestions withdrawn. If this is the same before and after
 * an update from a reviewer or viewer, the update changed nothing they may not change.
 * Withdrawing uses the editor's own reject (reviewSuggestions), so what the guard takes out is exactly
 * what 拒绝 would. Structural suggestions (a record on a section, suggestions/structural.ts) are
 * withdrawn too: the person's new sections go, their records on sections are dropped; a record by
 * anyone else, or a malformed one, stays and so must be unchanged. A viewer's form keeps them all.
 */
export function normalizeForReview(doc: PMNode, withdrawSuggestionsOf: string | null, keepAnchor: (threadId: string) => boolean = () => false): PMNode {
  const tr = new Transform(withdrawSuggestionsOf ? withdrawStructural(doc, withdrawSuggestionsOf) : doc)
  if (withdrawSuggestionsOf) reviewSuggestions(tr, false, byAuthor(withdrawSuggestionsOf))
  const comment = doc.type.schema.marks.comment
  if (comment && tr.doc.rangeHasMark(0, tr.doc.content.size, comment)) {
    const anchors: { from: number; to: number; mark: import('@tiptap/pm/model').Mark }[] = []
    tr.doc.descendants((node, pos) => {
      for (const mark of node.marks) if (mark.type === comment && !keepAnchor(String(mark.attrs.threadId))) anchors.push({ from: pos, to: pos + node.nodeSize, mark })
    })
    // Removing marks does not move positions, so the collected ranges stay valid.
    for (const { from, to, mark } of anchors) tr.removeMark(from, to, mark)
  }
  return tr.doc
}
