import { describe, expect, it } from 'vitest'
import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import { SAMPLE_TEXT, sampleDoc } from '../../shared/editor/testing/reportFixtures'
import { importDocx } from '../../shared/report/importDocx'
import { importPlainText, listPlaceholders, type SectionBlock } from '../../shared/report/importText'
import { inlineText } from '../../shared/report/inlines'
import { exportDocx } from './exportDocx'

/**
 * import(export(x)) keeps the report: the exported ordinals are text, so the importer (mammoth raw text →
 * importPlainText) recognises the sections again, and the masks stay text, so it finds the same placeholders.
 */
describe('round trip: exportDocx → importDocx', () => {
  it('keeps the title, the section structure and the 20 placeholders of the sample', async () => {
    const doc = sampleDoc()
    const model = await importDocx(await exportDocx(doc, { mode: 'as-is' }))

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
    expect(children.flat().every((section) => section.level === 2)).toBe(true)
    expect(children.map((sections) => sections.map((section) => inlineText(section.title)))).toEqual([
      ['落实党建政治责任。', '完成重大政治任务。'],
      ['深入学习宣传贯彻党的二十大精神。', '深入开展政治理论学习。', '强化思想阵地建设。'],
      ['提升基层党建水平。', '加强党员教育培训。', '严格党员管理。'],
      ['强化主体责任。', '深化作风建设。', '堵塞管理漏洞。'],
    ])
    // Run-in headings come back run-in, with their body.
    expect(children.flat().every((section) => section.runIn)).toBe(true)

    const placeholders = listPlaceholders(model)
    expect(placeholders).toHaveLength(20)
    const original = analyzeReport(doc).placeholders
    expect(placeholders.map(({ text, kind }) => ({ text, kind }))).toEqual(original.map(({ text, kind }) => ({ text, kind })))
  })

  it('gives back exactly the model the plain-text import of the sample gives', async () => {
    const model = await importDocx(await exportDocx(sampleDoc(), { mode: 'as-is' }))
    expect(model).toEqual(importPlainText(SAMPLE_TEXT))
  })
})
