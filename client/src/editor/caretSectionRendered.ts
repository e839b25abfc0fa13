import { Extension } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
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

function decorate(state: EditorState, previous?: CaretSections): CaretSections {
  const { doc, selection } = state
  const from = selection.$from.index(0)
  const to = selection.$to.index(0)
  // A caret moving inside its section, the common case, keeps the same set: nothing for the view to compare.
  if (previous && previous.doc === doc && previous.from === from && previous.to === to) return previous
  const decorations: Decoration[] = []
  let pos = 0
  for (let index = 0; index < doc.childCount && index <= to; index++) {
    const child = doc.child(index)
    if (index >= from && (index === from || index === to) && child.type.name === 'section') {
      decorations.push(Decoration.node(pos, pos + child.nodeSize, { class: CARET_SECTION_CLASS }))
    }
    pos += child.nodeSize
  }
  return { from, to, doc, decorations: DecorationSet.create(doc, decorations) }
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
