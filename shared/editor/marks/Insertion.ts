import { Mark, mergeAttributes } from '@tiptap/core'
import { suggestionAttributes } from './suggestionAttributes'

/** Text someone suggested adding (建议插入). Accepting drops the mark; rejecting drops the text. */
export const Insertion = Mark.create({
  name: 'insertion',
  inclusive: false,
  excludes: 'insertion deletion modification',

  addAttributes: suggestionAttributes,

  parseHTML() {
    return [{ tag: 'ins[data-suggestion-id]' }]
  },

  renderHTML({ HTMLAttributes }) {
    return ['ins', mergeAttributes({ class: 'suggestion suggestion--insertion' }, HTMLAttributes), 0]
  },
})
