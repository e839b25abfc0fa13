import { revertSuggestion } from '@handlewithcare/prosemirror-suggest-changes'
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, type Transaction } from '@tiptap/pm/state'

/**
 * The document with the changes a person may make without edit rights taken out: comment anchors
 * (all, or those `keepAnchor` does not keep: another person's anchors must stay where they are), and
 * (for a reviewer) that person's own pending suggestions withdrawn. If this is the same before and after
 * an update from a reviewer or viewer, the update changed nothing they may not change.
 */
export function normalizeForReview(doc: PMNode, withdrawSuggestionsOf: string | null, keepAnchor: (threadId: string) => boolean = () => false): PMNode {
  let state = EditorState.create({ doc })
  const apply = (tr: Transaction) => {
    state = state.apply(tr)
  }
  if (withdrawSuggestionsOf) {
    const ids = new Set<string>()
    doc.descendants((node) => {
      for (const mark of node.marks) {
        if ((mark.type.name === 'insertion' || mark.type.name === 'deletion') && mark.attrs.authorId === withdrawSuggestionsOf) ids.add(String(mark.attrs.id))
      }
    })
    for (const id of ids) revertSuggestion(id)(state, apply)
  }
  const comment = doc.type.schema.marks.comment
  if (comment && state.doc.rangeHasMark(0, state.doc.content.size, comment)) {
    const tr = state.tr
    state.doc.descendants((node, pos) => {
      for (const mark of node.marks) if (mark.type === comment && !keepAnchor(String(mark.attrs.threadId))) tr.removeMark(pos, pos + node.nodeSize, mark)
    })
    apply(tr)
  }
  return state.doc
}
