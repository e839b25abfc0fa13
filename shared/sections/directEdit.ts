import type { Node as PMNode } from '@tiptap/pm/model'
import { normalizeForReview } from '../editor/lib/normalizeForReview'
import { sectionForm } from './sectionTree'

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
