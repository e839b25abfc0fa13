import { Node } from '@tiptap/core'

/** A report: its title, then body paragraphs and numbered sections in any order. */
export const ReportDocument = Node.create({
  name: 'doc',
  topNode: true,
  content: 'reportTitle (paragraph | section)*',
})
