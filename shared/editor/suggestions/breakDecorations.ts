import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { ZERO_WIDTH } from './boundaries'

const LINKING = new Set(['insertion', 'deletion'])

function pilcrow(): HTMLElement {
  const span = document.createElement('span')
  span.textContent = '¶'
  return span
}

/**
 * A 「¶」 in the suggestion's colour at each suggested paragraph split or join (its marker, see
 * boundaries.ts), so the break can be seen and clicked like any other suggestion. prosemirror-suggest-changes
 * draws one only where the text on both sides carries the same suggestion; this draws the others.
 */
function breakDecorations(doc: PMNode): DecorationSet {
  const decorations: Decoration[] = []
  let previous: { node: PMNode; end: number } | null = null
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true
    const last = previous?.node.lastChild
    const mark = last?.isText && last.text!.endsWith(ZERO_WIDTH) ? last.marks.find((m) => LINKING.has(m.type.name)) : undefined
    const first = node.firstChild
    const drawnByLibrary = mark && first?.marks.some((m) => m.type === mark.type && m.attrs.id === mark.attrs.id)
    if (previous && mark && !drawnByLibrary) decorations.push(Decoration.widget(previous.end, pilcrow, { key: `break-${String(mark.attrs.id)}-${previous.end}`, marks: [mark], side: -1 }))
    previous = { node, end: pos + 1 + node.content.size }
    return false
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
