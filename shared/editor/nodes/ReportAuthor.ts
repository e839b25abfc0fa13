import { Node } from '@tiptap/core'
import { toggleAuthorLine } from '../commands/titleBlock'
import { fromProseMirror } from '../lib/fromProseMirror'
import { lineNodeConfig, type LineNodeOptions } from '../lib/lineNode'

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    reportAuthor: {
      /** Adds the 署名 line under the title (caret in it), or removes it when it is there. */
      toggleAuthorLine: () => ReturnType
    }
  }
}

/**
 * The 署名 line under the report's title (「XX市XX局」, 「述职人：张三」): optional, at most one, centred.
 * Exported as a centred 3号楷体 line between the title and the body.
 */
export const ReportAuthor = Node.create<LineNodeOptions>({
  name: 'reportAuthor',
  ...lineNodeConfig('report-author'),

  addCommands() {
    return {
      // Adding or removing the block is not a suggestion the review can record: 编辑 mode only.
      toggleAuthorLine: () => (props) => (this.editor.storage.suggestChanges?.mode ?? 'edit') === 'edit' && fromProseMirror(toggleAuthorLine)(props),
    }
  },
})
