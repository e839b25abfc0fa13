import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { analyzeReport } from '../lib/analyzeReport'

export const reportDecorationsKey = new PluginKey<DecorationState>('reportDecorations')

/** What the decorations show, positions included; if a change leaves it as the old one mapped, the old set is reused. */
interface Shape {
  ordinals: { pos: number; ordinal: string }[]
  placeholders: { from: number; to: number; filled: boolean }[]
}

interface DecorationState {
  set: DecorationSet
  shape: Shape
}

function ordinalWidget(ordinal: string): HTMLElement {
  const span = document.createElement('span')
  span.className = 'section-ordinal'
  span.contentEditable = 'false'
  span.textContent = ordinal
  return span
}

function shapeOf(doc: PMNode): Shape {
  const { sections, placeholders } = analyzeReport(doc)
  return {
    // Inside the section title, before its first character.
    ordinals: sections.map((section) => ({ pos: section.pos + 2, ordinal: section.ordinal })),
    placeholders: placeholders.map(({ from, to, filled }) => ({ from, to, filled })),
  }
}

function build(doc: PMNode, shape: Shape): DecorationState {
  const decorations: Decoration[] = []
  for (const { pos, ordinal } of shape.ordinals) {
    decorations.push(Decoration.widget(pos, () => ordinalWidget(ordinal), { side: -1, key: `ordinal:${ordinal}`, ignoreSelection: true }))
  }
  for (const { from, to, filled } of shape.placeholders) {
    decorations.push(Decoration.inline(from, to, { class: filled ? 'placeholder--filled' : 'placeholder--unfilled' }))
  }
  return { set: DecorationSet.create(doc, decorations), shape }
}

/** Whether the new shape is exactly the old one carried through the transaction's mapping. */
function sameAfterMapping(previous: Shape, next: Shape, tr: Transaction): boolean {
  const { mapping } = tr
  return (
    previous.ordinals.length === next.ordinals.length &&
    previous.placeholders.length === next.placeholders.length &&
    previous.ordinals.every((old, i) => old.ordinal === next.ordinals[i].ordinal && mapping.map(old.pos, -1) === next.ordinals[i].pos) &&
    previous.placeholders.every((old, i) => {
      const now = next.placeholders[i]
      return old.filled === now.filled && mapping.map(old.from, 1) === now.from && mapping.map(old.to, -1) === now.to
    })
  )
}

/**
 * Draws what is derived rather than stored: the section ordinals (一、（一）1.（1）) and whether each
 * placeholder is still unfilled. On a keystroke that changes neither, the previous set is mapped
 * rather than rebuilt, so the view has nothing to redraw across a long report.
 */
export function reportDecorations(): Plugin<DecorationState> {
  return new Plugin<DecorationState>({
    key: reportDecorationsKey,
    state: {
      init: (_config, state) => build(state.doc, shapeOf(state.doc)),
      apply: (tr, previous) => {
        if (!tr.docChanged) return previous
        const shape = shapeOf(tr.doc)
        if (sameAfterMapping(previous.shape, shape, tr)) return { set: previous.set.map(tr.mapping, tr.doc), shape }
        return build(tr.doc, shape)
      },
    },
    props: {
      decorations: (state) => reportDecorationsKey.getState(state)?.set,
    },
  })
}
