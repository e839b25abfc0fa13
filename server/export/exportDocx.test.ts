import type { JSONContent } from '@tiptap/core'
import JSZip from 'jszip'
import mammoth from 'mammoth'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CommentThread } from '../../shared/comments/threads'
import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import { SAMPLE_TEXT, sampleDoc } from '../../shared/editor/testing/reportFixtures'
import { ExportBlockedError, exportDocx } from './exportDocx'
import { CHARACTER_SPACING, LINE_PITCH, LINE_SPACING, PAGE_MARGIN, PAGE_SIZE, TEXT_AREA, mmToTwips } from './layout'
import {
  allAttrsOf,
  attrsOf,
  deletedTextOf,
  docFromJSON,
  docFromText,
  fillPlaceholders,
  paragraphWith,
  paragraphs,
  readDocx,
  runWithText,
  runs,
  suggestion,
  textOf,
  type DocxParts,
} from './testing'

const HIGHLIGHT = '<w:highlight w:val="yellow"/>'

describe('GB/T 9704 page layout', () => {
  it('derives A4 and the 37/35/28/26 mm margins from millimetres by rounding', () => {
    expect(mmToTwips(1)).toBe(57)
    expect(PAGE_SIZE).toEqual({ width: 11906, height: 16838 })
    expect(PAGE_MARGIN).toEqual({ top: 2098, bottom: 1984, left: 1587, right: 1474 })
    // 156 × 225 mm type area.
    expect(TEXT_AREA).toEqual({ width: 8845, height: 12756 })
  })

  it('fits 22 lines of 28 characters: grid pitch, exact spacing and character spacing', () => {
    expect(LINE_PITCH).toBe(579)
    expect(LINE_SPACING).toBe(578)
    expect(LINE_SPACING * 22).toBeLessThanOrEqual(TEXT_AREA.height)
    expect(CHARACTER_SPACING).toBe(-5)
    // 28 characters of 16 pt with the letter spacing fit the line width, 29 do not.
    const pitchTwips = 16 * 20 + CHARACTER_SPACING
    expect(pitchTwips * 28).toBeLessThanOrEqual(TEXT_AREA.width)
    expect(pitchTwips * 29).toBeGreaterThan(TEXT_AREA.width)
  })
})

