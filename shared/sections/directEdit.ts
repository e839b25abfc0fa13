import type { Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import type { SuggestionInfo } from '../editor/lib/analyzeReport'
import { normalizeForReview } from '../editor/lib/normalizeForReview'
import { reviewStructural } from '../editor/suggestions/structural'
import { notDirectReason, sectionForm, sectionStates, type SectionState } from './sectionTree'

/**
 * Whether a drafter's direct edit from `before` to `after` under 按分工编辑 leaves everything outside
 * their sections as it was: the server's comparison (SectionGuard: the drafter's own suggestions
 * withdrawn, then `sectionForm`). The caret alone cannot tell this for a structure command: moving
 * one's own section past another's, adding a section after one's own, or dissolving one's section into
 * the paragraph before it all start inside one's section and change what lies outside it.
 */
export function keepsOthersParts(before: PMNode, after: PMNode, userId: string): boolean {
  const form = (doc: PMNode) => sectionForm(normalizeForReview(doc, userId), userId)
  return form(before).eq(form(after))
}

/**
 * Whether a drafter may accept or reject `suggestion` under 按分工编辑: deciding it is a direct edit,
 * so the server takes it only where the drafter may edit. A text suggestion: where it lies is theirs
 * (their section, not 定稿). A structure suggestion moves or adds sections: accepted and rejected, it
 * must keep what is not theirs (tried both ways; they are few, and this compares whole documents).
 */
export function mayDecide(doc: PMNode, suggestion: Pick<SuggestionInfo, 'id' | 'type' | 'from' | 'to'>, userId: string, states: SectionState[] = sectionStates(doc)): boolean {
  if (suggestion.type !== 'structure') return notDirectReason(doc, suggestion.from, suggestion.to, userId, states) === null
  // Typing changes no section's place, records or suggestions: the answer is kept until one of them
  // changes (two whole-document comparisons, ~25 ms on a 100-page report, not at every keystroke).
  const key = `${userId}\u0000${suggestion.id}\u0000${structureOf(doc)}`
  let decided = structureDecisions.get(key)
  if (decided === undefined) {
    decided = [true, false].every((accept) => {
      const tr = new Transform(doc)
      reviewStructural(tr, accept, (each) => each.id === suggestion.id)
      return keepsOthersParts(doc, tr.doc, userId)
    })
    if (structureDecisions.size >= 64) structureDecisions.delete(structureDecisions.keys().next().value!)
    structureDecisions.set(key, decided)
  }
  return decided
}

const structureDecisions = new Map<string, boolean>()

/** The sections' nesting, order and attributes (records, structural suggestions), without their text. */
function structureOf(doc: PMNode): string {
  const parts: string[] = []
  const walk = (node: PMNode, depth: number) =>
    node.forEach((child) => {
      if (child.type.name !== 'section') return
      parts.push(`${depth}${JSON.stringify(child.attrs)}`)
      walk(child, depth + 1)
    })
  walk(doc, 0)
  return parts.join('\n')
}
