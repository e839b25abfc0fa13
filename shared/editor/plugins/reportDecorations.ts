import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { Mappable } from '@tiptap/pm/transform'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { analyzeReport } from '../lib/analyzeReport'
import { changedRange, isInsideOneTextblock, mapOfChange, type ChangedRange } from '../lib/changedRange'

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

/** Whether the new shape is exactly the old one carried through the mapping. */
function sameAfterMapping(previous: Shape, next: Shape, mapping: Mappable): boolean {
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

function mapShape(shape: Shape, mapping: Mappable): Shape {
  return {
    ordinals: shape.ordinals.map(({ pos, ordinal }) => ({ pos: mapping.map(pos, -1), ordinal })),
    placeholders: shape.placeholders.map(({ from, to, filled }) => ({ from: mapping.map(from, 1), to: mapping.map(to, -1), filled })),
  }
}

/**
 * Whether a change can be shown by moving the old decorations: typing inside one paragraph or
 * title, away from any placeholder (its bounds and filled state follow its text, and placeholders
 * are inclusive marks, so typing right beside one may extend it).
 */
function isPlainTyping(previous: Shape, before: PMNode, after: PMNode, change: ChangedRange): boolean {
  if (!isInsideOneTextblock(before, after, change)) return false
  if (previous.placeholders.some(({ from, to }) => from <= change.endA && to >= change.start)) return false
  let placeholderInserted = false
  after.nodesBetween(change.start, change.endB, (node) => {
    if (node.marks.some((mark) => mark.type.name === 'placeholder')) placeholderInserted = true
    return !placeholderInserted
  })
  return !placeholderInserted
}

/**
 * Draws what is derived rather than stored: the section ordinals (一、（一）1.（1）) and whether each
 * placeholder is still unfilled. Plain typing only moves the previous set (no analysis of the whole
 * report per keystroke); other changes are analysed, and if the result is the old set moved, the old
 * set is still reused so that the view has nothing to redraw across a long report. Positions are
 * carried by the range that really changed, not by the transaction's mapping: y-prosemirror's
 * remote transactions replace the whole document, which would drop every decoration.
 */
export function reportDecorations(): Plugin<DecorationState> {
  return new Plugin<DecorationState>({
    key: reportDecorationsKey,
    state: {
      init: (_config, state) => build(state.doc, shapeOf(state.doc)),
      apply: (tr, previous, oldState) => {
        if (!tr.docChanged) return previous
        const change = changedRange(oldState.doc, tr.doc)
        if (!change) return previous
        const mapping = mapOfChange(change)
        if (isPlainTyping(previous.shape, oldState.doc, tr.doc, change)) {
          return { set: previous.set.map(mapping, tr.doc), shape: mapShape(previous.shape, mapping) }
        }
        const shape = shapeOf(tr.doc)
        if (sameAfterMapping(previous.shape, shape, mapping)) return { set: previous.set.map(mapping, tr.doc), shape }
        return build(tr.doc, shape)
      },
    },
    props: {
      decorations: (state) => reportDecorationsKey.getState(state)?.set,
    },
  })
}