describe('exportDocx — the sample report as-is', () => {
  let parts: DocxParts
  let buffer: Buffer

  beforeAll(async () => {
    buffer = await exportDocx(sampleDoc(), { mode: 'as-is' })
    parts = await readDocx(buffer)
  })

  it('writes the page size, margins and document grid into the section properties', () => {
    expect(attrsOf(parts.document, 'w:pgSz')).toMatchObject({ 'w:w': '11906', 'w:h': '16838' })
    // Footer: 35 mm − 7 mm − one 14 pt line, so the page number's top is 7 mm under the type area.
    expect(attrsOf(parts.document, 'w:pgMar')).toEqual({
      'w:top': '2098',
      'w:bottom': '1984',
      'w:left': '1587',
      'w:right': '1474',
      'w:header': '850',
      'w:footer': String(mmToTwips(28) - 280),
      'w:gutter': '0',
    })
    expect(attrsOf(parts.document, 'w:docGrid')).toEqual({ 'w:type': 'lines', 'w:linePitch': '579' })
    // Body runs carry the letter spacing that fits 28 characters per line.
    expect(parts.document).toContain('<w:spacing w:val="-5"/>')
  })

  it('sets body text in 3号仿宋_GB2312, justified, exact 28.9 pt lines, indented two characters', () => {
    const body = paragraphWith(parts.document, '2022年，在市委的坚强领导下')
    expect(attrsOf(body, 'w:spacing')).toMatchObject({ 'w:line': '578', 'w:lineRule': 'exact' })
    expect(attrsOf(body, 'w:jc')).toEqual({ 'w:val': 'both' })
    expect(attrsOf(body, 'w:ind')).toEqual({ 'w:firstLine': '640', 'w:firstLineChars': '200' })
    const bodyRuns = runs(body)
    expect(bodyRuns.length).toBeGreaterThan(1)
    for (const run of bodyRuns) {
      expect(attrsOf(run, 'w:rFonts')).toEqual({ 'w:ascii': 'Times New Roman', 'w:cs': 'Times New Roman', 'w:eastAsia': '仿宋_GB2312', 'w:hAnsi': 'Times New Roman' })
      expect(attrsOf(run, 'w:sz')).toEqual({ 'w:val': '32' })
    }
    // The Normal font is 3号 too: the grid's character pitch is relative to it.
    const defaults = /<w:docDefaults>[\s\S]*<\/w:docDefaults>/.exec(parts.styles)?.[0] ?? ''
    expect(attrsOf(defaults, 'w:rFonts')).toMatchObject({ 'w:eastAsia': '仿宋_GB2312' })
    expect(attrsOf(defaults, 'w:sz')).toEqual({ 'w:val': '32' })
    const normal = /<w:style [^>]*w:styleId="Normal"[^>]*>[\s\S]*?<\/w:style>/.exec(parts.styles)?.[0] ?? ''
    expect(attrsOf(normal, 'w:rFonts')).toMatchObject({ 'w:eastAsia': '仿宋_GB2312' })
    expect(attrsOf(normal, 'w:sz')).toEqual({ 'w:val': '32' })
  })

  it('opens with the title in 2号方正小标宋简体, centred, unindented, then an empty line', () => {
    const [title, blank, first] = paragraphs(parts.document)
    expect(textOf(title)).toBe('2022年度党建工作述职')
    expect(attrsOf(title, 'w:jc')).toEqual({ 'w:val': 'center' })
    expect(attrsOf(title, 'w:ind')).toBeNull()
    for (const run of runs(title)) {
      expect(attrsOf(run, 'w:rFonts')).toMatchObject({ 'w:eastAsia': '方正小标宋简体' })
      expect(attrsOf(run, 'w:sz')).toEqual({ 'w:val': '44' })
    }
    expect(runs(blank)).toEqual([])
    expect(textOf(blank)).toBe('')
    expect(textOf(first)).toMatch(/^2022年，在市委的坚强领导下/)
  })

  it('prints level-1 headings with their derived ordinal in 黑体 on a line of their own', () => {
    const heading = paragraphWith(parts.document, '强化政治引领')
    expect(textOf(heading)).toBe('一、强化政治引领，贯彻中央部署')
    expect(attrsOf(runWithText(heading, '一、'), 'w:rFonts')).toMatchObject({ 'w:eastAsia': '黑体' })
    expect(attrsOf(runWithText(heading, '强化政治引领，贯彻中央部署'), 'w:rFonts')).toMatchObject({ 'w:eastAsia': '黑体' })
    expect(attrsOf(heading, 'w:ind')).toEqual({ 'w:firstLine': '640', 'w:firstLineChars': '200' })
    expect(heading).toContain('<w:keepNext/>')
    expect(attrsOf(heading, 'w:outlineLvl')).toEqual({ 'w:val': '0' })
    const level1 = paragraphs(parts.document).map(textOf).filter((text) => /^[一二三四五六七八九十]+、/.test(text))
    expect(level1).toEqual(['一、强化政治引领，贯彻中央部署', '二、强化理论武装，提升政治素养', '三、建强战斗堡垒，建好基层组织', '四、全面从严治党，加强纪律建设'])
  })

  it('keeps run-in level-2 headings run-in: 楷体 heading and 仿宋 body in one paragraph', () => {
    const paragraph = paragraphWith(parts.document, '落实党建政治责任')
    expect(textOf(paragraph)).toMatch(/^（一）落实党建政治责任。一年来，我认真履行党建工作第一责任人的职责/)
    expect(attrsOf(runWithText(paragraph, '（一）'), 'w:rFonts')).toMatchObject({ 'w:eastAsia': '楷体_GB2312' })
    expect(attrsOf(runWithText(paragraph, '落实党建政治责任。'), 'w:rFonts')).toMatchObject({ 'w:eastAsia': '楷体_GB2312' })
    const body = runs(paragraph).find((run) => textOf(run).startsWith('一年来'))
    expect(attrsOf(body ?? '', 'w:rFonts')).toMatchObject({ 'w:eastAsia': '仿宋_GB2312' })
    expect(attrsOf(paragraph, 'w:ind')).toEqual({ 'w:firstLine': '640', 'w:firstLineChars': '200' })
    // Ordinals restart under each level-1 section: 4 × （一）, 3 × （三）.
    const level2 = paragraphs(parts.document).map(textOf).filter((text) => text.startsWith('（'))
    expect(level2.map((text) => text.slice(0, 3))).toEqual(['（一）', '（二）', '（一）', '（二）', '（三）', '（一）', '（二）', '（三）', '（一）', '（二）', '（三）'])
  })

  it('numbers pages 「— N —」 in 4号宋体 with a PAGE field, right on odd pages and left on even pages', () => {
    expect(parts.settings).toContain('<w:evenAndOddHeaders/>')
    expect(Object.keys(parts.footers).sort()).toEqual(['default', 'even'])
    for (const [type, footer] of Object.entries(parts.footers)) {
      expect(footer).toContain('<w:instrText xml:space="preserve">PAGE</w:instrText>')
      expect(allAttrsOf(footer, 'w:fldChar').map((attrs) => attrs['w:fldCharType'])).toEqual(['begin', 'separate', 'end'])
      const text = textOf(footer)
      expect(text.startsWith('— ')).toBe(true)
      expect(text.endsWith(' —')).toBe(true)
      for (const run of runs(footer)) {
        expect(attrsOf(run, 'w:rFonts')).toMatchObject({ 'w:eastAsia': '宋体', 'w:ascii': '宋体' })
        expect(attrsOf(run, 'w:sz')).toEqual({ 'w:val': '28' })
      }
      expect(attrsOf(footer, 'w:jc')).toEqual({ 'w:val': type === 'default' ? 'right' : 'left' })
      expect(attrsOf(footer, 'w:spacing')).toMatchObject({ 'w:line': '280', 'w:lineRule': 'exact' })
      // 空一字: one 4号 character (14 pt = 280 twips) in from the outer edge.
      expect(attrsOf(footer, 'w:ind')).toEqual(type === 'default' ? { 'w:right': '280' } : { 'w:left': '280' })
    }
  })

  it('highlights the 20 unfilled placeholders and nothing else', () => {
    const highlighted = runs(parts.document).filter((run) => run.includes(HIGHLIGHT))
    expect(highlighted).toHaveLength(20)
    expect(highlighted.map(textOf)).toEqual(analyzeReport(sampleDoc()).unfilled.map((placeholder) => placeholder.text))
    expect(parts.document.split('<w:highlight').length - 1).toBe(20)
  })

  it('has no tracked changes or comments when the document has none', () => {
    expect(parts.document).not.toMatch(/<w:(ins|del|commentRangeStart)\b/)
  })

  it('writes core properties: the report title and creator 会稿', () => {
    expect(parts.core).toContain('<dc:title>2022年度党建工作述职</dc:title>')
    expect(parts.core).toContain('<dc:creator>会稿</dc:creator>')
  })

  it('reads back with mammoth in document order: title first, then the headings', async () => {
    const { value } = await mammoth.extractRawText({ buffer })
    const lines = value.split('\n').filter((line) => line.trim() !== '')
    expect(lines[0]).toBe('2022年度党建工作述职')
    expect(lines[1]).toMatch(/^2022年，在市委的坚强领导下/)
    expect(lines[2]).toBe('一、强化政治引领，贯彻中央部署')
    const order = ['一、强化政治引领', '（一）落实党建政治责任。一年来', '二、强化理论武装', '三、建强战斗堡垒', '四、全面从严治党', '（三）堵塞管理漏洞。']
    const positions = order.map((needle) => value.indexOf(needle))
    expect(positions.every((position) => position >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    // Every line of the source survives, in order.
    const source = SAMPLE_TEXT.split('\n').filter((line) => line.trim() !== '')
    expect(lines).toEqual(source)
  })
})

describe('exportDocx — headings and inline formatting', () => {
  it('uses 黑体 / 楷体_GB2312 / bold 仿宋 / 仿宋 for the four levels, with ordinals derived from position', async () => {
    const json = docFromText('标题\n一、甲\n（一）乙\n1.丙\n（1）丁\n（2）戊\n二、己').toJSON() as JSONContent
    // Swap the two level-1 sections: the ordinals follow the new order, since none is stored.
    const [title, first, second] = json.content ?? []
    const { document } = await readDocx(await exportDocx(docFromJSON({ ...json, content: [title, second, first] }), { mode: 'as-is' }))
    expect(paragraphs(document).map(textOf)).toEqual(['标题', '', '一、己', '二、甲', '（一）乙', '1.丙', '（1）丁', '（2）戊'])
    const font = (text: string) => attrsOf(runWithText(document, text), 'w:rFonts')?.['w:eastAsia']
    expect([font('二、'), font('（一）'), font('1.'), font('（1）')]).toEqual(['黑体', '楷体_GB2312', '仿宋_GB2312', '仿宋_GB2312'])
    expect(runWithText(document, '1.')).toContain('<w:b/>')
    expect(runWithText(document, '丙')).toContain('<w:b/>')
    expect(runWithText(document, '（1）')).not.toContain('<w:b/>')
    expect(runWithText(document, '乙')).not.toContain('<w:b/>')
    for (const text of ['二、', '（一）', '1.', '（1）']) expect(attrsOf(runWithText(document, text), 'w:sz')).toEqual({ 'w:val': '32' })
    expect(attrsOf(paragraphWith(document, '1.丙'), 'w:outlineLvl')).toEqual({ 'w:val': '2' })
  })

  it('leaves out the title and its empty line when the report has no title', async () => {
    const doc = docFromJSON({ type: 'doc', content: [{ type: 'reportTitle' }, { type: 'paragraph', content: [{ type: 'text', text: '正文。' }] }] })
    const { document } = await readDocx(await exportDocx(doc, { mode: 'as-is' }))
    expect(paragraphs(document).map(textOf)).toEqual(['正文。'])
  })

  it('prints a run-in heading alone when its section does not start with a paragraph', async () => {
    const doc = docFromJSON({
      type: 'doc',
      content: [
        { type: 'reportTitle', content: [{ type: 'text', text: '标题' }] },
        {
          type: 'section',
          attrs: { level: 1, runIn: true },
          content: [
            { type: 'sectionTitle', content: [{ type: 'text', text: '总体情况。' }] },
            { type: 'section', attrs: { level: 2, runIn: false }, content: [{ type: 'sectionTitle', content: [{ type: 'text', text: '子项' }] }] },
          ],
        },
      ],
    })
    const { document } = await readDocx(await exportDocx(doc, { mode: 'as-is' }))
    expect(paragraphs(document).map(textOf)).toEqual(['标题', '', '一、总体情况。', '（一）子项'])
  })

  it('keeps bold, italic, underline and strike, and turns hard breaks into line breaks', async () => {
    const doc = docFromJSON({
      type: 'doc',
      content: [
        { type: 'reportTitle', content: [{ type: 'text', text: '标题' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: '粗', marks: [{ type: 'bold' }] },
            { type: 'text', text: '斜', marks: [{ type: 'italic' }] },
            { type: 'text', text: '线', marks: [{ type: 'underline' }] },
            { type: 'text', text: '删', marks: [{ type: 'strike' }] },
            { type: 'hardBreak' },
            { type: 'text', text: '常' },
          ],
        },
      ],
    })
    const { document } = await readDocx(await exportDocx(doc, { mode: 'as-is' }))
    expect(runWithText(document, '粗')).toContain('<w:b/>')
    expect(runWithText(document, '斜')).toContain('<w:i/>')
    expect(attrsOf(runWithText(document, '线'), 'w:u')).toEqual({ 'w:val': 'single' })
    expect(runWithText(document, '删')).toContain('<w:strike/>')
    expect(runWithText(document, '常')).not.toMatch(/<w:(b|i|u|strike)\b/)
    const paragraph = paragraphWith(document, '粗斜')
    expect(runs(paragraph).filter((run) => run.includes('<w:br/>'))).toHaveLength(1)
    expect(paragraph.indexOf('<w:br/>')).toBeGreaterThan(paragraph.indexOf('删'))
    expect(paragraph.indexOf('<w:br/>')).toBeLessThan(paragraph.indexOf('常'))
  })

  it('leaves filled placeholders plain', async () => {
    const json = fillPlaceholders(sampleDoc().toJSON() as JSONContent, (index) => (index === 0 ? '12' : '*'))
    const doc = docFromJSON(json)
    expect(analyzeReport(doc).unfilled).toHaveLength(19)
    const { document } = await readDocx(await exportDocx(doc, { mode: 'as-is' }))
    expect(runs(document).filter((run) => run.includes(HIGHLIGHT))).toHaveLength(19)
    expect(runWithText(document, '12')).not.toContain('<w:highlight')
  })
})

const AT = '2024-03-05T08:09:10Z'

/** 「共召开会议*次」 with 「五」 suggested for insertion by 张三 and 「共」 suggested for deletion by 李四. */
function suggestedDoc(placeholder = '*'): JSONContent {
  return {
    type: 'doc',
    content: [
      { type: 'reportTitle', content: [{ type: 'text', text: '述职报告' }] },
      {
        type: 'section',
        attrs: { level: 1, runIn: false },
        content: [
          { type: 'sectionTitle', content: [{ type: 'text', text: '工作情况' }] },
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: '全年', marks: [] },
              { type: 'text', text: '共', marks: [suggestion('deletion', 's1', '李四', '2024-03-05T08:09:10.123Z')] },
              { type: 'text', text: '召开会议' },
              { type: 'text', text: placeholder, marks: [{ type: 'placeholder', attrs: { id: 'ph1', kind: 'count' } }] },
              { type: 'text', text: '次，' },
              { type: 'text', text: '\u200B新增五次', marks: [suggestion('insertion', 's2', '张三', AT)] },
              { type: 'text', text: '完毕。' },
            ],
          },
        ],
      },
    ],
  }
}

