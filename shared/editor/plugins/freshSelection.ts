import { Extension } from '@tiptap/core'
import { TextSelection, type Transaction } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'

interface DomPoint {
  node: Node
  offset: number
}

const isRemote = (tr: Transaction) => Boolean((tr.getMeta('y-sync$') as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin)

/** Where the browser has the caret, when that is not yet what the editor holds (its selectionchange is still queued). */
function unreadDomSelection(view: EditorView): { anchor: DomPoint; head: DomPoint } | null {
  // During IME composition the browser's selection is the composition's, not a caret move.
  if (typeof document === 'undefined' || view.composing) return null
  const selection = view.state.selection
  if (!(selection instanceof TextSelection)) return null
  const dom = document.getSelection()
  if (!dom?.anchorNode || !dom.focusNode || !view.dom.contains(dom.anchorNode) || !view.dom.contains(dom.focusNode)) return null
  try {
    const anchor = view.posAtDOM(dom.anchorNode, dom.anchorOffset)
    const head = view.posAtDOM(dom.focusNode, dom.focusOffset)
    if (anchor === selection.anchor && head === selection.head) return null
  } catch {
    return null
  }
  return { anchor: { node: dom.anchorNode, offset: dom.anchorOffset }, head: { node: dom.focusNode, offset: dom.focusOffset } }
}

/**
 * The browser tells the editor about a moved caret a task later (selectionchange). When another
 * person's change arrives in between, the editor redraws its older selection and the move is lost:
 * the next Enter then split the section title the caret had just left, or struck the text between
 * the old and the new place. This keeps the caret where the person put it: after a remote change,
 * the browser's unread selection (its DOM points, still in the page) is taken as the selection.
 */
export const FreshSelection = Extension.create({
  name: 'freshSelection',

  dispatchTransaction({ transaction, next }) {
    // The view itself, not Tiptap's stand-in before it is mounted (headless use has none).
    const view = (this.editor as unknown as { editorView?: EditorView | null }).editorView
    const unread = view && isRemote(transaction) ? unreadDomSelection(view) : null
    next(transaction)
    if (!view || !unread || !unread.anchor.node.isConnected || !unread.head.node.isConnected) return
    try {
      const { doc } = view.state
      const anchor = view.posAtDOM(unread.anchor.node, unread.anchor.offset)
      const head = view.posAtDOM(unread.head.node, unread.head.offset)
      const current = view.state.selection
      if (anchor === current.anchor && head === current.head) return
      view.dispatch(view.state.tr.setSelection(TextSelection.between(doc.resolve(anchor), doc.resolve(head))))
    } catch {
      // The points no longer map into the document: keep the editor's selection.
    }
  },
})
