/**
 * Drafts whose headings Word numbers itself: the labels Word draws (一、 （一） 1. （1）) come in as the
 * ordinals a typed draft has, so the sections are found. Files made the way Word writes them: by the
 * `docx` library (numbering on the paragraphs) and by hand (numbering through a heading style).
 */
import { AlignmentType, Document, LevelFormat, Packer, Paragraph } from 'docx'
import { describe, expect, it } from 'vitest'
import { importDocx } from '../report/importDocx'
import { inlineText } from '../report/inlines'
import type { Block } from '../report/model'
import { formatNumber } from './listNumbering'
import { readDocx } from './readDocx'
import { p, run, wordPackage } from './testing'

/** The outline as lines: level, title, then each paragraph's text, indented by depth. */
function outline(blocks: readonly Block[], depth = 0): string[] {
  return blocks.flatMap((block) =>
    block.type === 'paragraph'
      ? [`${'  '.repeat(depth)}${inlineText(block.content)}`]
      : [`${'  '.repeat(depth)}${block.level}${block.runIn ? '*' : ''} ${inlineText(block.title)}`, ...outline(block.body, depth + 1)],
  )
}

const OFFICIAL_LEVELS = [
  { level: 0, format: LevelFormat.CHINESE_COUNTING, text: '%1、', alignment: AlignmentType.LEFT },
  { level: 1, format: LevelFormat.CHINESE_COUNTING, text: '（%2）', alignment: AlignmentType.LEFT },
  { level: 2, format: LevelFormat.DECIMAL, text: '%3.', alignment: AlignmentType.LEFT },
  { level: 3, format: LevelFormat.DECIMAL, text: '（%4）', alignment: AlignmentType.LEFT },
]

describe('Word’s automatic numbering', () => {
  it('headings numbered by Word become the sections a typed draft gives, each level counted again under a new parent', async () => {
    const numbered = (text: string, level: number) => new Paragraph({ text, numbering: { reference: 'outline', level } })
    const file = new Document({
      numbering: { config: [{ reference: 'outline', levels: OFFICIAL_LEVELS }] },
      sections: [
        {
          children: [
            new Paragraph('2023年度述职报告'),
            new Paragraph('现将一年来工作情况汇报如下。'),
            numbered('强化政治引领', 0),
            numbered('落实党建责任。全年召开党委会*次。', 1),
            numbered('完成重大任务', 1),
            numbered('组织学习', 2),
            numbered('开展专题研讨', 3),
            new Paragraph('学习*次。'),
            numbered('推动业务发展', 0),
            numbered('深化改革', 1),
          ],
        },
      ],
    })
    const { model } = await importDocx(new Uint8Array(await Packer.toBuffer(file)))
    expect(model.title).toBe('2023年度述职报告')
    expect(outline(model.blocks)).toEqual([
      '现将一年来工作情况汇报如下。',
      '1 强化政治引领',
      '  2* 落实党建责任。',
      '    全年召开党委会*次。',
      '  2 完成重大任务',
      '    3 组织学习',
      '      4 开展专题研讨',
      '        学习*次。',
      '1 推动业务发展',
      '  2 深化改革',
    ])
  })

  it('numbering through a heading style (and the style it is based on), a start other than one, and bullets left out', async () => {
    const numbering =
      '<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>' +
      '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>' +
      '<w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>' +
      '<w:num w:numId="4"><w:abstractNumId w:val="7"/></w:num><w:num w:numId="5"><w:abstractNumId w:val="8"/></w:num>'
    const styles =
      '<w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>' +
      '<w:style w:type="paragraph" w:styleId="ReportHeading"><w:basedOn w:val="Heading1"/></w:style>'
    const body =
      p(run('标题')) +
      p(run('加强队伍建设'), '<w:pStyle w:val="Heading1"/>') +
      p(run('选好干部'), '<w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="1"/></w:numPr>') +
      p(run('要点一'), '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr>') +
      p(run('改进作风'), '<w:pStyle w:val="ReportHeading"/>') +
      // numId 0 takes the style's numbering off.
      p(run('不编号的段落。'), '<w:pStyle w:val="Heading1"/><w:numPr><w:numId w:val="0"/></w:numPr>')
    const { model } = await importDocx(await wordPackage({ body, numbering, styles }))
    expect(outline(model.blocks)).toEqual(['1 加强队伍建设', '  2 选好干部', '    要点一', '1 改进作风', '  不编号的段落。'])
    // Numbered from 3 (三、), the second 四、: the ordinals are derived again, so only the order matters.
    expect(model.blocks.filter((block) => block.type === 'section')).toHaveLength(2)
  })

  it('two w:num of one list continue its count; one that overrides the start begins again', async () => {
    const level = '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    const numbering =
      `<w:abstractNum w:abstractNumId="1">${level}</w:abstractNum>` +
      '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>' +
      '<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    const numbered = (text: string, numId: number) => p(run(text), `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="${numId}"/></w:numPr>`)
    const word = await readDocx(await wordPackage({ body: p(run('标题')) + numbered('甲', 1) + numbered('乙', 2) + numbered('丙', 3), numbering }))
    expect(word.paragraphs.map((paragraph) => paragraph.segments.map((segment) => segment.text).join(''))).toEqual(['标题', '一、甲', '二、乙', '一、丙'])
  })

  it('formats the numbers as Word does', () => {
    expect([1, 10, 11, 21].map((n) => formatNumber(n, 'chineseCounting'))).toEqual(['一', '十', '十一', '二十一'])
    expect(formatNumber(12, 'decimalFullWidth')).toBe('１２')
    expect(formatNumber(2023, 'ideographDigital')).toBe('二〇二三')
    expect(formatNumber(3, 'decimalEnclosedCircle')).toBe('③')
    expect(formatNumber(28, 'upperLetter')).toBe('BB')
    expect(formatNumber(14, 'lowerRoman')).toBe('xiv')
    expect(formatNumber(1, 'bullet')).toBeNull()
  })
})
