import { Extension } from '@tiptap/core'
import { Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'

/** The part of ProseMirror's DOM observer used here (internal, stable across prosemirror-view 1.x). */
interface DomObserver {
  flush(): void
}

/** Keys the browser handles itself by moving the selection: reading the selection then would only interfere. */
const NAVIGATION = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown', 'Shift', 'Control', 'Alt', 'Meta'])

/** The browser's selection in document positions, or null when it is not in the editor or cannot be read. */
function domSelection(view: EditorView): { anchor: number; head: number } | null {
  const selection = view.dom.ownerDocument.getSelection()
  if (!selection?.anchorNode || !selection.focusNode || !view.dom.contains(selection.anchorNode) || !view.dom.contains(selection.focusNode)) return null
  try {
    return { anchor: view.posAtDOM(selection.anchorNode, selection.anchorOffset), head: view.posAtDOM(selection.focusNode, selection.focusOffset) }
  } catch {
    return null
  }
}

/**
 * Keeps the editor's selection where the person sees it. The browser reports a caret moved by a key
 * with a `selectionchange` event that arrives a task later, and two things could happen before it:
 *
 * - another key: Enter right after ← was handled with the previous selection, which in 建议 mode struck
 *   a whole selected phrase or split a section title instead of splitting the paragraph at the caret
 *   (ProseMirror flushes on keydown only when a flush is already scheduled). So the selection is read
 *   before any key but plain navigation (for those the browser moves the selection itself);
 * - another person's change: drawing it put the editor's older caret back on screen, and what was typed
 *   next went there. So a remote change carries the browser's caret, mapped through the change.
 */
export const SyncSelectionOnKey = Extension.create({
  name: 'syncSelectionOnKey',
  // Before every keymap, so they all see the caret where the person sees it.
  priority: 10_000,

  dispatchTransaction({ transaction, next }: { transaction: Transaction; next: (transaction: Transaction) => void }) {
    const view = this.editor.view
    const remote = (transaction.getMeta('y-sync$') as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin
    const current = this.editor.state.selection
    if (remote && !view.composing && view.hasFocus() && current instanceof TextSelection && transaction.before.eq(this.editor.state.doc)) {
      const seen = domSelection(view)
      if (seen && (seen.anchor !== current.anchor || seen.head !== current.head)) {
        const anchor = transaction.doc.resolve(transaction.mapping.map(seen.anchor))
        const head = transaction.doc.resolve(transaction.mapping.map(seen.head))
        transaction.setSelection(TextSelection.between(anchor, head))
      }
    }
    next(transaction)
  },

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('syncSelectionOnKey'),
        props: {
          handleKeyDown(view: EditorView, event: KeyboardEvent) {
            const shortcut = event.ctrlKey || event.metaKey || event.altKey
            if (shortcut || !NAVIGATION.has(event.key)) (view as unknown as { domObserver: DomObserver }).domObserver.flush()
            return false
          },
        },
      }),
    ]
  },
})
