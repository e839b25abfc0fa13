import { Mark, mergeAttributes } from '@tiptap/core'

/**
 * The text a comment thread (批注) is about. Threads overlap freely, so the mark excludes nothing;
 * the thread itself (messages, resolved state) lives in the Y.Map `comments` beside the content.
 */
export const Comment = Mark.create({
  name: 'comment',
  inclusive: false,
  excludes: '',

  addAttributes() {
    return {
      threadId: {
        default: null,
        parseHTML: (element) => element.getAttribute('data-thread-id'),
        renderHTML: (attributes) => ({ 'data-thread-id': attributes.threadId }),
      },
    }
  },

  parseHTML() {
    return [{ tag: 'span[data-thread-id]' }]
  },

  renderHTML({ HTMLAttributes }) {
    return ['span', mergeAttributes({ class: 'comment' }, HTMLAttributes), 0]
  },
})