describe('exportDocx — suggestions', () => {
  it('as-is: pending suggestions become Word tracked changes with author and date', async () => {
    const { document } = await readDocx(await exportDocx(docFromJSON(suggestedDoc()), { mode: 'as-is' }))
    const ins = /<w:ins\b[^>]*>[\s\S]*?<\/w:ins>/.exec(document)?.[0] ?? ''
    const del = /<w:del\b[^>]*>[\s\S]*?<\/w:del>/.exec(document)?.[0] ?? ''
    expect(attrsOf(ins, 'w:ins')).toMatchObject({ 'w:author': '张三', 'w:date': AT })
    expect(textOf(ins)).toBe('新增五次')
    expect(attrsOf(del, 'w:del')).toMatchObject({ 'w:author': '李四', 'w:date': AT })
    expect(deletedTextOf(del)).toBe('共')
    // Revision ids are unique.
    const ids = [...allAttrsOf(document, 'w:ins'), ...allAttrsOf(document, 'w:del')].map((attrs) => attrs['w:id'])
    expect(new Set(ids).size).toBe(ids.length)
    // Zero-width spaces are markers, never text.
    expect(document).not.toContain('\u200B')
    expect(textOf(paragraphWith(document, '全年'))).toBe('全年召开会议*次，新增五次完毕。')
  })

  it('clean: refuses while placeholders are unfilled, listing them', async () => {
    const error = await exportDocx(sampleDoc(), { mode: 'clean' }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ExportBlockedError)
    const blocked = error as ExportBlockedError
    expect(blocked.unfilled).toHaveLength(20)
    expect(blocked.unfilled[0]).toMatchObject({ text: '*', context: expect.stringContaining('落实市委【*】书记') })
    expect(blocked.unfilled[1]).toMatchObject({ text: '*', kind: 'count', sectionPath: ['一、强化政治引领，贯彻中央部署', '（一）落实党建政治责任'] })
    expect(blocked.message).toContain('20 placeholders')
    await expect(exportDocx(docFromJSON(suggestedDoc()), { mode: 'clean' })).rejects.toBeInstanceOf(ExportBlockedError)
  })

  it('clean: leaves out pending structural suggestions (a suggested new section, a suggested move)', async () => {
    const record = (id: string, op: string) => JSON.stringify([{ id, op, authorId: 'u-wang', authorName: '王局长', createdAt: '2026-12-01T00:00:00.000Z', seq: 1 }])
    const section = (title: string, structural: string | null, body?: string): JSONContent => ({
      type: 'section',
      attrs: { level: 1, runIn: false, structural },
      content: [{ type: 'sectionTitle', content: [{ type: 'text', text: title }] }, ...(body ? [{ type: 'paragraph', content: [{ type: 'text', text: body }] }] : [])],
    })
    const doc = docFromJSON({
      type: 'doc',
      content: [
        { type: 'reportTitle', content: [{ type: 'text', text: '标题' }] },
        section('第一部分', null, '正文一。'),
        section('第二部分', record('s-move', 'moveUp'), '正文二。'),
        section('建议新增', record('s-new', 'insert'), '新增正文。'),
      ],
    })
    const { document } = await readDocx(await exportDocx(doc, { mode: 'clean' }))
    expect(paragraphs(document).map(textOf).filter(Boolean)).toEqual(['标题', '一、第一部分', '正文一。', '二、第二部分', '正文二。'])
    // With revisions: laid out as the sections stand, each pending change said in a comment on its
    // title, by its author and as still pending.
    const asIs = await readDocx(await exportDocx(doc, { mode: 'as-is' }))
    expect(paragraphs(asIs.document).map(textOf).filter(Boolean)).toEqual(['标题', '一、第一部分', '正文一。', '二、第二部分', '正文二。', '三、建议新增', '新增正文。'])
    expect(asIs.comments).toContain('修订建议：上移章节（尚未接受，本稿按现有结构排版）')
    expect(asIs.comments).toContain('修订建议：新增章节（尚未接受，本稿按现有结构排版）')
    expect(asIs.comments).toContain('w:author="王局长"')
    expect(textOf(paragraphWith(asIs.document, '第二部分'))).toBe('二、第二部分')
    expect(paragraphWith(asIs.document, '第二部分')).toContain('<w:commentRangeStart')
  })

  it('clean: once every placeholder is filled, exports without suggestions, highlights or comments', async () => {
    const { document, comments } = await readDocx(await exportDocx(docFromJSON(suggestedDoc('十二')), { mode: 'clean' }))
    expect(document).not.toMatch(/<w:(ins|del|commentRangeStart|commentReference)\b/)
    expect(document).not.toContain('<w:highlight')
    expect(comments).toBe('')
    // The inserted text is left out, the text suggested for deletion stays.
    expect(textOf(paragraphWith(document, '全年'))).toBe('全年共召开会议十二次，完毕。')

    const sample = fillPlaceholders(sampleDoc().toJSON() as JSONContent, (index) => String(index + 1))
    const filled = await readDocx(await exportDocx(docFromJSON(sample), { mode: 'clean' }))
    expect(filled.document).not.toContain('<w:highlight')
    expect(textOf(paragraphWith(filled.document, '全年主持局委会'))).toContain('全年主持局委会2次')
  })

  it('turns suggested paragraph splits into tracked paragraph marks, and undoes them in clean mode', async () => {
    const split = suggestion('insertion', 's3', '王五', AT)
    const json: JSONContent = {
      type: 'doc',
      content: [
        { type: 'reportTitle', content: [{ type: 'text', text: '标题' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '前半句，' }, { type: 'text', text: '\u200B', marks: [split] }] },
        { type: 'paragraph', content: [{ type: 'text', text: '后半句。' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '\u200B另起新段。', marks: [suggestion('insertion', 's4', '王五', AT)] }] },
        { type: 'paragraph', content: [{ type: 'text', text: '末段。' }] },
      ],
    }
    const asIs = await readDocx(await exportDocx(docFromJSON(json), { mode: 'as-is' }))
    const first = paragraphWith(asIs.document, '前半句')
    const markProps = /<w:pPr>[\s\S]*<\/w:pPr>/.exec(first)?.[0] ?? ''
    expect(attrsOf(markProps, 'w:ins')).toMatchObject({ 'w:author': '王五', 'w:date': AT })
    // CT_ParaRPr puts w:ins before any formatting.
    expect(/<w:rPr>[\s\S]*?<\/w:rPr>/.exec(markProps)?.[0]).toMatch(/^<w:rPr><w:ins\b[^>]*\/><\/w:rPr>$/)
    expect(paragraphs(asIs.document).map(textOf)).toEqual(['标题', '', '前半句，', '后半句。', '另起新段。', '末段。'])

    const clean = await readDocx(await exportDocx(docFromJSON(json), { mode: 'clean' }))
    expect(paragraphs(clean.document).map(textOf)).toEqual(['标题', '', '前半句，后半句。', '末段。'])
    expect(clean.document).not.toMatch(/<w:(ins|del)\b/)
  })
})

