import { Extension } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state'
import { AddMarkStep, RemoveMarkStep, ReplaceStep } from '@tiptap/pm/transform'

/** The two sides of a run-in section's heading/body boundary: the end of its title and the start of its first paragraph. */
export interface RunInBoundary {
  titleEnd: number
  bodyStart: number
}

/**
 * The run-in boundary at `pos`, when `pos` is either side of it: a section shown run-in (「（二）完成重大政治
 * 任务。落实…」 on one line) whose title is followed by a paragraph.
 */
export function runInBoundaryAt(doc: PMNode, pos: number): RunInBoundary | null {
  const $pos = doc.resolve(pos)
  if ($pos.depth < 2) return null
  const section = $pos.node($pos.depth - 1)
  if (section.type.name !== 'section' || !section.attrs.runIn || section.childCount < 2) return null
  const index = $pos.index($pos.depth - 1)
  if (section.child(0).type.name !== 'sectionTitle' || section.child(1).type.name !== 'paragraph') return null
  if (index === 0 && $pos.parentOffset === $pos.parent.content.size) return { titleEnd: pos, bodyStart: pos + 2 }
  if (index === 1 && $pos.parentOffset === 0) return { titleEnd: pos - 2, bodyStart: pos }
  return null
}

/**
 * Whether a caret at `pos` (one side of `boundary`) stands for the body: at its start, or at the heading's
 * end where the browser moved a caret the person had put in the body (`bodyIntent`, that body's start).
 */
export function inBody(pos: number, boundary: RunInBoundary, bodyIntent: number | null): boolean {
  return pos === boundary.bodyStart || (pos === boundary.titleEnd && bodyIntent === boundary.bodyStart)
}

/**
 * The text a transaction typed at the end of a run-in heading while the caret was at the start of its body
 * (`from`–`to` in the new document), or null. The heading's end and the body's start are the same spot on
 * the page, and Chromium inserts typed text, an input method's included, at the end of the heading's text
 * even with the caret in the body. Marks the same transaction put on the text (a suggestion's) are allowed.
 */
export function typedIntoHeading(before: EditorState, tr: Transaction, bodyIntent: number | null = null): { from: number; to: number } | null {
  const { selection } = before
  if (!selection.empty || !tr.docChanged) return null
  const boundary = runInBoundaryAt(before.doc, selection.from)
  if (!boundary || !inBody(selection.from, boundary, bodyIntent)) return null
  const [first, ...rest] = tr.steps
  if (!(first instanceof ReplaceStep) || first.from !== boundary.titleEnd || first.to !== boundary.titleEnd) return null
  const { content } = first.slice
  if (first.slice.openStart !== 0 || first.slice.openEnd !== 0 || content.size === 0) return null
  let inline = true
  content.forEach((node) => (inline &&= node.isText))
  if (!inline) return null
  const to = boundary.titleEnd + content.size
  if (!rest.every((step) => (step instanceof AddMarkStep || step instanceof RemoveMarkStep) && step.from >= boundary.titleEnd && step.to <= to)) return null
  return { from: boundary.titleEnd, to }
}

/** Moves `from`–`to` (text at the end of a run-in heading) to the start of that section's body, caret after it. */
export function moveToBody(state: EditorState, from: number, to: number): Transaction {
  const slice = state.doc.slice(from, to)
  const tr = state.tr.delete(from, to)
  // After the deletion the heading ends at `from`; the body starts two tokens on.
  const bodyStart = from + 2
  tr.insert(bodyStart, slice.content)
  return tr.setSelection(TextSelection.create(tr.doc, bodyStart + slice.content.size))
}

/**
 * Typing before the first word of a run-in section's body goes into the body (see typedIntoHeading): a
 * click on that spot puts the caret in the body, and text the browser then inserts at the heading's end
 * is moved there — typed text at once, an input method's once its composition ends (moving it during the
 * composition would break the input method). Before, such typing became part of the heading: in the
 * outline, the review cards and the Word export.
 */
export const RunInTyping = Extension.create({
  name: 'runInTyping',

  addProseMirrorPlugins() {
    let composing: { titleStart: number; size: number } | null = null
    // The body start of the run-in section whose body the person put the caret in; kept while the browser
    // reports that caret at the heading's end (the same spot), dropped when the caret goes anywhere else.
    let bodyIntent: number | null = null
    return [
      new Plugin({
        key: new PluginKey('runInTyping'),
        view: () => ({
          update(view) {
            const { selection, doc } = view.state
            const boundary = selection.empty ? runInBoundaryAt(doc, selection.from) : null
            bodyIntent = boundary && inBody(selection.from, boundary, bodyIntent) ? boundary.bodyStart : null
          },
        }),
        props: {
          handleClick(view, pos, event) {
            if (event.shiftKey) return false
            const boundary = runInBoundaryAt(view.state.doc, pos)
            if (!boundary) return false
            view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, boundary.bodyStart)))
            return true
          },
          handleDOMEvents: {
            compositionstart(view) {
              const { selection, doc } = view.state
              const boundary = selection.empty ? runInBoundaryAt(doc, selection.from) : null
              if (boundary && inBody(selection.from, boundary, bodyIntent)) {
                const title = doc.resolve(boundary.titleEnd).parent
                composing = { titleStart: boundary.titleEnd - title.content.size, size: title.content.size }
              }
              return false
            },
            compositionend(view) {
              const started = composing
              if (!started) return false
              // ProseMirror reads the composition's last change after this event: look once it has.
              setTimeout(() => {
                composing = null
                if (view.isDestroyed) return
                const { doc } = view.state
                const title = doc.resolve(started.titleStart).parent
                if (title.type.name !== 'sectionTitle' || title.content.size <= started.size) return
                const titleEnd = started.titleStart + title.content.size
                view.dispatch(moveToBody(view.state, titleEnd - (title.content.size - started.size), titleEnd))
              }, 20)
              return false
            },
          },
        },
        appendTransaction(transactions, before, after) {
          if (composing) {
            // Keep the heading's start where it is as others' changes arrive.
            for (const tr of transactions) composing = { ...composing, titleStart: tr.mapping.map(composing.titleStart) }
            return null
          }
          if (transactions.length !== 1 || transactions[0].getMeta('y-sync$')) return null
          const typed = typedIntoHeading(before, transactions[0], bodyIntent)
          return typed ? moveToBody(after, typed.from, typed.to) : null
        },
      }),
    ]
  },
})
