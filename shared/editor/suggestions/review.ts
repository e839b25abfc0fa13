import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { linkedBreaks, ZERO_WIDTH } from './boundaries'

/** Which suggestion marks a review action takes. */
export type SuggestionFilter = (mark: Mark) => boolean

const SUGGESTION_MARKS = new Set(['insertion', 'deletion', 'modification'])

export const isSuggestionMark = (mark: Mark): boolean => SUGGESTION_MARKS.has(mark.type.name)

export const byId =
  (...ids: string[]): SuggestionFilter =>
  (mark) =>
    ids.includes(String(mark.attrs.id))
export const byAuthor =
  (authorId: string): SuggestionFilter =>
  (mark) =>
    mark.attrs.authorId === authorId
export const everySuggestion: SuggestionFilter = () => true

interface Segment {
  from: number
  to: number
  mark: Mark
  /** The content goes (accepted deletion, rejected insertion); otherwise only the mark goes. */
  remove: boolean
  /** A node mark on a block rather than a mark on text. */
  block: boolean
  /** A suggested paragraph break (boundaries.ts): `from` its marker, `to` the start of the text after it. */
  markers?: number[]
  break?: { end: number; start: number }
}

/**
 * Accepts or rejects every suggestion whose mark passes `filter`, as steps added to `tr` (one
 * transaction, so one undo step). prosemirror-suggest-changes' own commands each start from a fresh
 * `state.tr` (so several in a row work on a stale document), end a deletion at any adjacent deletion
 * whatever its id, and accept or reject every modification in the document along with the one asked
 * for; this walks the document once, finds each suggestion's extent by its own id, and applies all of
 * them through the transform's mapping, so the result does not depend on their order.
 * Returns whether anything matched.
 */
export function reviewSuggestions(tr: Transform, accept: boolean, filter: SuggestionFilter): boolean {
  const segments = collectSegments(tr.doc, accept, filter)
  if (segments.length === 0) return false
  const start = tr.steps.length
  const map = (pos: number, assoc: number) => tr.mapping.slice(start).mapResult(pos, assoc)
  // From the end backwards, so most positions are still those of the original document.
  for (const segment of segments.sort((a, b) => b.from - a.from || a.to - b.to)) {
    const from = map(segment.from, 1)
    const to = map(segment.to, -1)
    if (from.deleted && to.deleted && from.pos >= to.pos) continue
    if (segment.markers) reviewBreak(tr, segment, map)
    else if (segment.mark.type.name === 'modification') reviewModification(tr, from.pos, segment.mark, accept)
    else if (segment.remove) tr.deleteRange(from.pos, to.pos)
    else if (segment.block) tr.removeNodeMark(from.pos, segment.mark)
    else keepText(tr, from.pos, to.pos, segment.mark)
  }
  return true
}

/** The document with the matching suggestions accepted (or rejected); the same steps as the editor's commands. */
export function reviewedDoc(doc: PMNode, accept: boolean, filter: SuggestionFilter = everySuggestion): PMNode {
  const tr = new Transform(doc)
  reviewSuggestions(tr, accept, filter)
  return tr.doc
}

/** Whether any suggestion mark in `doc` passes `filter`. */
export function hasSuggestions(doc: PMNode, filter: SuggestionFilter = everySuggestion): boolean {
  let found = false
  doc.descendants((node) => {
    if (!found && node.marks.some((mark) => isSuggestionMark(mark) && filter(mark))) found = true
    return !found
  })
  return found
}

/** Drops a kept suggestion's mark, and the zero-width markers that only existed to carry it. */
function keepText(tr: Transform, from: number, to: number, mark: Mark): void {
  tr.removeMark(from, to, mark)
  const markers: number[] = []
  tr.doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isText) return true
    for (let index = node.text!.indexOf(ZERO_WIDTH); index >= 0; index = node.text!.indexOf(ZERO_WIDTH, index + 1)) {
      if (pos + index >= from && pos + index < to) markers.push(pos + index)
    }
    return false
  })
  for (const pos of markers.reverse()) tr.delete(pos, pos + 1)
}

function reviewModification(tr: Transform, pos: number, mark: Mark, accept: boolean): void {
  const node = tr.doc.nodeAt(pos)
  if (!node) return
  // Nothing records modifications on text (a suggested bold is a replacement, see analyzeReport): only
  // the mark goes, rather than a node-mark step that cannot be applied to text.
  if (node.isInline) {
    tr.removeMark(pos, pos + node.nodeSize, mark)
    return
  }
  if (!accept) {
    const { type, attrName, previousValue, newValue } = mark.attrs as Record<string, unknown>
    const schema = tr.doc.type.schema
    if (type === 'attr' && typeof attrName === 'string') tr.setNodeAttribute(pos, attrName, previousValue)
    else if (type === 'nodeType' && typeof previousValue === 'string') tr.setNodeMarkup(pos, schema.nodes[previousValue])
    else if (type === 'mark' && previousValue) tr.addNodeMark(pos, schema.markFromJSON(previousValue))
    else if (type === 'mark' && newValue) tr.removeNodeMark(pos, schema.markFromJSON(newValue))
  }
  tr.removeNodeMark(pos, mark)
}

/** A break's markers go, and with them the break itself (a join) or nothing else (the paragraphs stay). */
function reviewBreak(tr: Transform, segment: Segment, map: (pos: number, assoc: number) => { pos: number; deleted: boolean }): void {
  for (const marker of [...segment.markers!].reverse()) {
    const at = map(marker, 1)
    if (!at.deleted) tr.delete(at.pos, at.pos + 1)
  }
  // Only the closing and opening of the two textblocks: text typed after the marker stays.
  if (segment.remove) tr.delete(map(segment.break!.end, -1).pos, map(segment.break!.start, 1).pos)
}

function collectSegments(doc: PMNode, accept: boolean, filter: SuggestionFilter): Segment[] {
  const segments: Segment[] = []
  const markers = new Set<number>()
  for (const link of linkedBreaks(doc)) {
    for (const marker of link.markers) markers.add(marker)
    if (!filter(link.mark)) continue
    const remove = link.mark.type.name === (accept ? 'deletion' : 'insertion')
    const to = link.markers.includes(link.start) ? link.start + 1 : link.start
    segments.push({ from: Math.min(...link.markers, link.end), to, mark: link.mark, remove, block: false, markers: link.markers, break: link })
  }
  doc.descendants((node, pos) => {
    // A break's markers are the break's segment, not text of the suggestion they carry.
    const from = node.isText && markers.has(pos) ? pos + 1 : pos
    const end = node.isText && markers.has(pos + node.nodeSize - 1) ? pos + node.nodeSize - 1 : pos + node.nodeSize
    if (from >= end) return true
    for (const mark of node.marks) {
      if (!isSuggestionMark(mark) || !filter(mark)) continue
      const remove = mark.type.name === (accept ? 'deletion' : 'insertion')
      const segment = { from, to: end, mark, remove, block: !node.isInline }
      const last = segments[segments.length - 1]
      // One suggestion's text continues across marks of other kinds (a placeholder, bold).
      const same = last && !last.block && !last.markers && !segment.block && last.mark.type === mark.type && last.mark.attrs.id === mark.attrs.id
      if (same && last.to === from && (remove || last.mark.eq(mark))) last.to = segment.to
      else segments.push(segment)
    }
    return true
  })
  return segments
}
