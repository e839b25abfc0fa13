import { Mark } from '@tiptap/core'
import { renderSuggestionAttributes, suggestionAttributes } from './suggestionAttributes'

/** Text someone suggested adding (建议插入). Accepting drops the mark; rejecting drops the text. */
export const Insertion = Mark.create({
  name: 'insertion',
  inclusive: false,
  excludes: 'insertion deletion modification',

  addAttributes: suggestionAttributes,

  parseHTML() {
    return [{ tag: 'ins[data-suggestion-id]' }]
  },

  renderHTML({ mark }) {
    return ['ins', renderSuggestionAttributes(mark.attrs, { class: 'suggestion suggestion--insertion' }), 0]
  },
})
