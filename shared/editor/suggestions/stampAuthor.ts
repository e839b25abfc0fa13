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
    const later = tr.mapping.slice(index + 1)
    from = Math.min(from, later.map(start, -1))
    to = Math.max(to, later.map(end, 1))
  })
  return from <= to ? { from, to } : null
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
