import type { Mark, Node as PMNode } from '@tiptap/pm/model'
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
    // Per text node: the anchors that stay, in one order. Yjs keeps a text's overlapping anchors in the
    // order their formatting was last written, which an edit elsewhere in the paragraph can change, so
    // the same anchors could compare unequal (and the server refuse a harmless update).
    const rewrites: { from: number; to: number; kept: Mark[] }[] = []
    tr.doc.descendants((node, pos) => {
      const anchors = node.marks.filter((mark) => mark.type === comment)
      if (anchors.length === 0) return
      const kept = anchors.filter((mark) => keepAnchor(String(mark.attrs.threadId))).sort((a, b) => (String(a.attrs.threadId) < String(b.attrs.threadId) ? -1 : 1))
      if (kept.length !== anchors.length || kept.some((mark, index) => mark !== anchors[index])) rewrites.push({ from: pos, to: pos + node.nodeSize, kept })
    })
    // Marks do not move positions, so the collected ranges stay valid.
    for (const { from, to, kept } of rewrites) {
      tr.removeMark(from, to, comment)
      for (const mark of kept) tr.addMark(from, to, mark)
    }
  }
  return tr.doc
}
