import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
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

/**
 * A 「¶」 in the suggestion's colour at each suggested paragraph split or join (its marker, see
 * boundaries.ts), so the break can be seen and clicked like any other suggestion. prosemirror-suggest-changes
 * draws one only where the text on both sides carries the same suggestion; this draws the others.
 * Worked out per top-level block and kept for the blocks a change leaves as they were (the same
 * objects): a keystroke anywhere costs one block's scan, not the report's.
 */
function breakDecorations(doc: PMNode): DecorationSet {
  const decorations: Decoration[] = []
  const widget = (end: number, mark: Mark) =>
    decorations.push(Decoration.widget(end, pilcrow, { key: `break-${String(mark.attrs.id)}-${end}`, marks: [mark], side: -1 }))
  let previous: { node: PMNode; end: number } | null = null
  doc.forEach((block, offset) => {
    const { first, last, inside } = blockBreaks(block)
    if (!first || !last) return
    const mark = previous && undrawnBreak(previous.node, first)
    if (previous && mark) widget(previous.end, mark)
    for (const { end, mark } of inside) widget(offset + end, mark)
    previous = { node: last.node, end: offset + last.end }
  })
  return DecorationSet.create(doc, decorations)
}

export function breakDecorationsPlugin(): Plugin {
  const cache = new WeakMap<PMNode, DecorationSet>()
  return new Plugin({
    key: new PluginKey('suggestedBreaks'),
    props: {
      decorations(state) {
        let set = cache.get(state.doc)
        if (!set) cache.set(state.doc, (set = breakDecorations(state.doc)))
        return set
      },
    },
  })
}
