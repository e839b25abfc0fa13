import type { JSONContent } from '@tiptap/core'
import fc from 'fast-check'
import JSZip from 'jszip'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { readThreads, type CommentThread } from '../../shared/comments/threads'
import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import { modelToDocJSON } from '../../shared/editor/lib/plainText'
import { yDocToNode } from '../../shared/editor/lib/ydoc'
import { SAMPLE_TEXT, sampleDoc } from '../../shared/editor/testing/reportFixtures'
import { importDocx, type AuthorResolver } from '../../shared/report/importDocx'
import { importPlainText, listPlaceholders, type SectionBlock } from '../../shared/report/importText'
import { inlineText } from '../../shared/report/inlines'
import { propertyRuns } from '../../shared/testing/propertyRuns'
import { reportModel } from '../../shared/testing/reportModels'
import { importedDocumentUpdate } from '../../shared/word/threadsToYdoc'
import { exportDocx } from './exportDocx'
import { docFromJSON } from './testing'

/** The model without the fresh ids an import hands out (placeholders cut by a mark change share one). */
const withoutIds = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v) => (key === 'id' || /^(title|author|unit|date)Content$/.test(key) ? undefined : v)))

/**
 * import(export(x)) keeps the report: the exported ordinals are text, so the importer recognises the
 * sections again, and the masks stay text, so it finds the same placeholders.
 */
describe('round trip: exportDocx → importDocx', () => {
  it('keeps the title, the section structure and the 20 placeholders of the sample', async () => {
    const doc = sampleDoc()
    const { model, threads } = await importDocx(await exportDocx(doc, { mode: 'as-is' }))
    expect(threads).toEqual([])

    expect(model.title).toBe('2022年度党建工作述职')
    const level1 = model.blocks.filter((block): block is SectionBlock => block.type === 'section')
    expect(level1.map((section) => [section.level, inlineText(section.title)])).toEqual([
      [1, '强化政治引领，贯彻中央部署'],
      [1, '强化理论武装，提升政治素养'],
      [1, '建强战斗堡垒，建好基层组织'],
      [1, '全面从严治党，加强纪律建设'],
    ])
    const children = level1.map((section) => section.body.filter((block): block is SectionBlock => block.type === 'section'))
    expect(children.map((sections) => sections.length)).toEqual([2, 3, 3, 3])
    expect(children.flat().every((section) => section.level === 2 && section.runIn)).toBe(true)

    const placeholders = listPlaceholders(model)
    expect(placeholders).toHaveLength(20)
    const original = analyzeReport(doc).placeholders
    expect(placeholders.map(({ text, kind }) => ({ text, kind }))).toEqual(original.map(({ text, kind }) => ({ text, kind })))
  })

  it('gives back exactly the model the plain-text import of the sample gives', async () => {
    const { model } = await importDocx(await exportDocx(sampleDoc(), { mode: 'as-is' }))
    expect(withoutIds(model)).toEqual(withoutIds(importPlainText(SAMPLE_TEXT)))
  })

  // Any well-formed report, not only the sample: nesting to four levels, skipped levels, run-in
  // headings, masks and quotations in titles, the 署名 and the 落款 (shared/testing/reportModels.ts).
  it('property: any report exported to Word and imported again is the same report', async () => {
    await fc.assert(
      fc.asyncProperty(reportModel, async (model) => {
        const doc = docFromJSON(modelToDocJSON(model))
        const { model: back, threads } = await importDocx(await exportDocx(doc, { mode: 'as-is' }))
        expect(threads).toEqual([])
        expect(withoutIds(back)).toEqual(withoutIds(model))
      }),
      propertyRuns(40),
    )
  }, 120_000)
})

const AT = (minute: number) => `2024-03-06T08:${String(minute).padStart(2, '0')}:00.000Z`
const suggestion = (type: 'insertion' | 'deletion', id: string, authorId: string, authorName: string, minute: number) => ({
  type,
  attrs: { id, authorId, authorName, createdAt: AT(minute) },
})
const comment = (threadId: string) => ({ type: 'comment', attrs: { threadId } })

