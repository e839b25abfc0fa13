import { Node } from '@tiptap/core'

/**
 * A report: its title, an optional 署名 line, then body paragraphs and numbered sections in any order,
 * and an optional 落款 (issuing unit and date) at the end.
 */
export const ReportDocument = Node.create({
  name: 'doc',
  topNode: true,
  // Spelled with the 署名 as the second alternative so that the first textblock allowed after the title
  // is a paragraph: Enter at the end of the title (splitBlock) makes a body paragraph, not a 署名.
  content: 'reportTitle ((paragraph | section)* | reportAuthor (paragraph | section)*) reportSignature?',
})
