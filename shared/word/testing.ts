/**
 * Test helpers: .docx files with tracked changes and comments made the way Word writes them — by the
 * `docx` library (InsertedTextRun/DeletedTextRun, comments with replies and done state) or as hand-written
 * WordprocessingML with the namespaces, rsids, paraIds, moves and paragraph-mark revisions Word emits.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
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
export async function wordPackage(parts: { body: string; comments?: string; commentsExtended?: string; numbering?: string; styles?: string }): Promise<Uint8Array> {
  const zip = new JSZip()
  const overrides = [
    ['document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'],
    ...(parts.comments ? [['comments', 'application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml']] : []),
    ...(parts.commentsExtended ? [['commentsExtended', 'application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml']] : []),
  ]
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>${overrides.map(([name, type]) => `<Override PartName="/word/${name}.xml" ContentType="${type}"/>`).join('')}</Types>`,
  )
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
  const rel = (id: string, type: string, target: string, external = false) =>
    `<Relationship Id="${id}" Type="${type}" Target="${target}"${external ? ' TargetMode="External"' : ''}/>`
  zip.file(
    'word/_rels/document.xml.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${[
      rel('rId9', 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink', 'https://example.org/', true),
      ...(parts.comments ? [rel('rId1', 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments', 'comments.xml')] : []),
      ...(parts.commentsExtended ? [rel('rId2', 'http://schemas.microsoft.com/office/2011/relationships/commentsExtended', 'commentsExtended.xml')] : []),
    ].join('')}</Relationships>`,
  )
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${NS}><w:body>${parts.body}<w:sectPr/></w:body></w:document>`)
  if (parts.comments) zip.file('word/comments.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments ${NS}>${parts.comments}</w:comments>`)
  if (parts.commentsExtended) zip.file('word/commentsExtended.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w15:commentsEx ${NS}>${parts.commentsExtended}</w15:commentsEx>`)
  if (parts.numbering) zip.file('word/numbering.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering ${NS}>${parts.numbering}</w:numbering>`)
  if (parts.styles) zip.file('word/styles.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles ${NS}>${parts.styles}</w:styles>`)
  return zip.generateAsync({ type: 'uint8array' })
}

/** A Word run (`w:r`) with East Asian font properties, as Word writes them. */
export const run = (text: string, deleted = false) =>
  `<w:r w:rsidR="00A1B2C3"><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hint="eastAsia"/><w:sz w:val="32"/></w:rPr><w:${deleted ? 'delText' : 't'} xml:space="preserve">${text}</w:${deleted ? 'delText' : 't'}></w:r>`

export const ins = (id: number, author: string, date: string, body: string) => `<w:ins w:id="${id}" w:author="${author}" w:date="${date}">${body}</w:ins>`
export const del = (id: number, author: string, date: string, body: string) => `<w:del w:id="${id}" w:author="${author}" w:date="${date}">${body}</w:del>`
export const p = (body: string, pPr = '', paraId = '3C5D7E9F') => `<w:p w14:paraId="${paraId}" w14:textId="77777777" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3"><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/>${pPr}</w:pPr>${body}</w:p>`
const commentXml = (id: number, author: string, date: string, paragraphs: [string, string][]) =>
  `<w:comment w:id="${id}" w:author="${author}" w:date="${date}" w:initials="${[...author][0]}">${paragraphs
    .map(([paraId, text], index) => `<w:p w14:paraId="${paraId}" w14:textId="77777777"><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>${index === 0 ? '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>' : ''}<w:r><w:t>${text}</w:t></w:r></w:p>`)
    .join('')}</w:comment>`
const reference = (id: number) => `<w:commentRangeEnd w:id="${id}"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="${id}"/></w:r>`