/** A reviewed report: insertions, deletions, a replacement, a suggested paragraph split, threads with replies. */
const reviewed: JSONContent = {
  type: 'doc',
  content: [
    { type: 'reportTitle', content: [{ type: 'text', text: '2023年度' }, { type: 'text', text: '工作', marks: [suggestion('insertion', 's0', 'u-li', '李局长', 1)] }, { type: 'text', text: '述职' }] },
    {
      type: 'section',
      attrs: { level: 1, runIn: false },
      content: [
        { type: 'sectionTitle', content: [{ type: 'text', text: '强化政治引领' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: '全年主持' },
            { type: 'text', text: '局委会', marks: [comment('t1')] },
            { type: 'text', text: '**', marks: [comment('t1'), { type: 'placeholder', attrs: { id: 'p1', kind: 'count' } }] },
            { type: 'text', text: '次，' },
            { type: 'text', text: '认真', marks: [suggestion('deletion', 's1', 'word:王处长', '王处长', 2)] },
            { type: 'text', text: '研究审议', marks: [comment('t2')] },
            { type: 'text', text: '重大', marks: [suggestion('deletion', 's2', 'u-li', '李局长', 3)] },
            { type: 'text', text: '关键', marks: [suggestion('insertion', 's2', 'u-li', '李局长', 3)] },
            { type: 'text', text: '事项。' },
            { type: 'text', text: '\u200B', marks: [suggestion('insertion', 's3', 'u-li', '李局长', 4)] },
          ],
        },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: '\u200B', marks: [suggestion('insertion', 's3', 'u-li', '李局长', 4)] },
            { type: 'text', text: '另起一段，' },
            { type: 'text', text: '补充说明', marks: [suggestion('insertion', 's4', 'word:王处长', '王处长', 5), comment('t3')] },
            { type: 'text', text: '。' },
          ],
        },
      ],
    },
  ],
}

const thread = (id: string, resolved: boolean, createdMinute: number, messages: [string, string, string][]): CommentThread => ({
  id,
  authorId: messages[0][0],
  authorName: messages[0][1],
  createdAt: AT(createdMinute),
  quote: '',
  resolved,
  resolvedBy: null,
  resolvedAt: null,
  messages: messages.map(([authorId, authorName, text], index) => ({ id: `${id}-${index}`, authorId, authorName, createdAt: AT(createdMinute + index), text })),
})
const reviewedThreads = [
  thread('t1', false, 10, [
    ['u-li', '李局长', '次数请再核实'],
    ['u-zhang', '张三', '已核对，无误\n见会议纪要'],
  ]),
  thread('t2', true, 20, [['word:王处长', '王处长', '已解决的意见']]),
  thread('t3', false, 30, [['word:王处长', '王处长', '补充得好']]),
]

/** Accounts 李局长 and 张三; 王处长 has none. */
const people: AuthorResolver = (name) =>
  name === '李局长' ? { id: 'u-li', name } : name === '张三' ? { id: 'u-zhang', name } : { id: `word:${name}`, name }

async function reimport(buffer: Buffer) {
  const { model, threads } = await importDocx(buffer, people)
  const ydoc = new Y.Doc()
  Y.applyUpdate(ydoc, importedDocumentUpdate(modelToDocJSON(model), threads))
  return { doc: yDocToNode(ydoc), threads: readThreads(ydoc) }
}

async function wordParts(buffer: Buffer) {
  const zip = await JSZip.loadAsync(buffer)
  const read = async (name: string) => (await zip.file(name)?.async('string')) ?? ''
  return { document: await read('word/document.xml'), comments: await read('word/comments.xml'), extended: await read('word/commentsExtended.xml') }
}

const suggestionsOf = (doc: ReturnType<typeof docFromJSON>) =>
  analyzeReport(doc).suggestions.map(({ type, authorId, authorName, createdAt, inserted, deleted, sectionPath }) => ({ type, authorId, authorName, createdAt, inserted, deleted, sectionPath }))
const threadsView = (threads: CommentThread[], doc: ReturnType<typeof docFromJSON>) => {
  const anchors = new Map(analyzeReport(doc).comments.map((anchor) => [anchor.threadId, anchor.text]))
  return threads.map(({ authorId, authorName, createdAt, resolved, messages, id }) => ({
    anchor: anchors.get(id),
    authorId,
    authorName,
    createdAt,
    resolved,
    messages: messages.map(({ authorId, authorName, createdAt, text }) => ({ authorId, authorName, createdAt, text })),
  }))
}

