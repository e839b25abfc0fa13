import { Extension } from '@tiptap/core'
import { Plugin, PluginKey, TextSelection, type EditorState } from '@tiptap/pm/state'

/**
 * Whether text typed with this selection is put into the page by the browser itself. ProseMirror lets
 * the browser insert typed text (and an input method's text) when the selection is a text selection
 * inside one block, then reads the change back; otherwise it stops the key press and inserts the text
 * itself (prosemirror-view's keypress handler), and then nothing has scrolled yet.
 */
export function browserInsertsTypedText(state: EditorState): boolean {
  const { selection } = state
  return selection instanceof TextSelection && selection.$from.sameParent(selection.$to)
}

/**
 * Typed text needs no second scroll. The browser scrolls the caret into view as it inserts typed
 * text (Chromium's typing command reveals the selection); ProseMirror then reads the change and
 * scrolls the selection into view again for the transaction it makes of it, measuring the caret and
 * every scrollable box around the editor (forced layout, `getBoundingClientRect` per box) on every key
 * press: about 0.7 ms of each key's script on the 50-page report with two others typing
 * (`bench/tools/profile-editor.ts`). This skips that second scroll for text the browser inserted;
 * every other scroll (Enter, paste, undo, text ProseMirror inserts itself, the caret moved by a
 * command) is left to ProseMirror.
 */
export const TypedTextScroll = Extension.create({
  name: 'typedTextScroll',
  // Before the input rules, which may take the text over and dispatch their own (scrolled) change.
  priority: 10_000,

  addProseMirrorPlugins() {
    // Set while ProseMirror turns text the browser typed into a transaction, which it dispatches at
    // once: the scroll that follows in the same call is the one to skip. Cleared after that call in
    // any case, so that no later scroll is skipped.
    let typed = false
    return [
      new Plugin({
        key: new PluginKey('typedTextScroll'),
        props: {
          handleTextInput(view) {
            if (!browserInsertsTypedText(view.state)) return false
            typed = true
            queueMicrotask(() => (typed = false))
            return false
          },
          handleScrollToSelection() {
            if (!typed) return false
            typed = false
            return true
          },
        },
      }),
    ]
  },
})
