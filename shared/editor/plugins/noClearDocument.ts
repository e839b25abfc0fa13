import { Extension } from '@tiptap/core'

/**
 * Tiptap's core keymap "clears" a document whose whole text was selected and removed: clearNodes, every
 * block turned into the default one. A report's blocks cannot all become one another (a 署名 holds a
 * unit and a date), so with the report selected from its end back to its title (Shift+Ctrl+Home), Enter
 * threw a RangeError inside the dispatch and the keystroke silently did nothing. A report needs no
 * clearing: what the deletion leaves (an empty title, and the new paragraph for Enter) is a valid report.
 * The meta is the keymap's own switch for this (`preventClearDocument`).
 */
export const NoClearDocument = Extension.create({
  name: 'noClearDocument',

  dispatchTransaction({ transaction, next }) {
    next(transaction.setMeta('preventClearDocument', true))
  },
})
