import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import type { Plugin } from '@tiptap/pm/state'
import { DecorationSet } from '@tiptap/pm/view'
import { changedRange, isInsideOneTextblock, mapOfChange } from '../lib/changedRange'

/**
 * How prosemirror-suggest-changes' drawing is used: its suggested paragraphs and its 「¶」 at
 * paragraph boundaries, worked out once per document version, without the 「¶」 it draws by mistake.
 */

const SUGGESTION_MARKS = new Set(['insertion', 'deletion'])

/** A textblock the library draws nothing for, and whose change cannot alter its neighbours' drawing. */
function isPlainTextblock(node: PMNode): boolean {
  if (!node.isTextblock || node.childCount === 0) return false
  let plain = true
  node.forEach((child) => {
    if (child.marks.some((mark) => SUGGESTION_MARKS.has(mark.type.name))) plain = false
  })
  return plain
}

/**
 * The library recomputes its decorations (a walk over the whole document) on every view update,
 * selection changes included. This computes them once per document version, and for typing inside a
 * paragraph that holds no suggestion (in both versions) moves the previous set instead: the library
 * draws only suggested paragraphs and the marks at paragraph joins, which such a change cannot touch.
 */
export function libraryDecorations(plugin: Plugin): Plugin {
  const compute = plugin.props.decorations
  if (!compute) return plugin
  type Decorations = ReturnType<typeof compute>
  const cache = new WeakMap<object, Decorations>()
  let last: { doc: PMNode; set: Decorations } | null = null
  plugin.props.decorations = function (this: Plugin, state) {
    let set = cache.get(state.doc)
    if (set === undefined) {
      set = last && last.set instanceof DecorationSet ? moved(last.doc, state.doc, last.set) : null
      if (set === null) {
        const drawn = compute.call(this, state)
        set = drawn instanceof DecorationSet ? withoutUnlinkedPilcrows(drawn, state.doc) : drawn
      }
      cache.set(state.doc, set)
    }
    last = { doc: state.doc, set }
    return set
  }
  return plugin
}

function moved(before: PMNode, after: PMNode, set: DecorationSet): DecorationSet | null {
  const change = changedRange(before, after)
  if (!change) return set
  if (!isInsideOneTextblock(before, after, change)) return null
  if (!isPlainTextblock(before.resolve(change.start).parent) || !isPlainTextblock(after.resolve(change.start).parent)) return null
  return set.map(mapOfChange(change), after)
}

/**
 * The library's 「¶」 for a break that is not suggested. It means to draw one where the text on both
 * sides of a paragraph boundary carries the same suggestion, but it also draws one where both sides are
 * insertions (or deletions) of *different* suggestions: it takes two missing deletion marks for the
 * same one. A reviewer who replaced the end of a paragraph and pressed Enter saw two 「¶」, and one
 * who typed at the end of one paragraph and at the start of the next saw a paragraph split nobody had
 * suggested. Only the widgets whose suggestion is also on the text before them are kept (the break's
 * own marker, which breakDecorations.ts draws when the library does not, is that text).
 */
export function withoutUnlinkedPilcrows(set: DecorationSet, doc: PMNode): DecorationSet {
  const unlinked = set
    .find(undefined, undefined, (spec: { marks?: readonly Mark[] }) => spec.marks?.length === 1)
    .filter((widget) => {
      const mark = (widget.spec as { marks: readonly Mark[] }).marks[0]
      const before = doc.resolve(widget.from).nodeBefore
      return !before?.marks.some((m) => m.type.name === mark.type.name && m.attrs.id === mark.attrs.id)
    })
  return unlinked.length > 0 ? set.remove(unlinked) : set
}