describe('exportDocx — comments', () => {
  const thread = (id: string, resolved: boolean, messages: [string, string][]): CommentThread => ({
    id,
    authorId: `u-${messages[0][0]}`,
    authorName: messages[0][0],
    createdAt: '2024-03-06T01:02:03.000Z',
    quote: '',
    resolved,
    resolvedBy: resolved ? '王五' : null,
    resolvedAt: resolved ? '2024-03-07T00:00:00.000Z' : null,
    messages: messages.map(([authorName, text], index) => ({
      id: `${id}-m${index}`,
      authorId: `u-${authorName}`,
      authorName,
      createdAt: '2024-03-06T01:02:03.000Z',
      text,
    })),
  })

  const commented: JSONContent = {
    type: 'doc',
    content: [
      { type: 'reportTitle', content: [{ type: 'text', text: '述职报告' }] },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: '全年主持' },
          { type: 'text', text: '局委会', marks: [{ type: 'comment', attrs: { threadId: 't1' } }] },
          { type: 'text', text: '12', marks: [{ type: 'comment', attrs: { threadId: 't1' } }, { type: 'placeholder', attrs: { id: 'p', kind: 'count' } }] },
          { type: 'text', text: '次，' },
          { type: 'text', text: '研究审议', marks: [{ type: 'comment', attrs: { threadId: 't2' } }] },
          { type: 'text', text: '重大事项。' },
        ],
      },
    ],
  }
  const threads = [
    thread('t1', false, [
      ['李四', '次数请再核实'],
      ['张三', '已与办公室核对，无误'],
    ]),
    thread('t2', true, [['王五', '已解决的意见']]),
  ]

  it('as-is: threads become Word comments anchored on their text, replies as Word replies, resolved ones done', async () => {
    const buffer = await exportDocx(docFromJSON(commented), { mode: 'as-is', threads })
    const { document, comments } = await readDocx(buffer)
    // Each message is its own comment under its own author: no "name: " prefix repeated in the text.
    expect(paragraphs(comments).map(textOf)).toEqual(['次数请再核实', '已与办公室核对，无误', '已解决的意见'])
    expect(allAttrsOf(comments, 'w:comment').map((attrs) => [attrs['w:id'], attrs['w:author'], attrs['w:initials']])).toEqual([
      ['0', '李四', '李'],
      ['1', '张三', '张'],
      ['2', '王五', '王'],
    ])
    const extended = (await (await JSZip.loadAsync(buffer)).file('word/commentsExtended.xml')?.async('string')) ?? ''
    const entries = allAttrsOf(extended, 'w15:commentEx')
    expect(entries).toHaveLength(3)
    expect(entries[1]['w15:paraIdParent']).toBe(entries[0]['w15:paraId'])
    expect(entries[0]['w15:paraIdParent']).toBeUndefined()
    expect(entries[2]['w15:done']).toBe('1')
    expect(entries[0]['w15:done']).not.toBe('1')

    const paragraph = paragraphWith(document, '全年主持')
    const start = paragraph.indexOf('<w:commentRangeStart w:id="0"/>')
    const end = paragraph.indexOf('<w:commentRangeEnd w:id="0"/>')
    const reference = paragraph.indexOf('<w:commentReference w:id="0"/>')
    expect(start).toBeGreaterThan(paragraph.indexOf('全年主持'))
    expect(textOf(paragraph.slice(start, end))).toBe('局委会12')
    expect(reference).toBeGreaterThan(end)
    // The reply is anchored on the same words, as Word anchors replies.
    expect(textOf(paragraph.slice(paragraph.indexOf('<w:commentRangeStart w:id="1"/>'), paragraph.indexOf('<w:commentRangeEnd w:id="1"/>')))).toBe('局委会12')
    expect(textOf(paragraph.slice(paragraph.indexOf('<w:commentRangeStart w:id="2"/>'), paragraph.indexOf('<w:commentRangeEnd w:id="2"/>')))).toBe('研究审议')
    expect(paragraph.match(/<w:comment(RangeStart|RangeEnd|Reference)\b/g)).toHaveLength(9)
  })

  it('clean: no comments at all', async () => {
    const { document, comments } = await readDocx(await exportDocx(docFromJSON(commented), { mode: 'clean', threads }))
    expect(comments).toBe('')
    expect(document).not.toMatch(/<w:comment/)
    expect(textOf(paragraphWith(document, '全年主持'))).toBe('全年主持局委会12次，研究审议重大事项。')
  })

  it('uses the given title for the file properties', async () => {
    const { core } = await readDocx(await exportDocx(docFromJSON(commented), { mode: 'clean', title: '述职报告（定稿）' }))
    expect(core).toContain('<dc:title>述职报告（定稿）</dc:title>')
    expect(core).toContain('<dc:creator>会稿</dc:creator>')
  })
})
