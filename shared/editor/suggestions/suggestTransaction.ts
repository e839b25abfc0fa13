import { transformToSuggestionTransaction } from '@handlewithcare/prosemirror-suggest-changes'
import { Selection, type EditorState, type Transaction } from '@tiptap/pm/state'
import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import { AddMarkStep, Mapping, RemoveMarkStep, ReplaceStep, StepMap, Transform } from '@tiptap/pm/transform'
import { newId } from '../lib/ids'
import { adjacentTextblocks, breaksIn, settleBreaks, type LinkedBreak } from './boundaries'
import { SKIP_SUGGEST } from './meta'
import { restoreOthersSuggestions, stampAuthor, touchedRange, type Author } from './stampAuthor'

const ZERO_WIDTH = '\u200B'

/**
 * Whether a transaction would remove or rewrite text someone else suggested inserting.
 * prosemirror-suggest-changes deletes suggested insertions outright, and records a formatting change
 * as the text replaced by a formatted copy; that is right for one's own typing, but another person's
 * suggestion is theirs to withdraw (or a drafter's to reject), so such an edit is refused.
 */
function touchesOthersInsertion(tr: Transaction, authorId: string): boolean {
  return tr.steps.some((step, index) => {
    // A paragraph break at someone else's suggested break: their suggestion is recorded only by the
    // marks on either side of it, which the new break would separate.
    if (step instanceof ReplaceStep && step.slice.openStart > 0) {
      const at = (link: LinkedBreak) => step.from >= link.end && step.from <= link.start && link.mark.attrs.authorId !== authorId
      const doc = tr.docs[index]
      const [from, to] = [Math.max(0, step.from - 4), Math.min(doc.content.size, step.from + 4)]
      if ([...breaksIn(doc, from, to, 'insertion'), ...breaksIn(doc, from, to, 'deletion')].some(at)) return true
    }
    const ranged = step instanceof ReplaceStep || step instanceof AddMarkStep || step instanceof RemoveMarkStep
    if (!ranged || step.from === step.to) return false
    // Joining a paragraph break someone else suggested is touching their suggestion too.
    if (breaksIn(tr.docs[index], step.from, step.to, 'insertion').some((link) => link.mark.attrs.authorId !== authorId)) return true
    let found = false
    tr.docs[index].nodesBetween(step.from, step.to, (node) => {
      const insertion = node.marks.find((mark) => mark.type.name === 'insertion')
      if (insertion && insertion.attrs.authorId !== authorId) found = true
      return !found
    })
    return found
  })
}

/**
 * Whether a transaction inserts or removes a line break (Shift+Enter's hardBreak, or one in pasted
 * content). A suggestion is a mark, and the Yjs binding keeps the marks of text only: a suggested line
 * break reached everyone else, the server and the next load as a plain one, so the server refused the
 * reviewer's update (and a suggested deletion of one vanished on reload). Such an edit is refused in 建议.
 */
export function touchesLineBreak(tr: Transaction): boolean {
  const isBreak = (node: PMNode) => node.isInline && !node.isText
  return tr.steps.some((step, index) => {
    if (!(step instanceof ReplaceStep)) return false
    let found = false
    step.slice.content.descendants((node) => {
      found ||= isBreak(node)
      return !found
    })
    if (!found && step.from < step.to) {
      tr.docs[index].nodesBetween(step.from, step.to, (node) => {
        found ||= isBreak(node)
        return !found
      })
    }
    return found
  })
}

/**
 * Formatting (only mark steps) over a range that holds a line break, with the marks put on the text
 * around it only. prosemirror-suggest-changes records a break's formatting as the break deleted and a
 * formatted copy inserted, and the Yjs binding keeps no marks on a break, so the server saw a new plain
 * line break and refused the reviewer's Ctrl+I. A break shows no formatting: nothing is lost.
 * The same for the zero-width marker of a suggested paragraph split or join: the library deleted the
 * marker to format it, and deleting a marker takes the character before it too, so bold over a
 * suggested join struck out the 「。」 before it (review.property.test.ts, seed 1071889158).
 */
