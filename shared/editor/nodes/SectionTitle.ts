import { mergeAttributes, Node } from '@tiptap/core'

/**
 * The title of a section, without its ordinal: 一、/（一）/1./（1） is derived from the section's
 * position and drawn by the numbering plugin, so it can never go stale.
 */
export const SectionTitle = Node.create({
  name: 'sectionTitle',
  content: 'inline*',
  marks: '_',
  defining: true,

  parseHTML() {
    return [{ tag: 'div.section-title' }, { tag: 'h2' }, { tag: 'h3' }, { tag: 'h4' }, { tag: 'h5' }]
  },

  renderHTML({ HTMLAttributes }) {
    return ['div', mergeAttributes({ class: 'section-title', role: 'heading' }, HTMLAttributes), 0]
  },
})
