import type { Node as PMNode } from '@tiptap/pm/model'
import { Document, DeletedTextRun, InsertedTextRun, Packer, Paragraph, TextRun, CommentRangeStart, CommentRangeEnd, CommentReference } from 'docx'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { analyzeReport } from '../editor/lib/analyzeReport'
import { modelToDocJSON } from '../editor/lib/plainText'
import { schema } from '../editor/schema'
import { propertyRuns } from '../testing/propertyRuns'
import { del, ins, p, run, WORD_REVIEWED, wordPackage } from '../word/testing'
import { DocxReadError, importDocx, type ImportedReport } from './importDocx'

function docOf({ model }: ImportedReport): PMNode {
  const doc = schema.nodeFromJSON(modelToDocJSON(model))
  doc.check()
  return doc
}

const visible = (text: string) => text.replace(/\u200B/g, '')
const suggestionsOf = (doc: PMNode) =>
  analyzeReport(doc).suggestions.map(({ type, authorId, authorName, createdAt, inserted, deleted }) => ({
    type,
    authorId,
    authorName,
    createdAt,
    inserted: visible(inserted),
    deleted: visible(deleted),
  }))
const anchorsOf = (doc: PMNode) => new Map(analyzeReport(doc).comments.map((anchor) => [anchor.threadId, visible(anchor.text)]))

const at = (time: string) => `2024-03-06T${time}:00.000Z`

describe('importDocx — a file reviewed in Word (hand-written WordprocessingML as Word writes it)', () => {
  it('keeps the report structure and the text as the reviewer sees it (deleted text shown, struck through)', async () => {
    const imported = await importDocx(await wordPackage(WORD_REVIEWED))
    expect(imported.model.title).toBe('2023年度述职报告')
    const doc = docOf(imported)
    expect(analyzeReport(doc).sections.map((section) => section.title)).toEqual(['强化政治引领'])
    const paragraphs: string[] = []
    doc.descendants((node) => {
      if (node.type.name === 'paragraph') paragraphs.push(visible(node.textContent))
      return true
    })
    expect(paragraphs).toEqual(['全年主持局委会**次，认真研究审议重大事项。链接', '前半句，', '后半句。', '移走的话。留下的话。移走的话。', '被合并的段，', '下一段。'])
    // The mask is a placeholder; suggested, so it does not count as filled (its text stays the insertion's).
    expect(analyzeReport(doc).placeholders).toHaveLength(1)
  })

  it('turns every revision into a suggestion with its Word author and date; authors without an account are named external reviewers', async () => {
    const doc = docOf(await importDocx(await wordPackage(WORD_REVIEWED)))
    const li = { authorId: 'word:李局长', authorName: '李局长' }
    const wang = { authorId: 'word:王处长', authorName: '王处长' }
    expect(suggestionsOf(doc)).toEqual([
      { type: 'insertion', ...li, createdAt: at('16:05'), inserted: '**', deleted: '' },
      { type: 'deletion', ...wang, createdAt: at('16:06'), inserted: '', deleted: '认真' },
      { type: 'insertion', ...li, createdAt: at('16:05'), inserted: '链接', deleted: '' },
      // The split: zero-width markers at the end of the first paragraph and the start of the second.
      { type: 'insertion', ...li, createdAt: at('16:07'), inserted: '', deleted: '' },
      { type: 'deletion', ...wang, createdAt: at('16:08'), inserted: '', deleted: '移走的话。' },
      { type: 'insertion', ...wang, createdAt: at('16:08'), inserted: '移走的话。', deleted: '' },
      { type: 'deletion', ...wang, createdAt: at('16:09'), inserted: '', deleted: '' },
    ])
    // The split and join markers sit where suggest mode puts them: at the end of one block and the start of the next.
    const split = analyzeReport(doc).suggestions[3]
    expect(doc.textBetween(split.from, split.to, '|')).toBe('\u200B|\u200B')
  })

  it('turns comment ranges into threads on the right words, with replies (commentsExtended) and resolved state (w15:done)', async () => {
    const imported = await importDocx(await wordPackage(WORD_REVIEWED))
    const anchors = anchorsOf(docOf(imported))
    const view = imported.threads.map((thread) => ({
      anchor: anchors.get(thread.id),
      quote: thread.quote,
      author: [thread.authorId, thread.authorName, thread.createdAt],
      resolved: thread.resolved,
      messages: thread.messages.map((message) => [message.authorName, message.createdAt, message.text]),
    }))
    expect(view).toEqual([
      { anchor: '局委会**', quote: '局委会**', author: ['word:张三', '张三', at('17:00')], resolved: false, messages: [['张三', at('17:00'), '次数请再核实']] },
      {
        anchor: '被合并的段，下一段',
        quote: '被合并的段，下一段',
        author: ['word:王处长', '王处长', at('17:01')],
        resolved: true,
        messages: [
          ['王处长', at('17:01'), '第一行\n第二行'],
          ['李局长', at('17:02'), '同意'],
        ],
      },
    ])
  })

  it('matches authors to accounts by display name', async () => {
    const accounts = new Map([['李局长', 'u-li']])
    const imported = await importDocx(await wordPackage(WORD_REVIEWED), (name) => ({ id: accounts.get(name) ?? `word:${name}`, name }))
    const authors = new Set(suggestionsOf(docOf(imported)).map((suggestion) => suggestion.authorId))
    expect(authors).toEqual(new Set(['u-li', 'word:王处长']))
    expect(imported.threads[1].messages[1].authorId).toBe('u-li')
  })
})