function formattingOfTextOnly(tr: Transaction, state: EditorState): Transaction {
  const markSteps = tr.steps.length > 0 && tr.steps.every((step) => step instanceof AddMarkStep || step instanceof RemoveMarkStep)
  if (!markSteps) return tr
  let breaks = false
  const ranges: { from: number; to: number; step: AddMarkStep | RemoveMarkStep }[] = []
  tr.steps.forEach((each, index) => {
    const step = each as AddMarkStep | RemoveMarkStep
    tr.docs[index].nodesBetween(step.from, step.to, (node, pos) => {
      if (!node.isInline) return true
      if (!node.isText) {
        breaks = true
        return false
      }
      const push = (from: number, to: number) => {
        if (from >= to) return
        const last = ranges[ranges.length - 1]
        // Consecutive text nodes (split by other marks) stay one range.
        if (last && last.step === step && last.to === from) last.to = to
        else ranges.push({ from, to, step })
      }
      const [from, to] = [Math.max(step.from, pos), Math.min(step.to, pos + node.nodeSize)]
      let start = from
      for (let at = from; at < to; at++) {
        if (node.text!.charAt(at - pos) !== ZERO_WIDTH) continue
        breaks = true
        push(start, at)
        start = at + 1
      }
      push(start, to)
      return false
    })
  })
  if (!breaks) return tr
  const textOnly = state.tr
  for (const { from, to, step } of ranges) textOnly.step(step instanceof AddMarkStep ? new AddMarkStep(from, to, step.mark) : new RemoveMarkStep(from, to, step.mark))
  // Mark steps move nothing: the selection's positions hold in the new document.
  textOnly.setSelection(tr.selection.map(textOnly.doc, StepMap.empty))
  if (tr.scrolledIntoView) textOnly.scrollIntoView()
  copyMeta(tr, textOnly)
  return textOnly
}

/** The original's meta (the view's input type, Yjs flags) onto its rewrite: what consumers of the transaction look at. */
function copyMeta(from: Transaction, to: Transaction): void {
  for (const [key, value] of Object.entries((from as unknown as { meta: Record<string, unknown> }).meta)) to.setMeta(key, value)
}

class UnrepresentableSuggestion extends Error {}

/**
 * prosemirror-suggest-changes marks a whole inserted (or deleted) block with a node mark. Blocks of a
 * report cannot carry marks (the schema, the Yjs binding, the export and the analysis all read
 * suggestions from text), and the step would throw: pasting three paragraphs in 建议 failed. This
 * hands the library a state whose transactions put such a mark on the block's text instead, which
 * review treats like any other suggested text. (An empty block keeps no mark.)
 */
function withInlineSuggestionMarks(state: EditorState): EditorState {
  return Object.create(state, {
    tr: {
      get() {
        const tr = state.tr
        tr.addNodeMark = (pos: number, mark: Mark) => {
          const node = tr.doc.nodeAt(pos)
          if (!node || node.isInline) return Transform.prototype.addNodeMark.call(tr, pos, mark) as Transaction
          // A whole section cannot be suggested this way (rejecting its text would leave its empty
          // frame): such an edit is refused, as structure is suggested by suggestions/structural.ts.
          if (!node.isTextblock) throw new UnrepresentableSuggestion()
          const blocks: number[] = []
          node.descendants((child, offset) => {
            if (child.isTextblock) blocks.push(pos + 1 + offset)
            return !child.isTextblock
          })
          if (node.isTextblock) blocks.push(pos)
          // Marks only: inserting a marker into an empty block would move positions the library still holds.
          for (const block of blocks) tr.addMark(block + 1, block + 1 + tr.doc.nodeAt(block)!.content.size, mark)
          return tr
        }
        return tr
      },
    },
  }) as EditorState
}

/**
 * What 建议 mode makes of a local transaction: the same edit as suggestions carrying `author`'s name
 * and the time, or null when it is refused (it would touch another person's suggested insertion, or
 * insert or remove a line break: touchesLineBreak).
 * The editor's dispatch and the headless tests use this one function.
 */
export function suggestTransaction(original: Transaction, state: EditorState, author: Author): Transaction | null {
  // A key that replaces content by the same content (Delete in an empty title: the schema puts a new
  // empty title back) changes nothing to suggest; prosemirror-suggest-changes threw on it.
  if (original.doc.eq(original.before)) return original
  const tr = formattingOfTextOnly(original, state)
  // Formatting of line breaks alone: nothing to suggest, and nothing refused either.
  if (tr !== original && tr.steps.length === 0) return tr
  if (touchesOthersInsertion(tr, author.id) || touchesLineBreak(tr)) return null
  if (tr.steps.length > 1 && tr.steps.every((step) => step instanceof AddMarkStep || step instanceof RemoveMarkStep)) return markStepByStep(tr, state, author)
  const withdrawn = withdrawOwnBreaks(tr, state, author.id)
  const base = withdrawn ? state.apply(withdrawn.tr) : state
  const rest = withdrawn ? withdrawn.rest(base) : tr
  const tracked = state.tr
  for (const step of withdrawn?.tr.steps ?? []) tracked.step(step)
  let joined: number[] = []
  if (rest.docChanged) {
    let suggested: Transaction
    try {
      suggested = transformToSuggestionTransaction(rest, withInlineSuggestionMarks(base), () => newId('s'))
    } catch (error) {
      if (error instanceof UnrepresentableSuggestion) return null
      throw error
    }
    for (const step of suggested.steps) tracked.step(step)
    joined = joinedBreaks(rest).map((pos) => suggested.mapping.map(pos))
    // `suggested` ends on the same document as `tracked`: its selection only needs resolving there.
    if (suggested.selectionSet) tracked.setSelection(suggested.selection.map(tracked.doc, StepMap.empty))
  } else if (withdrawn) {
    // The caret where the deletion began.
    tracked.setSelection(Selection.near(tracked.doc.resolve(withdrawn.tr.mapping.map((tr.steps[0] as ReplaceStep).from))))
  }
  if (!tracked.docChanged) return null
  if (tr.scrolledIntoView) tracked.scrollIntoView()
  if (tr.storedMarksSet) tracked.setStoredMarks(tr.storedMarks)
  const touched = touchedRange(tracked)
  if (touched) {
    restoreOthersSuggestions(tracked, author.id, touched)
    settleBreaks(state.doc, tracked, joined, touched)
  }
  stampAuthor(tracked, author)
  copyMeta(tr, tracked)
  return tracked
}

