import { Mark, mergeAttributes } from '@tiptap/core'

/**
 * A suggested change to formatting or attributes. Required by prosemirror-suggest-changes, which
 * records e.g. a suggested bold as one; shown with a dotted outline.
 */
export const Modification = Mark.create({
  name: 'modification',
  inclusive: false,
  excludes: 'insertion deletion',

  addAttributes() {
    return {
      id: { default: null },
      type: { default: 'mark' },
      attrName: { default: null },
      previousValue: { default: null },
      newValue: { default: null },
    }
  },

  parseHTML() {
    return [{ tag: 'span[data-modification-id]', getAttrs: (element) => ({ id: element.getAttribute('data-modification-id') }) }]
  },

  renderHTML({ mark, HTMLAttributes }) {
    const { id, type, attrName, previousValue, newValue, ...rest } = HTMLAttributes
    void type, void attrName, void previousValue, void newValue, void id
    return ['span', mergeAttributes({ class: 'suggestion suggestion--modification', 'data-modification-id': mark.attrs.id }, rest), 0]
  },
})
