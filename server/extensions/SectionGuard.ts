import * as Y from 'yjs'
import { readOptions } from '../../shared/sections/options'
import { checkRecordChanges } from '../../shared/sections/workflow'
import type { Role } from '../../shared/roles'
import type { CollabDocument } from '../collab/CollabDocument'
import { sectionForm } from '../../shared/sections/sectionTree'
import type { ReviewGuard } from './ReviewGuard'
import { onlyInOwnSections, recordSightings, scanUpdate } from './sectionScan'

/**
 * The section rules of joint drafting, checked before an update is applied (Permissions.ts):
 * - only the owner changes the document options (按分工编辑 …);
 * - assignments and status changes follow the state machine (shared/sections/workflow.ts);
 * - under 按分工编辑, a drafter's direct edits stay inside their sections that are not 定稿.
 *
 * 'allow' and 'refuse' are final; 'compare' asks for the full comparison of the review guard (with
 * the drafter's section form), which also lets through the drafter's own suggestions elsewhere.
 * The owner is never checked. For a drafter's keystroke the cost is one read of the update
 * (sectionScan.ts) and, under 按分工编辑, a walk up from the changed text to its sections.
 */
export type SectionVerdict = { verdict: 'allow' } | { verdict: 'refuse'; reason: string } | { verdict: 'compare' }

export function checkSectionRules(document: CollabDocument, update: Uint8Array, userId: string, role: Role): SectionVerdict {
  if (role === 'owner') return { verdict: 'allow' }
  const scan = scanUpdate(document.ydoc, update)
  if (scan.options) return { verdict: 'refuse', reason: 'only the owner changes the document options' }
  // An update referring to content the server does not have could change a record once that arrives: try it whole.
  if (scan.records || scan.anchors.includes(null)) {
    const reason = recordChangeRefused(document.ydoc, update, userId, role)
    if (reason) return { verdict: 'refuse', reason }
  }
  if (role !== 'drafter') return { verdict: 'compare' }
  if (!readOptions(document.ydoc).byAssignment) return { verdict: 'allow' }
  return onlyInOwnSections(document.ydoc, scan, userId) ? { verdict: 'allow' } : { verdict: 'compare' }
}

/** Applies the update to a copy (rare: assignment and status changes, moves of assigned sections) and checks the records. */
function recordChangeRefused(ydoc: Y.Doc, update: Uint8Array, userId: string, role: Role): string | null {
  const copy = new Y.Doc()
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(ydoc))
    Y.applyUpdate(copy, update)
    if (copy.store.pendingStructs !== null || copy.store.pendingDs !== null) return 'the update waits for content the document does not have'
    return checkRecordChanges(recordSightings(ydoc, userId, copy), recordSightings(copy, userId), { id: userId, role })
  } catch {
    return 'malformed update'
  } finally {
    copy.destroy()
  }
}

/**
 * Everything checked on an update from a member who is not the owner: the section rules, then (for
 * reviewers, viewers, and drafters outside their sections under 按分工编辑) the review guard's
 * comparison. True, or why the update is refused.
 */
export function allowsUpdate(guard: ReviewGuard, document: CollabDocument, update: Uint8Array, origin: unknown, userId: string, role: Role): true | string {
  const sections = checkSectionRules(document, update, userId, role)
  if (sections.verdict === 'refuse') return sections.reason
  if (sections.verdict === 'allow') return true
  const allowed =
    role === 'drafter'
      ? guard.allows(document, update, origin, userId, true, { key: 'sections', normalize: (node) => sectionForm(node, userId), checkComments: false })
      : guard.allows(document, update, origin, userId, role === 'reviewer')
  return allowed || (role === 'drafter' ? 'a direct edit outside the drafter’s sections or in a 定稿 section' : 'more than own suggestions and comments')
}
