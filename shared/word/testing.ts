/**
 * Test helpers: .docx files with tracked changes and comments made the way Word writes them — by the
 * `docx` library (InsertedTextRun/DeletedTextRun, comments with replies and done state) or as hand-written
 * WordprocessingML with the namespaces, rsids, paraIds, moves and paragraph-mark revisions Word emits.
 */
import JSZip from 'jszip'

const NS = [
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
  'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"',
  'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"',
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
  'mc:Ignorable="w14 w15"',
].join(' ')

/** A package holding the given WordprocessingML body and comment parts (only what a reader needs, as Word names it). */
export async function wordPackage(parts: { body: string; comments?: string; commentsExtended?: string }): Promise<Uint8Array> {
  const zip = new JSZip()
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  )
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${NS}><w:body>${parts.body}<w:sectPr/></w:body></w:document>`)
  if (parts.comments) zip.file('word/comments.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments ${NS}>${parts.comments}</w:comments>`)
  if (parts.commentsExtended) zip.file('word/commentsExtended.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w15:commentsEx ${NS}>${parts.commentsExtended}</w15:commentsEx>`)
  return zip.generateAsync({ type: 'uint8array' })
}

/** A Word run (`w:r`) with East Asian font properties, as Word writes them. */
export const run = (text: string, deleted = false) =>
  `<w:r w:rsidR="00A1B2C3"><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hint="eastAsia"/><w:sz w:val="32"/></w:rPr><w:${deleted ? 'delText' : 't'} xml:space="preserve">${text}</w:${deleted ? 'delText' : 't'}></w:r>`