describe('round trip with suggestions and comments: export → import → export', () => {
  it('restores every suggestion (author, date, text, replacement, paragraph split) and every thread', async () => {
    const original = docFromJSON(reviewed)
    const first = await exportDocx(original, { mode: 'as-is', threads: reviewedThreads })
    const back = await reimport(first)

    expect(suggestionsOf(back.doc)).toEqual(suggestionsOf(original))
    expect(suggestionsOf(back.doc).map((s) => s.type)).toEqual(['insertion', 'deletion', 'replacement', 'insertion', 'insertion'])
    expect(threadsView(back.threads, back.doc)).toEqual(threadsView(reviewedThreads, original))
    expect(back.doc.textContent).toBe(original.textContent)
    // The placeholder under the comment is still one placeholder.
    expect(analyzeReport(back.doc).placeholders.map((p) => p.text)).toEqual(['**'])

    const second = await exportDocx(back.doc, { mode: 'as-is', threads: back.threads })
    expect(await wordParts(second)).toEqual(await wordParts(first))
  })
})

/**
 * Any report (shared/testing/reportModels.ts) with suggestions and comments anywhere in its text:
 * each text run cut in pieces, each piece plain, inserted or deleted by one of three people, some
 * under a comment thread, and suggested splits and joins between paragraphs. Each piece has a time of its own, as keystrokes minutes apart would: Word
 * records a revision by author and time, so two pieces by the same person at the same minute would
 * come back as one suggestion.
 */
const reviewedReport = fc
  .tuple(
    reportModel,
    fc.infiniteStream(
      fc.record({
        cuts: fc.array(fc.nat({ max: 8 }), { maxLength: 2 }),
        kinds: fc.array(fc.constantFrom('plain', 'plain', 'insertion', 'deletion'), { minLength: 3, maxLength: 3 }),
        people: fc.array(fc.constantFrom(['u-li', '李局长'], ['u-zhang', '张三'], ['word:王处长', '王处长']), { minLength: 3, maxLength: 3 }),
        comments: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        resolved: fc.boolean(),
        // A suggested split (or join) of this paragraph from the one after it.
        split: fc.constantFrom(null, null, 'insertion', 'deletion'),
      }),
    ),
  )
  .map(([model, choices]) => {
    let at = 0
    const threads: CommentThread[] = []
    const decorate = (node: JSONContent): JSONContent[] => {
      if (node.type !== 'text' || node.marks?.length) return [node]
      const choice = choices.next().value as { cuts: number[]; kinds: Array<'plain' | 'insertion' | 'deletion'>; people: string[][]; comments: boolean[]; resolved: boolean; split: unknown }
      const text = node.text!
      const cuts = [...new Set(choice.cuts.map((cut) => cut % text.length).filter((cut) => cut > 0))].sort((a, b) => a - b)
      const bounds = [0, ...cuts, text.length]
      return bounds.slice(1).map((end, i) => {
        const marks: JSONContent['marks'] = []
        const [authorId, authorName] = choice.people[i]
        if (choice.kinds[i] !== 'plain') marks.push(suggestion(choice.kinds[i], `s${at}`, authorId, authorName, 0))
        if (marks.length > 0) marks[0].attrs!.createdAt = new Date(Date.UTC(2024, 2, 6, 8) + at++ * 60_000).toISOString()
        if (choice.comments[i]) {
          const id = `t${threads.length}`
          threads.push(thread(id, choice.resolved, 0, [[authorId, authorName, `意见${threads.length}`]]))
          threads[threads.length - 1].createdAt = threads[threads.length - 1].messages[0].createdAt = new Date(Date.UTC(2024, 2, 7, 8) + threads.length * 60_000).toISOString()
          marks.push(comment(id))
        }
        return { type: 'text', text: text.slice(bounds[i], end), ...(marks.length > 0 ? { marks } : {}) }
      })
    }
    // The break's marker: a zero-width space ending the paragraph before it, with the break's mark.
    const withBreaks = (content: JSONContent[]) =>
      content.map((block, i) => {
        const split = (choices.next().value as { split: 'insertion' | 'deletion' | null }).split
        if (!split || block.type !== 'paragraph' || content[i + 1]?.type !== 'paragraph') return block
        const marker = suggestion(split, `s${at}`, 'u-li', '李局长', 0)
        marker.attrs.createdAt = new Date(Date.UTC(2024, 2, 6, 8) + at++ * 60_000).toISOString()
        return { ...block, content: [...(block.content ?? []), { type: 'text', text: '\u200B', marks: [marker] }] }
      })
    const walk = (node: JSONContent): JSONContent =>
      node.content ? { ...node, content: withBreaks(node.content.flatMap((child) => (child.type === 'text' ? decorate(child) : [walk(child)]))) } : node
    return { doc: walk(modelToDocJSON(model) as JSONContent), threads }
  })

