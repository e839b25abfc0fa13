import { Extension } from '@tiptap/core'
import type { Node as PMNode, ResolvedPos } from '@tiptap/pm/model'
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'

/** The class given to the top-level sections holding the selection's ends (styles/page.css). */
export const CARET_SECTION_CLASS = 'section--caret'

interface CaretSections {
  /** Top-level indexes of the blocks holding the selection's two ends. */
  from: number
  to: number
  doc: PMNode
  decorations: DecorationSet
}

export const caretSectionKey = new PluginKey<CaretSections>('caretSectionRendered')

/** The top-level section holding `$pos`, as a decoration, or null when that block is not a section. */
function sectionAt($pos: ResolvedPos): Decoration | null {
  // From the resolved position's own path: no walk over the blocks before it on every keystroke.
  const node = $pos.depth > 0 ? $pos.node(1) : $pos.nodeAfter
  if (node?.type.name !== 'section') return null
  const start = $pos.depth > 0 ? $pos.before(1) : $pos.pos
  return Decoration.node(start, start + node.nodeSize, { class: CARET_SECTION_CLASS })
}

function decorate(state: EditorState, previous?: CaretSections): CaretSections {
  const { doc, selection } = state
  const from = selection.$from.index(0)
  const to = selection.$to.index(0)
  // A caret moving inside its section, the common case, keeps the same set: nothing for the view to compare.
  if (previous && previous.doc === doc && previous.from === from && previous.to === to) return previous
  const ends = from === to ? [sectionAt(selection.$from)] : [sectionAt(selection.$from), sectionAt(selection.$to)]
  return { from, to, doc, decorations: DecorationSet.create(doc, ends.filter((end) => end !== null)) }
}

/**
 * Top-level sections are `content-visibility: auto` (a 50-page report lays out only what is on
 * screen), and Chromium decides whether such an element is on screen only at its next frame. A section
 * made or redrawn by this very keystroke (Ctrl+Enter, a title's attributes changed by someone else) is
 * skipped until then, and text typed before that frame, by a quick typist or an input method's commit,
 * was put by the browser at the next place it had laid out: the following section's title. The
 * sections holding the selection are marked in the same view update that puts the caret there, and
 * styles/page.css renders them always (with the same containment, so they look no different).
 */
export const CaretSectionRendered = Extension.create({
  name: 'caretSectionRendered',

  addProseMirrorPlugins() {
    return [
      new Plugin<CaretSections>({
        key: caretSectionKey,
        state: {
          init: (_, state) => decorate(state),
          apply: (tr, previous, _, state) => (tr.docChanged || tr.selectionSet ? decorate(state, previous) : previous),
        },
        props: {
          decorations: (state) => caretSectionKey.getState(state)?.decorations,
        },
      }),
    ]
  },
})
