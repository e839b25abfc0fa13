import type { Node as PMNode } from '@tiptap/pm/model'
import { Mapping, StepMap } from '@tiptap/pm/transform'

/** Where two versions of a document differ: [start, endA) in the old one became [start, endB) in the new. */
export interface ChangedRange {
  start: number
  endA: number
  endB: number
}

/**
 * The smallest range that differs between two documents, found by walking in from both ends (nodes
 * shared by identity are skipped at once, so this is cheap on a long report). Null when equal.
 * Unlike a transaction's own mapping, this also narrows down y-prosemirror's remote transactions,
 * which replace the whole document even when one character changed.
 */
export function changedRange(a: PMNode, b: PMNode): Readonly<ChangedRange> | null {
  // Several plugins ask for the same pair in every transaction (every keystroke, every remote change).
  const last = lastRange.get(a)
  if (last?.b === b) return last.range
  const range = diff(a, b)
  lastRange.set(a, { b, range })
  return range
}

/** The last range asked for from each document (the documents are immutable, so it never goes stale). */
const lastRange = new WeakMap<PMNode, { b: PMNode; range: Readonly<ChangedRange> | null }>()

function diff(a: PMNode, b: PMNode): ChangedRange | null {
  const start = a.content.findDiffStart(b.content)
  if (start === null) return null
  let { a: endA, b: endB } = a.content.findDiffEnd(b.content)!
  // Repeated characters let the two scans overlap ("aa" → "aaa"): widen so the range is well formed
  // (as prosemirror-view does when it reads a DOM change).
  if (endA < start && a.content.size < b.content.size) {
    endB += start - endA
    endA = start
  } else if (endB < start) {
    endA += start - endB
    endB = start
  }
  return { start, endA, endB }
}

/** A mapping that moves positions after the changed range by its change in size. */
export const mapOfChange = ({ start, endA, endB }: ChangedRange): Mapping => new Mapping([new StepMap([start, endA - start, endB - start])])

/** Whether the change stays inside one textblock (in both versions): typing, not restructuring. */
export function isInsideOneTextblock(a: PMNode, b: PMNode, { start, endA, endB }: ChangedRange): boolean {
  const inside = (doc: PMNode, from: number, to: number) => {
    if (from <= 0 || to >= doc.content.size) return false
    const $from = doc.resolve(from)
    return $from.parent.isTextblock && $from.sameParent(doc.resolve(to))
  }
  return inside(a, start, endA) && inside(b, start, endB)
}
