import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import { AddMarkStep, RemoveMarkStep, ReplaceStep, type Step } from '@tiptap/pm/transform'
import type { Transaction } from '@tiptap/pm/state'
import { newId } from '../lib/ids'

export interface Author {
  id: string
  name: string
}

const SUGGESTION_MARKS = new Set(['insertion', 'deletion'])

/** The stretch of the final document that a transaction's steps touched. */
export function touchedRange(tr: Transaction): { from: number; to: number } | null {
  let from = Infinity
  let to = -Infinity
  tr.steps.forEach((step: Step, index) => {
    let start: number
    let end: number
    if (step instanceof ReplaceStep) [start, end] = [step.from, step.from + step.slice.size]
    else if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) [start, end] = [step.from, step.to]
    else return
    const range = inFinalDoc(tr, index, start, end, 'outward')
    from = Math.min(from, range.from)
    to = Math.max(to, range.to)
  })
  return from <= to ? { from, to } : null
}

/**
 * Where [from, to] of step `index`'s result lies in the transaction's final document: 'outward' takes
 * in what later steps insert at its edges, 'inward' leaves it out.
 */
function inFinalDoc(tr: Transaction, index: number, from: number, to: number, edges: 'outward' | 'inward'): { from: number; to: number } {
  const later = tr.mapping.slice(index + 1)
  const side = edges === 'outward' ? -1 : 1
  return { from: later.map(from, side), to: later.map(to, -side) }
}

/**
 * prosemirror-suggest-changes marks suggestions with an id only, and reuses the id of any adjacent
 * suggestion. This gives every new suggestion mark its author and time, and a fresh id when the
 * adjacent suggestion it joined belongs to someone else, so keystrokes merge only with one's own.
 */
export function stampAuthor(tr: Transaction, author: Author, now = new Date().toISOString()): void {
  const range = touchedRange(tr)
  if (!range) return
  const doc = tr.doc
  const from = Math.max(0, range.from - 1)
  const to = Math.min(doc.content.size, range.to + 1)

  const owners = new Map<string, Mark>()
  const unstamped: { pos: number; end: number; mark: Mark }[] = []
  doc.nodesBetween(from, to, (node: PMNode, pos: number) => {
    if (!node.isText) return true
    for (const mark of node.marks) {
      if (!SUGGESTION_MARKS.has(mark.type.name)) continue
      if (mark.attrs.authorId) owners.set(String(mark.attrs.id), mark)
      else unstamped.push({ pos, end: pos + node.nodeSize, mark })
    }
    return false
  })

  const reassigned = new Map<string, string>()
  for (const { pos, end, mark } of unstamped) {
    const original = String(mark.attrs.id)
    const owner = owners.get(original)
    const mine = owner?.attrs.authorId === author.id
    const id = !owner || mine ? original : (reassigned.get(original) ?? reassigned.set(original, newId('s')).get(original)!)
    tr.removeMark(pos, end, mark.type)
    tr.addMark(
      pos,
      end,
      mark.type.create({ id, authorId: author.id, authorName: author.name, createdAt: mine ? owner.attrs.createdAt : now }),
    )
  }
}

/**
 * The library also merges a new suggestion with the one right after it by marking that one again
 * with the new id (its replaceStep: "a new mark directly abuts an existing mark with a different id"):
 * typing just before 李处长's suggestion made it 王局长's, and the server refused the update. Another
 * person's suggestion marks on text the transaction kept (mapped through it) are put back. Run before
 * settleBreaks: a re-marked paragraph-break marker of theirs no longer reads as their break, and was
 * replaced by a fresh one (losing a comment anchored on it: the server refused 王局长's Enter).
 */
export function restoreOthersSuggestions(tr: Transaction, authorId: string, range: { from: number; to: number }): void {
  const before = tr.before
  const inverse = tr.mapping.invert()
  const from = Math.max(0, inverse.map(range.from, -1) - 1)
  const to = Math.min(before.content.size, inverse.map(range.to, 1) + 1)
  const restore: { from: number; to: number; mark: Mark }[] = []
  // Text this transaction inserted is its own, even where it landed inside their suggestion.
  const inserted = insertedRanges(tr)
  const keep = (start: number, end: number, mark: Mark) => {
    let at = start
    for (const own of inserted) {
      if (own.to <= at || own.from >= end) continue
      if (own.from > at) restore.push({ from: at, to: own.from, mark })
      at = Math.max(at, own.to)
    }
    if (at < end) restore.push({ from: at, to: end, mark })
  }
  before.nodesBetween(from, to, (node: PMNode, pos: number) => {
    if (!node.isText) return true
    for (const mark of node.marks) {
      if (!SUGGESTION_MARKS.has(mark.type.name) || !mark.attrs.authorId || mark.attrs.authorId === authorId) continue
      const start = tr.mapping.map(pos, 1)
      const end = tr.mapping.map(pos + node.nodeSize, -1)
      if (start >= end) continue
      // Where that text now carries a suggestion of the same kind that is not theirs (typing over
      // text they suggested deleting re-marks it too); text of the other kind is this edit's own.
      tr.doc.nodesBetween(start, end, (child, childPos) => {
        const now = child.isText ? mark.type.isInSet(child.marks) : undefined
        if (now && !now.eq(mark)) keep(Math.max(start, childPos), Math.min(end, childPos + child.nodeSize), mark)
        return !child.isText
      })
    }
    return false
  })
  for (const each of restore) {
    tr.removeMark(each.from, each.to, each.mark.type)
    tr.addMark(each.from, each.to, each.mark)
  }
}

/** The stretches of the final document that the transaction's replace steps inserted, in order. */
function insertedRanges(tr: Transaction): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = []
  tr.steps.forEach((step: Step, index) => {
    if (!(step instanceof ReplaceStep) || step.slice.size === 0) return
    const range = inFinalDoc(tr, index, step.from, step.from + step.slice.size, 'inward')
    if (range.from < range.to) ranges.push(range)
  })
  return ranges.sort((a, b) => a.from - b.from)
}
