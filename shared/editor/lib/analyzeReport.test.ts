import { describe, expect, it } from 'vitest'
import { schema } from '../schema'
import { findSection, outline, sampleDoc, SAMPLE_TEXT, stateAt, textPos } from '../testing/reportFixtures'
import { analyzeReport } from './analyzeReport'
import { plainTextToDocJSON } from './plainText'

const L1 = ['一、强化政治引领，贯彻中央部署', '二、强化理论武装，提升政治素养', '三、建强战斗堡垒，建好基层组织', '四、全面从严治党，加强纪律建设']

describe('analyzeReport on the imported sample report', () => {
  const doc = sampleDoc()
  const analysis = analyzeReport(doc)

  it('reads the report title', () => {
    expect(analysis.title).toBe('2022年度党建工作述职')
  })

  it('numbers the four level-1 sections 一、…四、 by position', () => {
    const top = analysis.sections.filter((section) => section.level === 1)
    expect(top.map((section) => section.ordinal)).toEqual(['一、', '二、', '三、', '四、'])
    expect(top.map((section) => section.label)).toEqual(L1)
    expect(top.every((section) => section.parent === -1)).toBe(true)
    expect(top.map((section) => section.path)).toEqual(L1.map((label) => [label]))
  })

  it('gives the whole outline, level-2 ordinals restarting under each level-1 section', () => {
    expect(outline(doc)).toEqual([
      '一、强化政治引领，贯彻中央部署',
      '  （一）落实党建政治责任',
      '  （二）完成重大政治任务',
      '二、强化理论武装，提升政治素养',
      '  （一）深入学习宣传贯彻党的二十大精神',
      '  （二）深入开展政治理论学习',
      '  （三）强化思想阵地建设',
      '三、建强战斗堡垒，建好基层组织',
      '  （一）提升基层党建水平',
      '  （二）加强党员教育培训',
      '  （三）严格党员管理',
      '四、全面从严治党，加强纪律建设',
      '  （一）强化主体责任',
      '  （二）深化作风建设',
      '  （三）堵塞管理漏洞',
    ])
  })

  it('keeps the stored title (with its 。) but strips closing punctuation from the label', () => {
    const section = findSection(doc, '（一）落实党建政治责任', L1[0])
    expect(section.title).toBe('落实党建政治责任。')
    expect(section.ordinal).toBe('（一）')
    expect(section.path).toEqual([L1[0], '（一）落实党建政治责任'])
    expect(analysis.sections[section.parent].label).toBe(L1[0])
  })

  it('points each section at its node', () => {
    for (const section of analysis.sections) {
      const node = doc.nodeAt(section.pos)
      expect(node?.type.name).toBe('section')
      expect(node?.attrs.level).toBe(section.level)
      expect(node?.firstChild?.textContent).toBe(section.title)
    }
  })

  it('lists exactly the 20 masked figures, all unfilled, with their kinds', () => {
    expect(analysis.placeholders).toHaveLength(20)
    expect(analysis.placeholders.every((placeholder) => !placeholder.filled)).toBe(true)
    expect(analysis.unfilled).toEqual(analysis.placeholders)
    expect(analysis.placeholders.map((placeholder) => placeholder.kind)).toEqual([
      'name', // 市委*书记
      'count', // 局委会*次
      'org', // **局发展纲要
      'org', // 《2022年度**局重点工作分工》
      'text', // **安全保障
      'text', // 会议期间**工作
      'text', // 赛事**通道
      'org', // 推进**局事业
      'count', // 集中学习*次
      'count', // **余人次
      'count', // **名优秀党员
      'name', // ***教授
      'count', // 新发展党员**名
      'count', // *个表现
      'count', // *个方面
      'count', // *条问题
      'count', // *条整改措施
      'org', // 《**局关于…》
      'count', // 规定*项
      'count', // 修订完善*项
    ])
    expect(analysis.placeholders.map((placeholder) => placeholder.text).join(' ')).toBe(
      '* * ** ** ** ** ** ** * ** ** *** ** * * * * ** * *',
    )
  })

  it('gives every placeholder a distinct id and the exact range of its marked text', () => {
    const ids = analysis.placeholders.map((placeholder) => placeholder.id)
    expect(new Set(ids).size).toBe(20)
    for (const placeholder of analysis.placeholders) {
      expect(placeholder.id).toMatch(/^ph[0-9a-z]{12}$/)
      expect(placeholder.label).toBeNull()
      expect(doc.textBetween(placeholder.from, placeholder.to)).toBe(placeholder.text)
      const node = doc.nodeAt(placeholder.from)
      expect(node?.marks.find((mark) => mark.type.name === 'placeholder')?.attrs.id).toBe(placeholder.id)
      // The character just before is not part of the placeholder.
      const before = doc.resolve(placeholder.from).nodeBefore
      expect(before?.marks.some((mark) => mark.type.name === 'placeholder' && mark.attrs.id === placeholder.id) ?? false).toBe(false)
    }
  })

  it('puts the preamble placeholder (市委*书记) outside every section', () => {
    const first = analysis.placeholders[0]
    expect(first.sectionPath).toEqual([])
    expect(first.section).toBe(-1)
    expect(first.kind).toBe('name')
    expect(first.from).toBe(textPos(doc, '*书记'))
    expect(first.context).toBe('精神为指引，落实市委【*】书记“抓班子、强队伍')
  })

  it('gives a placeholder in 一（一） its section path and context', () => {
    const placeholder = analysis.placeholders[1]
    expect(placeholder.sectionPath).toEqual(['一、强化政治引领，贯彻中央部署', '（一）落实党建政治责任'])
    expect(analysis.sections[placeholder.section].label).toBe('（一）落实党建政治责任')
    expect(placeholder.context).toContain('主持局委会【*】次')
    expect(placeholder.context).toBe('职责，全年主持局委会【*】次，研究审议**局发')
    expect(placeholder.from).toBe(textPos(doc, '*次，研究审议'))
  })

  it('assigns each placeholder to the innermost section that contains it', () => {
    for (const placeholder of analysis.placeholders) {
      if (placeholder.section < 0) continue
      const section = analysis.sections[placeholder.section]
      const node = doc.nodeAt(section.pos)!
      expect(placeholder.from).toBeGreaterThan(section.pos)
      expect(placeholder.to).toBeLessThan(section.pos + node.nodeSize)
      expect(placeholder.sectionPath).toEqual(section.path)
    }
    const perSection = analysis.placeholders.map((placeholder) => placeholder.sectionPath.at(-1) ?? '')
    expect(perSection.filter((label) => label === '（二）深化作风建设')).toHaveLength(4)
    // The closing paragraph lands in the last sub-section (importer rule); its placeholders do not.
    expect(perSection.filter((label) => label === '（三）堵塞管理漏洞')).toHaveLength(3)
  })

  it('rolls unfilled counts up from sub-sections to their parents', () => {
    const counts = Object.fromEntries(analysis.sections.map((section) => [section.path.join(' › '), section.unfilled]))
    expect(counts).toEqual({
      [L1[0]]: 6,
      [`${L1[0]} › （一）落实党建政治责任`]: 3,
      [`${L1[0]} › （二）完成重大政治任务`]: 3,
      [L1[1]]: 3,
      [`${L1[1]} › （一）深入学习宣传贯彻党的二十大精神`]: 1,
      [`${L1[1]} › （二）深入开展政治理论学习`]: 2,
      [`${L1[1]} › （三）强化思想阵地建设`]: 0,
      [L1[2]]: 3,
      [`${L1[2]} › （一）提升基层党建水平`]: 0,
      [`${L1[2]} › （二）加强党员教育培训`]: 2,
      [`${L1[2]} › （三）严格党员管理`]: 1,
      [L1[3]]: 7,
      [`${L1[3]} › （一）强化主体责任`]: 0,
      [`${L1[3]} › （二）深化作风建设`]: 4,
      [`${L1[3]} › （三）堵塞管理漏洞`]: 3,
    })
    // Invariant: own placeholders + children's counts.
    analysis.sections.forEach((section, index) => {
      const own = analysis.unfilled.filter((placeholder) => placeholder.section === index).length
      const children = analysis.sections
        .filter((child) => child.parent === index)
        .reduce((sum, child) => sum + child.unfilled, 0)
      expect(section.unfilled).toBe(own + children)
    })
    const topTotal = analysis.sections.filter((s) => s.parent === -1).reduce((sum, s) => sum + s.unfilled, 0)
    expect(topTotal + analysis.unfilled.filter((p) => p.section === -1).length).toBe(20)
  })

  it('memoises per document node', () => {
    expect(analyzeReport(doc)).toBe(analysis)
    const json = doc.toJSON()
    const copy = schema.nodeFromJSON(json)
    const other = analyzeReport(copy)
    expect(other).not.toBe(analysis)
    expect(other).toEqual(analysis)
    // A changed document gets a fresh analysis that reflects the change; the old one is untouched.
    const placeholder = analysis.placeholders[1]
    const edited = stateAt(doc, 1).tr.insertText('12', placeholder.from, placeholder.to).doc
    const after = analyzeReport(edited)
    expect(after).not.toBe(analysis)
    expect(after.placeholders[1]).toMatchObject({ id: placeholder.id, text: '12', filled: true })
    expect(after.unfilled).toHaveLength(19)
    expect(findSection(edited, '（一）落实党建政治责任', L1[0]).unfilled).toBe(2)
    expect(findSection(edited, L1[0]).unfilled).toBe(5)
    expect(analysis.placeholders[1]).toMatchObject({ text: '*', filled: false })
    expect(analysis.unfilled).toHaveLength(20)
    expect(analyzeReport(edited)).toBe(after)
  })

  it('is not fooled by a fresh import: new ids each time, same structure', () => {
    const again = analyzeReport(schema.nodeFromJSON(plainTextToDocJSON(SAMPLE_TEXT)))
    expect(again.sections.map((s) => s.label)).toEqual(analysis.sections.map((s) => s.label))
    expect(again.placeholders.map((p) => p.id)).not.toEqual(analysis.placeholders.map((p) => p.id))
  })
})

