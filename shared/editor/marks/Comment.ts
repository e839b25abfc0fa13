import { Mark, mergeAttributes } from '@tiptap/core'
import { SKIP_SUGGEST } from '../suggestions/meta'

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    comment: {
      /** Anchors thread `threadId` on the selected text. Never a suggestion, even in suggest mode. */
      setComment: (threadId: string) => ReturnType
      /** Removes thread `threadId`'s anchor wherever it is. */
      unsetComment: (threadId: string) => ReturnType
    }
  }
}

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

  addCommands() {
    return {
      setComment:
        (threadId) =>
        ({ tr, state, dispatch }) => {
          const { from, to, empty } = state.selection
          if (empty) return false
          if (dispatch) tr.addMark(from, to, this.type.create({ threadId })).setMeta(SKIP_SUGGEST, true)
          return true
        },
      unsetComment:
        (threadId) =>
        ({ tr, state, dispatch }) => {
          const ranges: { from: number; to: number }[] = []
          state.doc.descendants((node, pos) => {
            if (node.marks.some((mark) => mark.type === this.type && mark.attrs.threadId === threadId)) ranges.push({ from: pos, to: pos + node.nodeSize })
          })
          if (ranges.length === 0) return false
          if (dispatch) {
            for (const range of ranges) tr.removeMark(range.from, range.to, this.type.create({ threadId }))
            tr.setMeta(SKIP_SUGGEST, true)
          }
          return true
        },
    }
  },
})
