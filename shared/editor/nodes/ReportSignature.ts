import { mergeAttributes, Node } from '@tiptap/core'
import { toggleSignature } from '../commands/titleBlock'
import { fromProseMirror } from '../lib/fromProseMirror'

export interface ReportSignatureOptions {
  /** Extra HTML attributes of the rendered block. */
  HTMLAttributes: Record<string, unknown>
  /** Today's date for a new 落款; a function so tests can fix it. */
  today: () => Date
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    reportSignature: {
      /** Adds the 落款 at the end (unit to type, today's date), caret in the unit; removes it when it is there. */
      toggleSignature: () => ReturnType
    }
  }
}

/**
 * The 落款 at the end of a report: the issuing unit (发文机关署名) over the 成文日期, right-aligned as
 * GB/T 9704-2012 7.3.5.2 lays out a document without a seal: the unit 右空二字, the date's first character
 * two characters right of the unit's (and the date 右空二字 when it is the longer line). Optional, last.
 */
export const ReportSignature = Node.create<ReportSignatureOptions>({
  name: 'reportSignature',
  content: 'signatureUnit signatureDate',
  defining: true,
  isolating: true,

  addOptions() {
    return { HTMLAttributes: {}, today: () => new Date() }
  },

  parseHTML() {
    return [{ tag: 'div.report-signature' }]
  },

  renderHTML({ HTMLAttributes }) {
    return ['div', mergeAttributes({ class: 'report-signature' }, this.options.HTMLAttributes, HTMLAttributes), 0]
  },

  addCommands() {
    return {
      // Adding or removing the block is not a suggestion the review can record: 编辑 mode only.
      toggleSignature: () => (props) => (this.editor.storage.suggestChanges?.mode ?? 'edit') === 'edit' && fromProseMirror(toggleSignature(this.options.today))(props),
    }
  },
})
