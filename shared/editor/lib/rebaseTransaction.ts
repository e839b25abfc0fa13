import type { EditorState, Transaction } from '@tiptap/pm/state'
import { Mapping } from '@tiptap/pm/transform'

/** A transaction's metadata, which ProseMirror keeps in a private field (there is no public way to list it). */
const metaOf = (tr: Transaction) => (tr as unknown as { meta: Record<string, unknown> }).meta

/**
 * `tr`, made on an older state, made again on `state`, which differs from that older state by
 * `between` (a mapping from the old document to `state.doc`). Its steps are mapped over `between` and
 * over the steps of its own before them, as prosemirror-collab rebases steps over a concurrent change;
 * a step that no longer applies is dropped. Metadata, stored marks, the selection (mapped) and the
 * scroll request are kept.
 */
export function rebaseTransaction(tr: Transaction, between: Mapping, state: EditorState): Transaction {
  const rebased = state.tr
  /** For each rebased step, the index of the step of `tr` it came from. */
  const origins: number[] = []
  tr.steps.forEach((step, index) => {
    // From the document this step applies to back to the old one, over `between`, then forward over
    // the steps already rebased; each inverted step mirrors its rebased copy, so positions inside a
    // range a step deleted come back where they were.
    const mapping = new Mapping()
    const mirrors: number[] = []
    for (let i = index - 1; i >= 0; i--) {
      mirrors[i] = mapping.maps.length
      mapping.appendMap(tr.steps[i].getMap().invert())
    }
    mapping.appendMapping(between)
    rebased.steps.forEach((done, i) => mapping.appendMap(done.getMap(), mirrors[origins[i]]))
    const mapped = step.map(mapping)
    if (mapped && !rebased.maybeStep(mapped).failed) origins[rebased.steps.length - 1] = index
  })
  if (tr.selectionSet) {
    const back = new Mapping()
    for (let i = tr.steps.length - 1; i >= 0; i--) back.appendMap(tr.steps[i].getMap().invert())
    back.appendMapping(between)
    back.appendMapping(rebased.mapping)
    rebased.setSelection(tr.selection.map(rebased.doc, back))
  }
  if (tr.storedMarksSet) rebased.setStoredMarks(tr.storedMarks)
  if (tr.scrolledIntoView) rebased.scrollIntoView()
  for (const [key, value] of Object.entries(metaOf(tr))) rebased.setMeta(key, value)
  return rebased
}