describe('importDocx — a file written by the docx library (tracked runs, comments with a reply, resolved)', () => {
  const date = new Date('2024-05-01T09:30:00Z')
  async function file(): Promise<Uint8Array> {
    const document = new Document({
      comments: {
        children: [
          { id: 0, author: '赵科长', date, children: [new Paragraph('这个数字从哪来？')] },
          { id: 1, author: '钱主任', date: new Date('2024-05-01T10:00:00Z'), parentId: 0, children: [new Paragraph('来自统计年报')] },
          { id: 2, author: '赵科长', date, resolved: true, children: [new Paragraph('已改')] },
        ],
      },
      sections: [
        {
          children: [
            new Paragraph('关于2023年工作的报告'),
            new Paragraph({
              children: [
                new TextRun('今年共完成'),
                new CommentRangeStart(0),
                new CommentRangeStart(1),
                new DeletedTextRun({ text: '十', id: 1, author: '赵科长', date: '2024-05-01T09:00:00Z' }),
                new InsertedTextRun({ text: '十二', id: 2, author: '赵科长', date: '2024-05-01T09:00:00Z' }),
                new CommentRangeEnd(0),
                new CommentRangeEnd(1),
                new TextRun({ children: [new CommentReference(0)] }),
                new TextRun({ children: [new CommentReference(1)] }),
                new TextRun('项任务，'),
                new CommentRangeStart(2),
                new InsertedTextRun({ text: '超额完成', id: 3, author: '钱主任', date: '2024-05-02T08:00:00Z' }),
                new CommentRangeEnd(2),
                new TextRun({ children: [new CommentReference(2)] }),
                new TextRun('。'),
              ],
            }),
          ],
        },
      ],
    })
    return new Uint8Array(await Packer.toBuffer(document))
  }

  it('gives a replacement (deletion then insertion, same author and time) as one suggestion, and each thread on its words', async () => {
    const imported = await importDocx(await file())
    const doc = docOf(imported)
    expect(suggestionsOf(doc)).toEqual([
      { type: 'replacement', authorId: 'word:赵科长', authorName: '赵科长', createdAt: '2024-05-01T09:00:00.000Z', inserted: '十二', deleted: '十' },
      { type: 'insertion', authorId: 'word:钱主任', authorName: '钱主任', createdAt: '2024-05-02T08:00:00.000Z', inserted: '超额完成', deleted: '' },
    ])
    const anchors = anchorsOf(doc)
    expect(imported.threads.map((thread) => [anchors.get(thread.id), thread.resolved, thread.messages.map((m) => `${m.authorName}:${m.text}`)])).toEqual([
      ['十十二', false, ['赵科长:这个数字从哪来？', '钱主任:来自统计年报']],
      ['超额完成', true, ['赵科长:已改']],
    ])
  })
})

describe('importDocx — bad files', () => {
  it('refuses what is not a zip, a zip without a document, and malformed XML, with a DocxReadError', async () => {
    await expect(importDocx(new TextEncoder().encode('not a docx'))).rejects.toBeInstanceOf(DocxReadError)
    await expect(importDocx(await wordPackage({ body: '<w:p><w:r><w:t>unclosed</w:r></w:p>' }))).rejects.toThrow(/not well-formed/)
    const JSZip = (await import('jszip')).default
    const empty = await new JSZip().file('hello.txt', 'x').generateAsync({ type: 'uint8array' })
    await expect(importDocx(empty)).rejects.toThrow(/no word\/document\.xml/)
  })
})

describe('importDocx — property: every character keeps the revision Word recorded on it', () => {
  const AUTHORS = ['李局长', '王处长', 'Smith, J.']
  const DATES = ['2024-01-01T08:00:00Z', '2024-01-02T09:30:00Z']
  const piece = fc.record({
    text: fc.string({ unit: fc.constantFrom('甲', '乙', '丙', 'a', 'b', '，', '1'), minLength: 1, maxLength: 6 }),
    kind: fc.constantFrom('plain', 'ins', 'del'),
    author: fc.constantFrom(...AUTHORS),
    date: fc.constantFrom(...DATES),
  })

  it('holds for any sequence of plain, inserted and deleted runs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 8 }), async (pieces) => {
        const body = pieces
          .map((part, index) =>
            part.kind === 'plain' ? run(part.text) : (part.kind === 'ins' ? ins : del)(index + 1, part.author, part.date, run(part.text, part.kind === 'del')),
          )
          .join('')
        const doc = docOf(await importDocx(await wordPackage({ body: p(run('标题')) + p(run('正文：') + body) })))
        const expected = pieces.flatMap((part) => [...part.text].map(() => (part.kind === 'plain' ? 'plain' : `${part.kind}|${part.author}|${new Date(part.date).toISOString()}`)))
        const actual: string[] = []
        doc.lastChild!.forEach((node) => {
          const mark = node.marks.find((m) => m.type.name === 'insertion' || m.type.name === 'deletion')
          const label = mark ? `${mark.type.name === 'insertion' ? 'ins' : 'del'}|${mark.attrs.authorName}|${mark.attrs.createdAt}` : 'plain'
          for (const _ of node.text ?? '') actual.push(label)
        })
        expect(actual.slice('正文：'.length)).toEqual(expected)
        // Ids: one per run of same-kind, same-author, same-time revisions; a deletion then insertion by the same person at the same time share one.
        const ids = new Set<string>()
        doc.lastChild!.forEach((node) => node.marks.forEach((m) => m.attrs.id && ids.add(String(m.attrs.id))))
        expect(ids.size).toBeLessThanOrEqual(pieces.filter((part) => part.kind !== 'plain').length)
      }),
      propertyRuns(60),
    )
  })
})