/** A report reviewed in Word with 修订 on: every kind of revision and comment Word writes. */
export const WORD_REVIEWED = {
  body: [
    p(run('2023年度述职报告'), '<w:jc w:val="center"/>'),
    p(run('一、强化政治引领')),
    p(
      run('全年主持') +
        '<w:commentRangeStart w:id="0"/>' +
        run('局委会') +
        '<w:proofErr w:type="spellStart"/>' +
        ins(11, '李局长', '2024-03-06T16:05:00Z', run('**')) +
        '<w:proofErr w:type="spellEnd"/>' +
        reference(0) +
        run('次，') +
        del(12, '王处长', '2024-03-06T16:06:00Z', run('认真', true)) +
        '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>' +
        run('研究审议重大事项。') +
        `<w:hyperlink r:id="rId9" w:history="1">${ins(13, '李局长', '2024-03-06T16:05:00Z', run('链接'))}</w:hyperlink>`,
    ),
    // A paragraph split suggested in Word: the first paragraph's mark is an insertion.
    p(run('前半句，'), `<w:rPr>${'<w:ins w:id="14" w:author="李局长" w:date="2024-03-06T16:07:00Z"/>'}<w:rFonts w:hint="eastAsia"/></w:rPr>`),
    p(run('后半句。')),
    // A move: moveFrom and moveTo with their range markers.
    p(
      '<w:moveFromRangeStart w:id="15" w:author="王处长" w:date="2024-03-06T16:08:00Z" w:name="move1"/>' +
        '<w:moveFrom w:id="16" w:author="王处长" w:date="2024-03-06T16:08:00Z">' +
        run('移走的话。', false) +
        '</w:moveFrom><w:moveFromRangeEnd w:id="15"/>' +
        run('留下的话。') +
        '<w:moveToRangeStart w:id="17" w:author="王处长" w:date="2024-03-06T16:08:00Z" w:name="move1"/>' +
        '<w:moveTo w:id="18" w:author="王处长" w:date="2024-03-06T16:08:00Z">' +
        run('移走的话。') +
        '</w:moveTo><w:moveToRangeEnd w:id="17"/>',
    ),
    // A join: the paragraph mark deleted; a comment (with a reply, resolved) spans the two paragraphs.
    p('<w:commentRangeStart w:id="1"/><w:commentRangeStart w:id="2"/>' + run('被合并的段，'), '<w:rPr><w:del w:id="19" w:author="王处长" w:date="2024-03-06T16:09:00Z"/></w:rPr>'),
    p(run('下一段') + reference(1) + reference(2) + run('。')),
  ].join(''),
  comments:
    commentXml(0, '张三', '2024-03-06T17:00:00Z', [['00000A01', '次数请再核实']]) +
    commentXml(1, '王处长', '2024-03-06T17:01:00Z', [
      ['00000B01', '第一行'],
      ['00000B02', '第二行'],
    ]) +
    commentXml(2, '李局长', '2024-03-06T17:02:00Z', [['00000C01', '同意']]),
  commentsExtended:
    '<w15:commentEx w15:paraId="00000A01" w15:done="0"/><w15:commentEx w15:paraId="00000B02" w15:done="1"/><w15:commentEx w15:paraId="00000C01" w15:paraIdParent="00000B02" w15:done="0"/>',
}


/** The sample report's text (shared/report/__fixtures__). */
const SAMPLE_TEXT = readFileSync(path.resolve(import.meta.dirname, '../report/__fixtures__/2022-party-building-report.txt'), 'utf8')

/**
 * The sample report as a Word reviewer got it (an earlier export: ordinals as text) and returned it: one
 * line at a time, with `edits` applied to the lines containing their anchor.
 */
export async function reviewedSample(edits: { line: string; body: (line: string) => string }[], comments = '', extra = ''): Promise<Uint8Array> {
  const body = SAMPLE_TEXT.split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => p(edits.find((edit) => line.includes(edit.line))?.body(line) ?? run(line)))
    .join('')
  return wordPackage({ body: body + extra, comments })
}

/** `line` with `target` replaced by Word markup. */
export const around = (line: string, target: string, markup: string) => {
  const at = line.indexOf(target)
  return run(line.slice(0, at)) + markup + run(line.slice(at + target.length))
}

