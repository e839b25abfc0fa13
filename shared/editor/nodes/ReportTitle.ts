import { mergeAttributes, Node } from '@tiptap/core'

/** The report's title (公文标题): one per document, centred, 2号 小标宋. */
export const ReportTitle = Node.create({
  name: 'reportTitle',
  content: 'inline*',
  marks: '_',
  defining: true,

  parseHTML() {
    return [{ tag: 'h1' }]
  },

  renderHTML({ HTMLAttributes }) {
    return ['h1', mergeAttributes({ class: 'report-title' }, HTMLAttributes), 0]
  },
})