describe('round trip with suggestions and comments (property)', () => {
  it('any report with suggestions and comments anywhere comes back from Word with the same suggestions, threads and text, and exports the same again', async () => {
    await fc.assert(
      fc.asyncProperty(reviewedReport, async ({ doc: json, threads }) => {
        const original = docFromJSON(json)
        const first = await exportDocx(original, { mode: 'as-is', threads })
        const back = await reimport(first)
        // The importer marks a suggested break on both sides (boundaries.ts reads either form).
        const visible = (doc: typeof original) => doc.textContent.replace(/\u200B/g, '')
        expect(visible(back.doc)).toBe(visible(original))
        expect(suggestionsOf(back.doc)).toEqual(suggestionsOf(original))
        expect(threadsView(back.threads, back.doc)).toEqual(threadsView(threads, original))
        const second = await exportDocx(back.doc, { mode: 'as-is', threads: back.threads })
        expect(await wordParts(second)).toEqual(await wordParts(first))
      }),
      propertyRuns(30),
    )
  }, 300_000)
})

describe('round trip: what the property found', () => {
  it('a resolved thread without replies stays resolved (the docx library wrote Word’s done flag only when some comment had a reply)', async () => {
    const original = docFromJSON({
      type: 'doc',
      content: [
        { type: 'reportTitle', content: [{ type: 'text', text: '述职报告' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '全年召开', marks: [comment('t1')] }, { type: 'text', text: '党委会。' }] },
      ],
    })
    const threads = [thread('t1', true, 10, [['u-li', '李局长', '已核实']])]
    const first = await exportDocx(original, { mode: 'as-is', threads })
    expect((await wordParts(first)).extended).toContain('w15:done="1"')
    const back = await reimport(first)
    expect(threadsView(back.threads, back.doc)).toEqual(threadsView(threads, original))
  })

  it('suggestions and comments in the 署名 and the 落款 come back (the import kept their text only)', async () => {
    const original = docFromJSON({
      type: 'doc',
      content: [
        { type: 'reportTitle', content: [{ type: 'text', text: '述职报告' }] },
        { type: 'reportAuthor', content: [{ type: 'text', text: '述职人：' }, { type: 'text', text: '张三', marks: [comment('t1')] }] },
        { type: 'paragraph', content: [{ type: 'text', text: '全年召开党委会。' }] },
        {
          type: 'reportSignature',
          content: [
            { type: 'signatureUnit', content: [{ type: 'text', text: '**市' }, { type: 'text', text: '教育', marks: [suggestion('insertion', 's1', 'u-li', '李局长', 1)] }, { type: 'text', text: '局' }] },
            { type: 'signatureDate', content: [{ type: 'text', text: '2023年1月' }, { type: 'text', text: '20日', marks: [suggestion('insertion', 's2', 'u-li', '李局长', 2)] }] },
          ],
        },
      ],
    })
    const threads = [thread('t1', false, 10, [['u-zhang', '张三', '署名是否写全称？']])]
    const back = await reimport(await exportDocx(original, { mode: 'as-is', threads }))
    expect(suggestionsOf(back.doc)).toEqual(suggestionsOf(original))
    expect(suggestionsOf(back.doc).map((s) => s.inserted)).toEqual(['教育', '20日'])
    expect(threadsView(back.threads, back.doc)).toEqual(threadsView(threads, original))
    expect(back.doc.child(1).type.name).toBe('reportAuthor')
    expect(back.doc.lastChild!.type.name).toBe('reportSignature')
  })
})