/**
 * A deletion across paragraph breaks one suggested inserting oneself (Backspace right after one's own
 * suggested Enter, or a selection over it) withdraws those breaks for real, with the zero-width
 * spaces that marked them; the rest of the deletion is then suggested as usual. The library would
 * instead suggest deleting the break it had just suggested inserting, which no review untangles.
 */
function withdrawOwnBreaks(tr: Transaction, state: EditorState, authorId: string): { tr: Transaction; rest: (base: EditorState) => Transaction } | null {
  const [step] = tr.steps
  if (tr.steps.length !== 1 || !(step instanceof ReplaceStep) || step.slice.size > 0 || step.from === step.to) return null
  const doc = tr.before
  const breaks = breaksIn(doc, step.from, step.to, 'insertion')
  if (breaks.length === 0) return null
  const own = (node: PMNode | null | undefined) => node?.marks.some((mark) => mark.type.name === 'insertion' && mark.attrs.authorId === authorId) ?? false
  const withdraw = state.tr.setMeta(SKIP_SUGGEST, true)
  for (const link of [...breaks].reverse()) {
    const before = doc.resolve(link.end).nodeBefore
    const after = doc.resolve(link.start).nodeAfter
    const from = own(before) && before!.text?.endsWith(ZERO_WIDTH) ? link.end - 1 : link.end
    const to = own(after) && after!.text?.startsWith(ZERO_WIDTH) ? link.start + 1 : link.start
    withdraw.delete(from, to)
  }
  return {
    tr: withdraw,
    rest: (base) => {
      const from = withdraw.mapping.map(step.from, 1)
      const to = withdraw.mapping.map(step.to, -1)
      return from < to ? base.tr.delete(from, to) : base.tr
    },
  }
}

/**
 * The paragraph breaks a transaction deletes (a join, or a deletion from one paragraph into the
 * next), as the position just after the textblock before each, in the coordinates of the document
 * the transaction starts from.
 */
function joinedBreaks(tr: Transaction): number[] {
  const joined: number[] = []
  tr.steps.forEach((step, index) => {
    if (!(step instanceof ReplaceStep) || step.from === step.to) return
    const doc = tr.docs[index]
    // (Mapping.slice(…).invert() would invert every step: invert() reads all of the shared maps.)
    const back = new Mapping(tr.mapping.maps.slice(0, index)).invert()
    let previous: { end: number; close: number } | null = null
    doc.nodesBetween(Math.max(0, step.from - 2), Math.min(doc.content.size, step.to + 2), (node, pos) => {
      if (!node.isTextblock) return true
      if (previous && previous.end >= step.from && pos + 1 <= step.to && adjacentTextblocks(doc, previous.end, pos + 1)) joined.push(back.map(previous.close))
      previous = { end: pos + 1 + node.content.size, close: pos + node.nodeSize }
      return false
    })
  })
  return joined
}

/**
 * Formatting across paragraphs comes as one mark step per paragraph. prosemirror-suggest-changes
 * turns each into a replacement by a formatted copy, but rebases the later steps' positions wrongly
 * over the earlier ones' changes (a bold over a suggested join inserted a paragraph break and struck
 * the wrong words). So each step is suggested on its own, in turn, its range mapped through the
 * changes the earlier ones made (mark steps move nothing, so all are ranges of the same document).
 */
function markStepByStep(tr: Transaction, state: EditorState, author: Author): Transaction | null {
  const combined = state.tr
  let current = state
  for (const step of tr.steps as (AddMarkStep | RemoveMarkStep)[]) {
    const from = combined.mapping.map(step.from, 1)
    const to = combined.mapping.map(step.to, -1)
    if (from >= to) continue
    const single = current.tr
    if (single.maybeStep(step instanceof AddMarkStep ? new AddMarkStep(from, to, step.mark) : new RemoveMarkStep(from, to, step.mark)).failed) continue
    const tracked = suggestTransaction(single, current, author)
    if (!tracked) return null
    for (const each of tracked.steps) combined.step(each)
    current = current.apply(tracked)
  }
  if (!combined.docChanged) return null
  combined.setSelection(current.selection.map(combined.doc, StepMap.empty))
  if (tr.scrolledIntoView) combined.scrollIntoView()
  copyMeta(tr, combined)
  return combined
}
