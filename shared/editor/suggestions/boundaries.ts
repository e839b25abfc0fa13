import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import type { Transaction } from '@tiptap/pm/state'
import { newId } from '../lib/ids'

/**
 * Suggested paragraph breaks: a split (insertion) or a join (deletion) of two adjacent textblocks.
 *
 * prosemirror-suggest-changes records such a break only by the suggestion marks on the text either
 * side of it (same id on both sides, zero-width spaces where there is no text). That is ambiguous: a
 * paragraph made only of one suggestion's text links both of its breaks, and the library's reuse of
 * a neighbour's id links breaks nobody suggested (typing or replacing at the start of a paragraph that
 * follows a suggested split linked the break before the previous paragraph; reject-all then joined the
 * title with the text). So a suggested break has one canonical marker of its own: a zero-width space
 * at the end of the textblock before it, carrying the break's suggestion mark. After every suggesting
 * transaction `settleBreaks` puts the markers where the breaks are, whatever the library wrote; review
 * treats a marker as the break it stands for (review.ts).
 *
 * Documents written before (and the Word importer, which writes a marker on both sides) may also link
 * a break by a zero-width space at the start of the next textblock carrying the same suggestion as the
 * end of the previous one; that is read too.
 */

export const ZERO_WIDTH = '\u200B'
const LINKING = ['insertion', 'deletion'] as const

export interface LinkedBreak {
  /** End of the text before the break, start of the text after it. */
  end: number
  start: number
  mark: Mark
  /** The zero-width spaces standing for the break (the trailing one, a leading one if any). */
  markers: number[]
}

interface Textblock {
  node: PMNode
  pos: number
  start: number
  end: number
}

const suggestionOf = (node: PMNode | null | undefined) => node?.marks.find((mark) => (LINKING as readonly string[]).includes(mark.type.name))
const sameSuggestion = (a: Mark | undefined, b: Mark | undefined) => Boolean(a && b && a.type === b.type && a.attrs.id === b.attrs.id)
const endsWithMarker = (node: PMNode | null | undefined) => Boolean(node?.isText && node.text!.endsWith(ZERO_WIDTH))
const startsWithMarker = (node: PMNode | null | undefined) => Boolean(node?.isText && node.text!.startsWith(ZERO_WIDTH))

function textblocksOf(doc: PMNode, from = 0, to = doc.content.size): Textblock[] {
  const blocks: Textblock[] = []
  doc.nodesBetween(from, to, (node, pos) => {
    if (node.isTextblock) blocks.push({ node, pos, start: pos + 1, end: pos + 1 + node.content.size })
    return !node.isTextblock
  })
  return blocks
}

/**
 * The trailing marker of `a`: its last zero-width space with a suggestion mark, followed by nothing
 * but plain text (a drafter, editing directly, may have typed after it since).
 */
function trailingMarker(a: Textblock): { pos: number; mark: Mark } | null {
  for (let index = a.node.childCount - 1, end = a.end; index >= 0; index--) {
    const child = a.node.child(index)
    const start = end - child.nodeSize
    const mark = suggestionOf(child)
    if (mark) return endsWithMarker(child) ? { pos: end - 1, mark } : null
    if (!child.isText || child.text!.includes(ZERO_WIDTH)) return null
    end = start
  }
  return null
}

/** The suggestion a break between `a` and `b` belongs to, and its markers; null for a plain break. */
function breakBetween(a: Textblock, b: Textblock): { mark: Mark; markers: number[] } | null {
  const first = b.node.firstChild
  const trailing = trailingMarker(a)
  const leading = startsWithMarker(first) ? suggestionOf(first) : undefined
  if (trailing) return { mark: trailing.mark, markers: sameSuggestion(trailing.mark, leading) ? [trailing.pos, b.start] : [trailing.pos] }
  if (leading && sameSuggestion(leading, suggestionOf(a.node.lastChild))) return { mark: leading, markers: [b.start] }
  return null
}

/** Paragraph breaks whose text before ends between `from` and `to` and that belong to a suggestion. */
export function linkedBreaks(doc: PMNode, from = 0, to = doc.content.size): LinkedBreak[] {
  const blocks = textblocksOf(doc, from, Math.min(doc.content.size, to + 4))
  const breaks: LinkedBreak[] = []
  blocks.forEach((a, index) => {
    const b = blocks[index + 1]
    if (!b || a.end < from || !adjacentTextblocks(doc, a.end, b.start)) return
    const found = breakBetween(a, b)
    if (found) breaks.push({ end: a.end, start: b.start, ...found })
  })
  return breaks
}

/** Whether nothing but the closing and opening of blocks lies between `end` and `start`. */
export function adjacentTextblocks(doc: PMNode, end: number, start: number): boolean {
  let between = false
  doc.nodesBetween(end, start, (node, pos) => {
    if (node.isTextblock && pos + 1 > end && pos + 1 < start) between = true
    return !between
  })
  return !between
}

