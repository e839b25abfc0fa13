import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
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
}

/** Whole-report analyses and from-scratch drawings by this plugin (a test checks typing costs none). */
export const decorationWork = { analyses: 0, builds: 0 }

function ordinalWidget(ordinal: string): HTMLElement {
  const span = document.createElement('span')
  span.className = 'section-ordinal'
  span.contentEditable = 'false'
  span.textContent = ordinal
  return span
}

function shapeOf(doc: PMNode): Shape {
  decorationWork.analyses++
  const { sections, placeholders } = analyzeReport(doc)
  return {
    // Inside the section title, before its first character.
    ordinals: sections.map((section) => ({ pos: section.pos + 2, ordinal: section.ordinal })),
    placeholders: placeholders.map(({ from, to, filled }) => ({ from, to, filled })),
  }
}

/** The shape a set draws, read back from its decorations (their specs say what each one is). */
function shapeOfSet(set: DecorationSet): Shape {
  const shape: Shape = { ordinals: [], placeholders: [] }
  for (const decoration of set.find()) {
    const spec = decoration.spec as { ordinal?: string; filled?: boolean }
    if (spec.ordinal !== undefined) shape.ordinals.push({ pos: decoration.from, ordinal: spec.ordinal })
    else if (spec.filled !== undefined) shape.placeholders.push({ from: decoration.from, to: decoration.to, filled: spec.filled })
  }
  return shape
}

function build(doc: PMNode, shape: Shape): DecorationState {
  decorationWork.builds++
  const decorations: Decoration[] = []
  for (const { pos, ordinal } of shape.ordinals) {
    decorations.push(Decoration.widget(pos, () => ordinalWidget(ordinal), { side: -1, key: `ordinal:${ordinal}`, ordinal, ignoreSelection: true }))
  }
  for (const { from, to, filled } of shape.placeholders) {
    decorations.push(Decoration.inline(from, to, { class: filled ? 'placeholder--filled' : 'placeholder--unfilled' }, { filled }))
  }
  return { set: DecorationSet.create(doc, decorations) }
}

/** Whether the new shape is exactly the old one (read from the mapped set, so in new positions). */
function sameShape(mapped: Shape, next: Shape): boolean {
  return (
    mapped.ordinals.length === next.ordinals.length &&
    mapped.placeholders.length === next.placeholders.length &&
    mapped.ordinals.every((old, i) => old.ordinal === next.ordinals[i].ordinal && old.pos === next.ordinals[i].pos) &&
    mapped.placeholders.every((old, i) => {
      const now = next.placeholders[i]
      return old.filled === now.filled && old.from === now.from && old.to === now.to
    })
  )
}

/**
 * Whether a change can be shown by moving the old decorations: typing inside one paragraph or
 * title, away from any placeholder (its bounds and filled state follow its text, and placeholders
 * are inclusive marks, so typing right beside one may extend it). Looks at the changed range only.
 */
function isPlainTyping(previous: DecorationSet, before: PMNode, after: PMNode, change: ChangedRange): boolean {
  if (!isInsideOneTextblock(before, after, change)) return false
  if (previous.find(change.start, change.endA, (spec) => spec.filled !== undefined).length > 0) return false
  let placeholderInserted = false
  after.nodesBetween(change.start, change.endB, (node) => {
    if (node.marks.some((mark) => mark.type.name === 'placeholder')) placeholderInserted = true
    return !placeholderInserted
  })
  return !placeholderInserted
}

/**
 * Draws what is derived rather than stored: the section ordinals (一、（一）1.（1）) and whether each
 * placeholder is still unfilled. Plain typing only moves the previous set, which touches the changed
 * part of its tree only (no analysis, scan or copy of the whole report per keystroke); other changes
 * are analysed, and if the result is the old set moved, the old set is still reused so that the view
 * has nothing to redraw across a long report. Positions are
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
        const mapped = previous.set.map(mapOfChange(change), tr.doc)
        if (isPlainTyping(previous.set, oldState.doc, tr.doc, change)) return { set: mapped }
        const shape = shapeOf(tr.doc)
        return sameShape(shapeOfSet(mapped), shape) ? { set: mapped } : build(tr.doc, shape)
      },
    },
    props: {
      decorations: (state) => reportDecorationsKey.getState(state)?.set,
    },
  })
}