type Json = Record<string, unknown>
const text = (value: string, marks?: Json[]): Json => (marks ? { type: 'text', text: value, marks } : { type: 'text', text: value })
const ph = (id: string, kind = 'count', label: string | null = null): Json => ({ type: 'placeholder', attrs: { id, kind, label } })
const para = (...content: Json[]): Json => ({ type: 'paragraph', content })
const section = (level: number, title: Json[], ...body: Json[]): Json => ({
  type: 'section',
  attrs: { level, runIn: false },
  content: [{ type: 'sectionTitle', content: title }, ...body],
})
const build = (...blocks: Json[]) => {
  const doc = schema.nodeFromJSON({ type: 'doc', content: [{ type: 'reportTitle', content: [text('标题')] }, ...blocks] })
  doc.check()
  return doc
}

describe('analyzeReport on hand-built documents', () => {
  it('handles a document that is only a title (or an empty title)', () => {
    expect(analyzeReport(build())).toMatchObject({ title: '标题', sections: [], placeholders: [], unfilled: [] })
    const untitled = schema.nodeFromJSON({ type: 'doc', content: [{ type: 'reportTitle' }] })
    expect(analyzeReport(untitled).title).toBe('')
  })

  it('numbers each level separately among siblings, including skipped levels', () => {
    const doc = build(
      section(1, [text('甲')],
        section(3, [text('跳级一')]),
        section(2, [text('乙')], section(3, [text('丙')]), section(3, [text('丁')], section(4, [text('戊')]), section(4, [text('己')]))),
        section(3, [text('跳级二')]),
        section(2, [text('庚')]),
      ),
      para(text('段落不打断编号')),
      section(1, [text('辛')]),
    )
    expect(outline(doc)).toEqual([
      '一、甲',
      '    1.跳级一',
      '  （一）乙',
      '    1.丙',
      '    2.丁',
      '      （1）戊',
      '      （2）己',
      '    2.跳级二',
      '  （二）庚',
      '二、辛',
    ])
    const { sections } = analyzeReport(doc)
    expect(sections.find((s) => s.title === '己')?.path).toEqual(['一、甲', '（一）乙', '2.丁', '（2）己'])
    expect(sections.map((s) => s.parent)).toEqual([-1, 0, 0, 2, 2, 4, 4, 0, 0, -1])
  })

  it('strips only closing punctuation and whitespace from labels', () => {
    const doc = build(
      section(1, [text('总体情况：')]),
      section(1, [text('主要问题？！ ')]),
      section(1, [text('“两个确立”')]),
      section(1, []),
    )
    expect(analyzeReport(doc).sections.map((s) => [s.title, s.label])).toEqual([
      ['总体情况：', '一、总体情况'],
      ['主要问题？！ ', '二、主要问题'],
      ['“两个确立”', '三、“两个确立”'],
      ['', '四、'],
    ])
  })

  it('treats a placeholder as filled once its text is no longer a mask', () => {
    const doc = build(
      section(1, [text('标')],
        para(text('开会'), text('12', [ph('a')]), text('次，'), text('*', [ph('b')]), text('人，'), text('*月*日', [ph('c', 'date')]), text('召开')),
      ),
    )
    const { placeholders, unfilled, sections } = analyzeReport(doc)
    expect(placeholders.map((p) => [p.id, p.text, p.filled])).toEqual([
      ['a', '12', true],
      ['b', '*', false],
      ['c', '*月*日', false],
    ])
    expect(unfilled.map((p) => p.id)).toEqual(['b', 'c'])
    expect(sections[0].unfilled).toBe(2)
    expect(placeholders[0].context).toBe('开会【12】次，*人，*月*日召')
  })

  it('joins adjacent text nodes of one placeholder and separates neighbouring placeholders', () => {
    const doc = build(
      para(
        text('共'),
        text('*', [ph('x')]),
        text('*', [ph('x'), { type: 'bold' }]),
        text('*', [ph('y', 'org', '单位')]),
        text('局'),
      ),
    )
    const { placeholders } = analyzeReport(doc)
    expect(placeholders.map((p) => ({ id: p.id, text: p.text, from: p.from, to: p.to, label: p.label }))).toEqual([
      { id: 'x', text: '**', from: 6, to: 8, label: null },
      { id: 'y', text: '*', from: 8, to: 9, label: '单位' },
    ])
    expect(placeholders[0].context).toBe('共【**】*局')
    expect(placeholders[1].kind).toBe('org')
  })

  it('finds placeholders in section titles and the report title', () => {
    const doc = schema.nodeFromJSON({
      type: 'doc',
      content: [
        { type: 'reportTitle', content: [text('20**', [ph('t', 'date')]), text('年度述职')] },
        section(1, [text('**', [ph('s', 'org')]), text('局工作')], section(2, [text('完成'), text('*', [ph('u')]), text('项任务')])),
      ],
    })
    const { placeholders, sections, title } = analyzeReport(doc)
    expect(title).toBe('20**年度述职')
    expect(placeholders.map((p) => [p.id, p.sectionPath])).toEqual([
      ['t', []],
      ['s', ['一、**局工作']],
      ['u', ['一、**局工作', '（一）完成*项任务']],
    ])
    expect(sections.map((s) => s.unfilled)).toEqual([2, 1])
  })
})
