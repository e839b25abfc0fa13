import type { MarkType, Node as PMNode, ResolvedPos } from '@tiptap/pm/model'
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { ReplaceStep } from '@tiptap/pm/transform'

/**
 * The placeholder mark is inclusive so that typing over a mask, or at its end, fills it. At the very
 * start of a paragraph, though, ProseMirror gives typed text the marks of the text after it, so typing
 * before a leading 「**局」 would silently become part of the figure. This takes the mark off text
 * typed at a block start in front of a placeholder. In 建议 the start is where the reader sees it: text
 * suggested for deletion may stand before the caret (a replaced figure: 「*」 struck through, then the
 * suggested value), and suggest mode puts what is typed there after it.
 */
export function placeholderBoundary(): Plugin {
  return new Plugin({
    key: new PluginKey('placeholderBoundary'),
    appendTransaction(transactions, oldState, newState) {
      if (transactions.length !== 1) return null
      const [tr] = transactions as [Transaction]
      if (!tr.docChanged || tr.getMeta('y-sync$')) return null
      const type = newState.schema.marks.placeholder
      let fix: Transaction | null = null
      // Formatting one's own suggested text in 建议 deletes it and inserts it again with the new marks:
      // nothing is typed then, and a figure filled that way stays filled. (Compared only when a step
      // looks like typing before a figure, which is rare: it reads the whole text.)
      let typesNothing: boolean | null = null
      tr.steps.forEach((step, index) => {
        if (!(step instanceof ReplaceStep) || step.from !== step.to || step.slice.size === 0) return
        const $pos = tr.docs[index].resolve(step.from)
        if (!$pos.nodeAfter || !type.isInSet($pos.nodeAfter.marks) || !atVisibleStart($pos, tr)) return
        if ((typesNothing ??= tr.doc.textContent === tr.before.textContent)) return
        const later = tr.mapping.slice(index + 1)
        const from = later.map(step.from, -1)
        const to = later.map(step.from + step.slice.size, 1)
        if (newState.doc.rangeHasMark(from, to, type)) fix = (fix ?? newState.tr).removeMark(from, to, type)
      })
      void oldState
      return fix
    },
  })
}

/**
 * Nothing a reader sees stands before `$pos` in its block: at most text suggested for deletion before
 * this transaction. Text the transaction itself marks deleted is a replacement being typed over, which
 * fills the figure as typing over a mask does in 编辑.
 */
function atVisibleStart($pos: ResolvedPos, tr: Transaction): boolean {
  if ($pos.parentOffset === 0) return true
  const deletion = tr.doc.type.schema.marks.deletion as MarkType | undefined
  if (!$pos.parent.isTextblock || !deletion) return false
  let earlier: Set<unknown> | null = null
  let visible = false
  $pos.parent.forEach((node, offset) => {
    if (visible || offset >= $pos.parentOffset) return
    const mark = deletion.isInSet(node.marks)
    earlier ??= mark ? deletionIds(tr.before, deletion) : null
    if (!mark || !earlier?.has(mark.attrs.id)) visible = true
  })
  return !visible
}

function deletionIds(doc: PMNode, deletion: MarkType): Set<unknown> {
  const ids = new Set<unknown>()
  doc.descendants((node) => {
    const mark = node.isText ? deletion.isInSet(node.marks) : undefined
    if (mark) ids.add(mark.attrs.id)
    return true
  })
  return ids
}
