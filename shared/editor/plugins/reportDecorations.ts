import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { analyzeReport } from '../lib/analyzeReport'

export const reportDecorationsKey = new PluginKey<DecorationSet>('reportDecorations')

function ordinalWidget(ordinal: string): HTMLElement {
  const span = document.createElement('span')
  span.className = 'section-ordinal'
  span.contentEditable = 'false'
  span.textContent = ordinal
  return span
}

function build(doc: PMNode): DecorationSet {
  const { sections, placeholders } = analyzeReport(doc)
  const decorations: Decoration[] = []
  for (const section of sections) {
    // Inside the section title, before its first character.
    decorations.push(
      Decoration.widget(section.pos + 2, () => ordinalWidget(section.ordinal), {
        side: -1,
        key: `ordinal:${section.ordinal}`,
        ignoreSelection: true,
      }),
    )
  }
  for (const placeholder of placeholders) {
    decorations.push(
      Decoration.inline(placeholder.from, placeholder.to, {
        class: placeholder.filled ? 'placeholder--filled' : 'placeholder--unfilled',
      }),
    )
  }
  return DecorationSet.create(doc, decorations)
}

/**
 * Draws what is derived rather than stored: the section ordinals (一、（一）1.（1）) and whether each
 * placeholder is still unfilled. Recomputed only when the document changes.
 */
export function reportDecorations(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: reportDecorationsKey,
    state: {
      init: (_config, state) => build(state.doc),
      apply: (tr, previous) => (tr.docChanged ? build(tr.doc) : previous),
    },
    props: {
      decorations: (state) => reportDecorationsKey.getState(state),
    },
  })
}
