import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import type { Transaction } from '@tiptap/pm/state'

/**
 * prosemirror-suggest-changes records a suggested paragraph split (or join) only by the suggestion
 * marks on either side of the paragraph break: the break is part of insertion (deletion) X when the
 * text before it ends with X and the text after it starts with X, zero-width spaces standing in where
 * there is no text. Later edits next to the break can give one side another id or remove its text,
 * and the break would silently stop being suggested (reject-all then leaves the split in place).
 * These helpers find such linked breaks and keep them linked.
 */

const ZERO_WIDTH = '\u200B'
const LINKING = ['insertion', 'deletion'] as const

export interface LinkedBreak {
  /** End of the text before the break, start of the text after it. */
  end: number
  start: number
  mark: Mark
}

const suggestionOf = (node: PMNode | null | undefined, type: string) => node?.marks.find((mark) => mark.type.name === type)

/** Paragraph breaks between `from` and `to` that belong to a suggestion. */
export function linkedBreaks(doc: PMNode, from = 0, to = doc.content.size): LinkedBreak[] {
  const breaks: LinkedBreak[] = []
  let previous: { node: PMNode; end: number } | null = null
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isTextblock) return true
    const start = pos + 1
    if (previous && start - previous.end <= 4 && adjacentTextblocks(doc, previous.end, start)) {
      for (const type of LINKING) {
        const before = suggestionOf(previous.node.lastChild, type)
        const after = suggestionOf(node.firstChild, type)
        if (before && after && before.attrs.id === after.attrs.id) breaks.push({ end: previous.end, start, mark: before })
      }
    }
    previous = { node, end: start + node.content.size }
    return false
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

/**
 * After a suggesting transaction, each suggested break of the document before it that is still a
 * break gets its link back: a side whose text no longer carries the suggestion's id gets a
 * zero-width space with the other side's mark (or the original one), as the library does itself.
 */
export function relinkBreaks(before: PMNode, tr: Transaction): void {
  const fixes: { pos: number; mark: Mark }[] = [...claimedBreaks(tr.doc)]
  for (const link of linkedBreaks(before)) {
    // Followed by the position just after the first paragraph's end, which edits of the text on either
    // side leave alone; the break survives if a paragraph still ends there and the next one follows.
    const gap = tr.mapping.mapResult(link.end + 1)
    if (gap.deleted) continue
    const doc = tr.doc
    const $end = doc.resolve(gap.pos - 1)
    if (!$end.parent.isTextblock || $end.parentOffset !== $end.parent.content.size) continue
    const start = nextTextblockStart(doc, gap.pos)
    if (start === null || !adjacentTextblocks(doc, $end.pos, start)) continue
    const $start = doc.resolve(start)
    const type = link.mark.type.name
    const left = suggestionOf($end.nodeBefore, type)
    const right = suggestionOf($start.nodeAfter, type)
    if (left && right && left.attrs.id === right.attrs.id) continue
    if (right) fixes.push({ pos: $end.pos, mark: right })
    else if (left) fixes.push({ pos: start, mark: left })
    else fixes.push({ pos: start, mark: link.mark }, { pos: $end.pos, mark: link.mark })
  }
  const unique = new Map(fixes.map((fix) => [`${fix.pos}:${fix.mark.type.name}`, fix]))
  for (const { pos, mark } of [...unique.values()].sort((a, b) => b.pos - a.pos)) tr.insert(pos, tr.doc.type.schema.text(ZERO_WIDTH, [mark]))
}

function nextTextblockStart(doc: PMNode, from: number): number | null {
  let start: number | null = null
  doc.nodesBetween(from, doc.content.size, (node, pos) => {
    if (start === null && node.isTextblock && pos >= from) start = pos + 1
    return start === null
  })
  return start
}

/**
 * A zero-width space with a suggestion mark at the end of a paragraph (or the start of the next)
 * exists only to say that the break is part of that suggestion; where the other side does not carry
 * the same id (the library reused a neighbour's id on one side only), it gets a marker too.
 */
function claimedBreaks(doc: PMNode): { pos: number; mark: Mark }[] {
  const blocks: { node: PMNode; start: number; end: number }[] = []
  doc.descendants((node, pos) => {
    if (node.isTextblock) blocks.push({ node, start: pos + 1, end: pos + 1 + node.content.size })
    return !node.isTextblock
  })
  const fixes: { pos: number; mark: Mark }[] = []
  for (const type of LINKING) {
    // linked[i]: the break after block i belongs to the suggestion on both its sides.
    const linked = blocks.map((block, index) => {
      const next = blocks[index + 1]
      if (!next || !adjacentTextblocks(doc, block.end, next.start)) return null
      const before = suggestionOf(block.node.lastChild, type)
      const after = suggestionOf(next.node.firstChild, type)
      return before && after && before.attrs.id === after.attrs.id ? String(before.attrs.id) : null
    })
    // A paragraph holding only a marker (an empty paragraph split off) may be marking its other break.
    const onlyMarkerOf = (index: number, other: number) => {
      const node = blocks[index].node
      return node.childCount === 1 && /^\u200B+$/.test(node.firstChild!.text ?? '') && linked[other] === String(suggestionOf(node.firstChild, type)?.attrs.id)
    }
    blocks.forEach((block, index) => {
      const next = blocks[index + 1]
      if (!next || linked[index] !== null || !adjacentTextblocks(doc, block.end, next.start)) return
      const last = block.node.lastChild
      const first = next.node.firstChild
      const before = suggestionOf(last, type)
      const after = suggestionOf(first, type)
      if (before && last!.text?.endsWith(ZERO_WIDTH) && !onlyMarkerOf(index, index - 1)) fixes.push({ pos: next.start, mark: before })
      else if (after && first!.text?.startsWith(ZERO_WIDTH) && !onlyMarkerOf(index + 1, index + 1)) fixes.push({ pos: block.end, mark: after })
    })
  }
  return fixes
}

/** Suggested breaks inside a deleted range, for refusing or withdrawing them before the library sees them. */
export function breaksIn(doc: PMNode, from: number, to: number, type: 'insertion' | 'deletion'): LinkedBreak[] {
  return linkedBreaks(doc, from, to).filter((link) => link.mark.type.name === type && link.end >= from && link.start <= to)
}