/** Suggested breaks inside a deleted range, for refusing or withdrawing them before the library sees them. */
export function breaksIn(doc: PMNode, from: number, to: number, type: 'insertion' | 'deletion'): LinkedBreak[] {
  return linkedBreaks(doc, from, to).filter((link) => link.mark.type.name === type && link.end >= from && link.start <= to)
}

/**
 * After a suggesting transaction: which breaks of `tr.doc` are suggested, and each one's marker put
 * in place (zero-width spaces the library left elsewhere in the changed text removed).
 * - A break suggested before the transaction that still separates the same textblocks keeps its mark.
 * - A break the transaction created (no textblock of the document before ends there) is a suggested
 *   split: its mark is the insertion the transaction made beside it, or a new one.
 * - `joined`: positions just after the textblock before each break the person's edit deleted (a
 *   join): a suggested join, marked likewise with the transaction's deletion beside it, or a new one.
 * New marks carry no author yet: stampAuthor gives them the person's name (and a fresh id if the id
 * was a neighbour's of someone else). A kept break's marker put back carries the other marks its old
 * marker had (formatting, comment anchors).
 */
export function settleBreaks(before: PMNode, tr: Transaction, joined: readonly number[], touched: { from: number; to: number }): void {
  const kept = new Map<number, Mark>()
  // What else each kept break's marker carried (formatting, comment anchors), for a marker put back.
  const carried = new Map<number, readonly Mark[]>()
  const others = (marks: readonly Mark[]) => marks.filter((mark) => !(LINKING as readonly string[]).includes(mark.type.name))
  for (const link of linkedBreaks(before)) {
    const after = tr.mapping.mapResult(afterClose(before, link.end))
    if (after.deleted) continue
    kept.set(after.pos, link.mark)
    const marker = link.markers.length > 0 ? before.nodeAt(link.markers[0]) : null
    if (marker) carried.set(after.pos, others(marker.marks))
  }
  const images = new Set<number>()
  for (const block of textblocksOf(before)) {
    const after = tr.mapping.mapResult(block.pos + block.node.nodeSize)
    if (!after.deleted) images.add(after.pos)
  }

  const doc = tr.doc
  const blocks = textblocksOf(doc)
  const isTouched = (block: Textblock) => block.end >= touched.from - 1 && block.start <= touched.to + 1
  const edits: { pos: number; insert?: Mark; keep?: readonly Mark[] }[] = []
  const stray = new Set<number>()
  for (const block of blocks) {
    if (!isTouched(block)) continue
    block.node.forEach((child, offset) => {
      if (!child.isText) return
      for (let i = child.text!.indexOf(ZERO_WIDTH); i >= 0; i = child.text!.indexOf(ZERO_WIDTH, i + 1)) stray.add(block.start + offset + i)
    })
  }

  blocks.forEach((a, index) => {
    const b = blocks[index + 1]
    if (!b || !adjacentTextblocks(doc, a.end, b.start)) return
    const close = a.pos + a.node.nodeSize
    let want = kept.get(close)
    if (!want && !images.has(close)) want = markBeside(a, b, 'insertion', doc)
    else if (!want && joined.includes(close)) want = markBeside(a, b, 'deletion', doc)
    const current = breakBetween(a, b)
    if (!want) {
      // A plain break: a marker the library left at it is dropped (only where this edit changed things).
      return
    }
    const trailing = trailingMarker(a)
    if (trailing && sameSuggestion(trailing.mark, want)) {
      stray.delete(trailing.pos)
      return
    }
    if (!isTouched(a) && !isTouched(b) && current && sameSuggestion(current.mark, want)) {
      // An older document's leading marker, untouched: left as it is.
      return
    }
    // The marker put back keeps what else the one it replaces carried (its formatting, comment anchors):
    // those belong to whoever wrote them, and the server compares them.
    edits.push({ pos: a.end, insert: want, keep: carried.get(close) ?? [] })
  })

  for (const pos of stray) edits.push({ pos })
  // From the end, so that earlier positions stay valid; at one position the insertion comes first.
  edits.sort((x, y) => y.pos - x.pos || (x.insert ? -1 : 1))
  for (const edit of edits) {
    if (edit.insert) tr.insert(edit.pos, doc.type.schema.text(ZERO_WIDTH, edit.insert.addToSet(edit.keep ?? [])))
    else tr.delete(edit.pos, edit.pos + 1)
  }
}

/** The position just after the textblock whose text ends at `end`. */
function afterClose(doc: PMNode, end: number): number {
  return doc.resolve(end).after()
}

/** The transaction's new (unstamped) suggestion of `type` on either side of a break, or a new one. */
function markBeside(a: Textblock, b: Textblock, type: 'insertion' | 'deletion', doc: PMNode): Mark {
  for (const node of [a.node.lastChild, b.node.firstChild]) {
    const mark = node?.marks.find((m) => m.type.name === type)
    if (mark && !mark.attrs.authorId) return mark
  }
  return doc.type.schema.marks[type].create({ id: newId('s') })
}
