import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'

/** The part of ProseMirror's DOM observer used here (internal, stable across prosemirror-view 1.x). */
interface DomObserver {
  flush(): void
}

/** Keys the browser handles itself by moving the selection: reading the selection then would only interfere. */
const NAVIGATION = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown', 'Shift', 'Control', 'Alt', 'Meta'])

/**
 * Reads the browser's selection into the editor before a key is handled. The browser reports a caret
 * moved by a key with a `selectionchange` event that arrives a task later; Enter right after ← was
 * handled with the previous selection, which in 建议 mode struck a whole selected phrase instead of
 * splitting the paragraph at the caret (ProseMirror flushes on keydown only when a flush is already
 * scheduled). Plain navigation keys are left alone: the browser moves the selection for them itself.
 * (The other half, a remote change arriving in that gap, is shared/editor/plugins/freshSelection.ts.)
 */
export const SyncSelectionOnKey = Extension.create({
  name: 'syncSelectionOnKey',
  // Before every keymap, so they all see the caret where the person sees it.
  priority: 10_000,

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
