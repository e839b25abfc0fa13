import { Extension } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'

/**
 * Enter over a selection that spans blocks. Tiptap's splitBlock asks whether it can split before it
 * deletes the selection, then splits where the deletion left the caret, which need not split the same
 * way: with an empty report title selected into the first paragraph it threw a TransformError inside
 * the key handler, and Enter silently did nothing. Deleting first and then splitting asks the
 * question of the document that is split. One transaction, so 建议 makes it one suggestion as before.
 */
export const EnterOverSelection = Extension.create({
  name: 'enterOverSelection',
  // Before the core keymap's Enter.
  priority: 1000,

  addKeyboardShortcuts() {
    return {
      Enter: ({ editor }) => {
        const { selection } = editor.state
        if (!(selection instanceof TextSelection) || selection.empty || selection.$from.sameParent(selection.$to)) return false
        editor.chain().deleteSelection().splitBlock().run()
        return true
      },
    }
  },
})
