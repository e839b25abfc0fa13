import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import { TextSelection, type Command } from '@tiptap/pm/state'
import type { PlaceholderKind } from '../../report/kinds'
import { inferKind } from '../../report/kinds'
import type { Provenance } from '../../figures/provenance'
import { analyzeReport } from '../lib/analyzeReport'
import { newId } from '../lib/ids'

export interface PlaceholderRange {
  from: number
  to: number
  mark: Mark
}

/** Every stretch of text carrying the placeholder with this id (normally one). */
export function findPlaceholder(doc: PMNode, id: string): PlaceholderRange | null {
  let found: PlaceholderRange | null = null
  doc.descendants((node, pos) => {
    if (found && pos > found.to) return false
    if (!node.isText) return true
    const mark = node.marks.find((m) => m.type.name === 'placeholder' && m.attrs.id === id)
    if (!mark) return true
    if (found && found.to === pos) found.to = pos + node.nodeSize
    else if (!found) found = { from: pos, to: pos + node.nodeSize, mark }
    return true
  })
  return found
}

/** Marks the selected text as a figure to be filled in; the kind is guessed from the words around it. */
export function markPlaceholder(kind?: PlaceholderKind): Command {
  return (state, dispatch) => {
    const { from, to, empty, $from } = state.selection
    if (empty || !$from.sameParent(state.doc.resolve(to))) return false
    if (dispatch) {
      const block = $from.parent
      const start = $from.start()
      const before = block.textBetween(Math.max(0, from - start - 6), from - start, undefined, ' ')
      const after = block.textBetween(to - start, Math.min(block.content.size, to - start + 6), undefined, ' ')
      const mark = state.schema.marks.placeholder.create({ id: newId('ph'), kind: kind ?? inferKind(before, after) })
      dispatch(state.tr.addMark(from, to, mark))
    }
    return true
  }
}

/** Removes the placeholder mark from the selection, or from the whole placeholder the caret is in. */
export const unmarkPlaceholder: Command = (state, dispatch) => {
  const type = state.schema.marks.placeholder
  const { from, to, empty, $from } = state.selection
  let range = { from, to }
  if (empty) {
    const mark = $from.marks().find((m) => m.type === type)
    const found = mark && findPlaceholder(state.doc, mark.attrs.id as string)
    if (!found) return false
    range = found
  } else if (!state.doc.rangeHasMark(from, to, type)) {
    return false
  }
  if (dispatch) dispatch(state.tr.removeMark(range.from, range.to, type))
  return true
}

export function setPlaceholderKind(id: string, kind: PlaceholderKind): Command {
  return updatePlaceholderMark(id, { kind })
}

/** Replaces a placeholder's mark with one whose attributes are changed by `attrs`; its text stays. */
function updatePlaceholderMark(id: string, attrs: Record<string, unknown>): Command {
  return (state, dispatch) => {
    const found = findPlaceholder(state.doc, id)
    if (!found) return false
    if (dispatch) {
      const type = state.schema.marks.placeholder
      const tr = state.tr.removeMark(found.from, found.to, type)
      dispatch(tr.addMark(found.from, found.to, type.create({ ...found.mark.attrs, ...attrs })))
    }
    return true
  }
}

/**
 * Replaces a placeholder's text with the real figure. The mark stays, now "filled": the leader can
 * still see, and verify, every figure that was filled in during drafting.
 */
export function fillPlaceholder(id: string, value: string): Command {
  return (state, dispatch) => {
    const found = findPlaceholder(state.doc, id)
    if (!found || value === '') return false
    if (dispatch) {
      const marks = state.doc.nodeAt(found.from)?.marks ?? [found.mark]
      const tr = state.tr.replaceWith(found.from, found.to, state.schema.text(value, marks))
      tr.setSelection(TextSelection.create(tr.doc, found.from, found.from + value.length))
      dispatch(tr.scrollIntoView())
    }
    return true
  }
}

/** Selects a placeholder's text (and scrolls to it). */
export function selectPlaceholder(id: string): Command {
  return (state, dispatch) => {
    const found = findPlaceholder(state.doc, id)
    if (!found) return false
    if (dispatch) dispatch(state.tr.setSelection(TextSelection.create(state.doc, found.from, found.to)).scrollIntoView())
    return true
  }
}

/**
 * Selects the next (+1) or previous (-1) unfilled placeholder after or before the selection,
 * wrapping around at the ends of the document.
 */
export function goToUnfilledPlaceholder(direction: 1 | -1): Command {
  return (state, dispatch) => {
    const { unfilled } = analyzeReport(state.doc)
    if (unfilled.length === 0) return false
    const { from, to } = state.selection
    const target =
      direction > 0
        ? (unfilled.find((placeholder) => placeholder.from >= to && !(placeholder.from === from && placeholder.to === to)) ?? unfilled[0])
        : ([...unfilled].reverse().find((placeholder) => placeholder.to <= from) ?? unfilled[unfilled.length - 1])
    if (dispatch) dispatch(state.tr.setSelection(TextSelection.create(state.doc, target.from, target.to)).scrollIntoView())
    return true
  }
}

export interface PlaceholderFill {
  id: string
  value: string
  /** Provenance to record with the value (source, who, when, how). */
  attrs: Partial<Provenance>
}

/**
 * Fills several placeholders in ONE transaction (a spreadsheet import is one change, undone at once),
 * recording each value's provenance on its mark. The mask is kept in `mask` so the fill can be undone.
 * Unknown ids are skipped; callers check beforehand (shared/figures/importPlan.ts).
 */
export function fillPlaceholders(fills: readonly PlaceholderFill[]): Command {
  return (state, dispatch) => {
    const tr = state.tr
    let changed = false
    for (const fill of fills) {
      const found = findPlaceholder(tr.doc, fill.id)
      if (!found || fill.value === '') continue
      const current = tr.doc.textBetween(found.from, found.to)
      const marks = (tr.doc.nodeAt(found.from)?.marks ?? [found.mark]).map((mark) =>
        mark.type.name === 'placeholder' ? mark.type.create({ ...mark.attrs, mask: mark.attrs.mask ?? current, filledValue: fill.value, ...fill.attrs }) : mark,
      )
      tr.replaceWith(found.from, found.to, state.schema.text(fill.value, marks))
      changed = true
    }
    if (!changed) return false
    if (dispatch) dispatch(tr)
    return true
  }
}

/** Sets attributes of a placeholder's mark (verification, source) without touching its text. */
export function setPlaceholderAttrs(id: string, attrs: Partial<Provenance>): Command {
  return updatePlaceholderMark(id, attrs)
}

export interface SuggestionAuthor {
  authorId: string
  authorName: string
  createdAt: string
}

/**
 * A suggested fill (审阅人): the current text marked for deletion and the value inserted after it, both
 * inside the placeholder, as suggest mode would record typing over it. The figure stays unfilled until a
 * drafter accepts (see analyzeReport: suggested text does not count).
 */
export function suggestPlaceholderValue(id: string, value: string, author: SuggestionAuthor): Command {
  return (state, dispatch) => {
    const found = findPlaceholder(state.doc, id)
    if (!found || value === '') return false
    if (dispatch) {
      const { schema } = state
      const suggestion = { id: newId('s'), ...author }
      const tr = state.tr.addMark(found.from, found.to, schema.marks.deletion.create(suggestion))
      tr.insert(found.to, schema.text(value, [found.mark, schema.marks.insertion.create(suggestion)]))
      dispatch(tr)
    }
    return true
  }
}
