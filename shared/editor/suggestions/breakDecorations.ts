import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { changedRange, mapOfChange, type ChangedRange } from '../lib/changedRange'
import { ZERO_WIDTH } from './boundaries'

const LINKING = new Set(['insertion', 'deletion'])

function pilcrow(): HTMLElement {
  const span = document.createElement('span')
  span.textContent = '¶'
  return span
}

/** The mark of a suggested break between two consecutive textblocks that the library does not draw. */
function undrawnBreak(previous: PMNode, node: PMNode): Mark | undefined {
  const last = previous.lastChild
  const mark = last?.isText && last.text!.endsWith(ZERO_WIDTH) ? last.marks.find((m) => LINKING.has(m.type.name)) : undefined
  const drawnByLibrary = mark && node.firstChild?.marks.some((m) => m.type === mark.type && m.attrs.id === mark.attrs.id)
  return drawnByLibrary ? undefined : mark
}

/** A top-level block's textblocks as far as breaks go, positions relative to the block's start. */
interface BlockBreaks {
  first: PMNode | null
  last: { node: PMNode; end: number } | null
  inside: Array<{ end: number; mark: Mark }>
}

const summaries = new WeakMap<PMNode, BlockBreaks>()
/** How many top-level blocks were scanned (tests count them: only changed blocks are). */
export const scanned = { blocks: 0 }

function blockBreaks(block: PMNode): BlockBreaks {
  if (block.isTextblock) return { first: block, last: { node: block, end: 1 + block.content.size }, inside: [] }
  let summary = summaries.get(block)
  if (summary) return summary
  scanned.blocks++
  summary = { first: null, last: null, inside: [] }
  const result = summary
  block.descendants((node, pos) => {
    if (!node.isTextblock) return true
    const mark = result.last && undrawnBreak(result.last.node, node)
    if (result.last && mark) result.inside.push({ end: result.last.end, mark })
    result.first ??= node
    result.last = { node, end: pos + 2 + node.content.size }
    return false
  })
  summaries.set(block, summary)
  return summary
}

/** The widget drawn at `end` for the break `mark` stands for. Keyed by the suggestion, not the place, so a moved widget keeps its key. */
const widgetAt = (end: number, mark: Mark) =>
  Decoration.widget(end, pilcrow, { key: `break-${mark.type.name}-${String(mark.attrs.id)}`, marks: [mark], side: -1 })

/**
 * The widgets of the top-level blocks `from` to `to` (child indices, `to` excluded): one for each
 * undrawn break inside them, and one for each break between two consecutive blocks of the range.
 * Each sits at the end of the text before its break, so inside the block before it.
 */
function widgetsOf(doc: PMNode, from: number, to: number): Decoration[] {
  const decorations: Decoration[] = []
  let previous: { node: PMNode; end: number } | null = null
  let offset = 0
  for (let index = 0; index < from; index++) offset += doc.child(index).nodeSize
  for (let index = from; index < to; index++) {
    const block = doc.child(index)
    const { first, last, inside } = blockBreaks(block)
    if (first && last) {
      const mark = previous && undrawnBreak(previous.node, first)
      if (previous && mark) decorations.push(widgetAt(previous.end, mark))
      for (const { end, mark } of inside) decorations.push(widgetAt(offset + end, mark))
      previous = { node: last.node, end: offset + last.end }
    }
    offset += block.nodeSize
  }
  return decorations
}

/**
 * A 「¶」 in the suggestion's colour at each suggested paragraph split or join (its marker, see
 * boundaries.ts), so the break can be seen and clicked like any other suggestion. prosemirror-suggest-changes
 * draws one only where the text on both sides carries the same suggestion; this draws the others.
 * Worked out per top-level block and kept for the blocks a change leaves as they were (the same
 * objects).
 */
export function breakDecorations(doc: PMNode): DecorationSet {
  return DecorationSet.create(doc, widgetsOf(doc, 0, doc.childCount))
}

/** The index of the top-level block holding `pos` (the one after it at a boundary; the last one at the end). */
function blockIndexAt(doc: PMNode, pos: number): number {
  let end = 0
  for (let index = 0; index < doc.childCount; index++) {
    end += doc.child(index).nodeSize
    if (pos < end) return index
  }
  return doc.childCount - 1
}

/**
 * The widgets of `after` from those of `before` (`set`), given where the two differ: the widgets
 * outside the changed blocks are moved, those of the changed blocks and at their edges (a break
 * between two blocks depends on both) are worked out again. The same widgets as
 * `breakDecorations(after)`, at the cost of the changed blocks rather than the report's: every
 * keystroke, local or remote, goes through this.
 */
export function updateBreakDecorations(set: DecorationSet, after: PMNode, change: ChangedRange): DecorationSet {
  const count = after.childCount
  if (count === 0) return DecorationSet.empty
  const hasText = (index: number) => blockBreaks(after.child(index)).first !== null
  // Blocks a…b hold the change. A break before one of them sits in the nearest block with text
  // before `a` (p), and one after them may join p to the nearest block with text after `b` (n) when
  // the change removed every text between: the widgets from p to b are redrawn, worked out from p to n.
  const a = blockIndexAt(after, change.start)
  const b = Math.max(a, blockIndexAt(after, change.endB))
  let p = a - 1
  while (p > 0 && !hasText(p)) p--
  p = Math.max(0, p)
  let n = b + 1
  while (n < count - 1 && !hasText(n)) n++
  n = Math.min(count - 1, n)
  let clearFrom = 0
  for (let index = 0; index < p; index++) clearFrom += after.child(index).nodeSize
  let clearTo = clearFrom
  for (let index = p; index <= b; index++) clearTo += after.child(index).nodeSize
  const inRange = (widget: Decoration) => widget.from >= clearFrom && widget.from <= clearTo
  const mapped = set.map(mapOfChange(change), after)
  const fresh = widgetsOf(after, p, n + 1).filter(inRange)
  return mapped.remove(mapped.find(clearFrom, clearTo).filter(inRange)).add(after, fresh)
}

export function breakDecorationsPlugin(): Plugin<DecorationSet> {
  const key = new PluginKey<DecorationSet>('suggestedBreaks')
  return new Plugin<DecorationSet>({
    key,
    state: {
      init: (_config, state) => breakDecorations(state.doc),
      apply: (tr, set, before) => {
        if (!tr.docChanged) return set
        const change = changedRange(before.doc, tr.doc)
        return change ? updateBreakDecorations(set, tr.doc, change) : set
      },
    },
    props: {
      decorations: (state) => key.getState(state),
    },
  })
}
