import { Mark } from '@tiptap/core'
import { renderSuggestionAttributes, suggestionAttributes } from './suggestionAttributes'

/** Text someone suggested removing (建议删除): it stays visible, struck through, until accepted. */
export const Deletion = Mark.create({
  name: 'deletion',
  inclusive: false,
  excludes: 'insertion deletion modification',

  addAttributes: suggestionAttributes,

  parseHTML() {
    return [{ tag: 'del[data-suggestion-id]' }]
  },

  renderHTML({ mark }) {
    return ['del', renderSuggestionAttributes(mark.attrs, { class: 'suggestion suggestion--deletion' }), 0]
  },
})
