import ExcelJS from 'exceljs'
import fc from 'fast-check'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap'
import { fillPlaceholders, setPlaceholderAttrs } from '../editor/commands/placeholders'
import { schema } from '../editor/schema'
import { CONTENT_FRAGMENT, yDocToNode } from '../editor/lib/ydoc'
import { plainTextToDocJSON } from '../editor/lib/plainText'
import { propertyRuns } from '../testing/propertyRuns'
import { listFigures, type Figure } from './figures'
import { planImport, type Importer } from './importPlan'
import { buildFigureSheet, readFigureSheet, SheetReadError, type SheetSection } from './sheet'
import { runOnYDoc } from './ydocCommand'

const REPORT = `2022年度工作总结
一、主要工作
（一）抓好班子建设。全年召开党组会议**次，研究重大事项***项。
（二）推进重点项目。完成投资**.*亿元，同比增长*.*%。
二、存在问题
部分项目进度滞后，完成率仅**%，排名全省第*名。
**局配合不够到位。`

function liveDoc(text = REPORT): Y.Doc {
  return prosemirrorJSONToYDoc(schema, plainTextToDocJSON(text), CONTENT_FRAGMENT)
}

const figuresOf = (ydoc: Y.Doc) => listFigures(yDocToNode(ydoc))

function sectionsOf(figures: readonly Figure[]): SheetSection[] {
  const seen = new Map<number, string>()
  for (const figure of figures) if (!seen.has(figure.topSection)) seen.set(figure.topSection, figure.sectionLabels[0] ?? '其他')
  return [...seen].map(([index, label]) => ({ index, label }))
}

function textOutsideFigures(ydoc: Y.Doc): string {
  let text = ''
  yDocToNode(ydoc).descendants((node) => {
    if (node.isText) text += node.marks.some((mark) => mark.type.name === 'placeholder') ? '□' : node.text
    else if (node.isBlock) text += '\n'
  })
  return text
}

/** A valid value of the figure's kind, as a department would type it. */
function valueFor(figure: Figure): fc.Arbitrary<string | number> {
  switch (figure.kind) {
    case 'percent':
      return fc.integer({ min: 0, max: 100 })
    case 'ordinal':
      return fc.integer({ min: 1, max: 50 })
    case 'org':
      return fc.constantFrom('财政', '人社', '交通运输')
    case 'name':
      return fc.constantFrom('张伟', '李娜')
    default:
      return fc.oneof(fc.integer({ min: 0, max: 100000 }), fc.double({ min: 0, max: 1000, noNaN: true }).map((n) => Number(n.toFixed(2))))
  }
}

const importer: Importer = { userId: 'u1', displayName: '张三', at: '2026-12-01T08:00:00.000Z', importId: 'imp1' }

/** What a department does: open the sheet in a spreadsheet program, type values and sources, save. */
async function fillAsDepartment(xlsx: Buffer, values: Record<string, { value: string | number; source?: string }>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer)
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row, number) => {
      if (number === 1) return
      const entry = values[String(row.getCell(1).value)]
      if (!entry) return
      row.getCell(6).value = entry.value
      row.getCell(7).value = entry.source ?? '统计局年报'
      row.getCell(8).value = '综合科'
    })
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

async function exportSheet(ydoc: Y.Doc): Promise<Buffer> {
  const figures = figuresOf(ydoc).filter((figure) => !figure.filled)
  return buildFigureSheet(figures, sectionsOf(figures), '2022年度工作总结')
}

describe('统计数据征集表 export', () => {
  it('has one worksheet per top-level section with every unfilled figure, its context, kind and unit', async () => {
    const ydoc = liveDoc()
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await exportSheet(ydoc)) as unknown as ArrayBuffer)
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['一、主要工作', '二、存在问题'])
    const first = workbook.worksheets[0]
    expect(first.getRow(1).values).toEqual([undefined, '编号', '章节', '上下文', '类型', '单位', '数值', '数据来源', '负责部门或人员', '校验'])
    expect(first.getColumn(9).hidden).toBe(true)
    expect(first.autoFilter).toBeTruthy()
    const rows = first.getRows(2, first.rowCount - 1)!.map((row) => [row.getCell(2).value, row.getCell(3).value, row.getCell(4).value, row.getCell(5).value, row.getCell(6).value])
    expect(rows).toEqual([
      ['一（一）', '全年召开党组会议【**】次，研究重大事项***项。', '数量', '次', ''],
      ['一（一）', '全年召开党组会议**次，研究重大事项【***】项。', '数量', '项', ''],
      ['一（二）', '完成投资【**.*】亿元，同比增长*.*%。', '金额', '亿元', ''],
      ['一（二）', '完成投资**.*亿元，同比增长【*.*】%。', '百分比', '%', ''],
    ])
    expect(workbook.worksheets[1].rowCount).toBe(4)
  })
})

describe('统计数据征集表 import', () => {
  it('round trip: values filled by a department come back into the report with source, importer and time', async () => {
    const ydoc = liveDoc()
    const ids = figuresOf(ydoc).map((figure) => figure.id)
    const filled = await fillAsDepartment(await exportSheet(ydoc), {
      [ids[0]]: { value: 12, source: '党组会议记录' },
      [ids[1]]: { value: '36' },
      [ids[2]]: { value: 3.5 },
      [ids[3]]: { value: '8.2%' },
    })
    const plan = planImport(figuresOf(ydoc), await readFigureSheet(filled), importer)
    expect(plan.rejected).toEqual([])
    expect(plan.empty).toBe(3)
    expect(runOnYDoc(ydoc, fillPlaceholders(plan.fills), 'test')).toBe(true)
    const after = figuresOf(ydoc)
    expect(after.slice(0, 4).map((figure) => [figure.text, figure.status, figure.provenance.source, figure.provenance.filledBy, figure.provenance.filledAt])).toEqual([
      ['12', 'unverified', '党组会议记录', '张三', importer.at],
      ['36', 'unverified', '统计局年报', '张三', importer.at],
      ['3.5', 'unverified', '统计局年报', '张三', importer.at],
      ['8.2', 'unverified', '统计局年报', '张三', importer.at],
    ])
    expect(after[0].provenance.assignee).toBe('综合科')
    expect(after[0].provenance.mask).toBe('**')
    expect(yDocToNode(ydoc).textContent).toContain('全年召开党组会议12次，研究重大事项36项。')
    expect(after.filter((figure) => !figure.filled)).toHaveLength(3)
  })

  it('applies the whole import as one Yjs transaction (one update reaches the other editors)', async () => {
    const ydoc = liveDoc()
    const ids = figuresOf(ydoc).map((figure) => figure.id)
    const filled = await fillAsDepartment(await exportSheet(ydoc), { [ids[0]]: { value: 1 }, [ids[4]]: { value: 90 }, [ids[5]]: { value: 3 } })
    const plan = planImport(figuresOf(ydoc), await readFigureSheet(filled), importer)
    let updates = 0
    ydoc.on('update', () => updates++)
    runOnYDoc(ydoc, fillPlaceholders(plan.fills), 'test')
    expect(updates).toBe(1)
    expect(figuresOf(ydoc).filter((figure) => figure.filled).map((figure) => figure.text)).toEqual(['1', '90', '3'])
  })

  it('rejects, and lists, every row that does not fit', async () => {
    const ydoc = liveDoc()
    const ids = figuresOf(ydoc).map((figure) => figure.id)
    const sheet = await exportSheet(ydoc)
    // Meanwhile in the report: someone fills 研究重大事项 with 30, and rewrites the words around 完成投资.
    runOnYDoc(ydoc, fillPlaceholders([{ id: ids[1], value: '30', attrs: { filledBy: '李四' } }]), 'test')
    const doc = yDocToNode(ydoc)
    const investment = figuresOf(ydoc)[2]
    runOnYDoc(ydoc, (state, dispatch) => {
      dispatch?.(state.tr.insertText('累计', investment.from - 2, investment.from - 2))
      return true
    }, 'test')
    expect(doc).not.toBe(yDocToNode(ydoc))
    const filled = await fillAsDepartment(sheet, {
      [ids[0]]: { value: '十余' },
      [ids[1]]: { value: '31' },
      [ids[2]]: { value: '3.5' },
      [ids[3]]: { value: '120' },
      [ids[5]]: { value: '3' },
    })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(filled as unknown as ArrayBuffer)
    const unknownRow = workbook.worksheets[1].addRow(['ph-does-not-exist', '二', '', '数量', '', '5']).number
    workbook.worksheets[1].addRow([ids[5], '二', '', '序数', '名', '4'])
    const rows = await readFigureSheet(Buffer.from(await workbook.xlsx.writeBuffer()))
    const plan = planImport(figuresOf(ydoc), rows, importer)
    expect(plan.rejected.map(({ id, reason, problem, current, currentBy }) => ({ id, reason, problem, current, currentBy }))).toEqual([
      { id: ids[0], reason: 'bad-value', problem: 'not-number', current: undefined, currentBy: undefined },
      { id: ids[1], reason: 'filled-differently', problem: undefined, current: '30', currentBy: '李四' },
      { id: ids[2], reason: 'context-changed', problem: undefined, current: undefined, currentBy: undefined },
      { id: ids[3], reason: 'bad-value', problem: 'over-100', current: undefined, currentBy: undefined },
      { id: 'ph-does-not-exist', reason: 'unknown-id', problem: undefined, current: undefined, currentBy: undefined },
      { id: ids[5], reason: 'duplicate', problem: undefined, current: '3', currentBy: undefined },
    ])
    expect(plan.rejected.find((row) => row.id === 'ph-does-not-exist')).toMatchObject({ sheet: '二、存在问题', row: unknownRow })
    expect(plan.fills.map((fill) => [fill.id, fill.value])).toEqual([[ids[5], '3']])
  })

  it('counts a row that repeats the value already in the report as unchanged, not as a conflict', async () => {
    const ydoc = liveDoc()
    const ids = figuresOf(ydoc).map((figure) => figure.id)
    const sheet = await exportSheet(ydoc)
    runOnYDoc(ydoc, fillPlaceholders([{ id: ids[0], value: '12', attrs: {} }]), 'test')
    const plan = planImport(figuresOf(ydoc), await readFigureSheet(await fillAsDepartment(sheet, { [ids[0]]: { value: 12 } })), importer)
    expect(plan).toMatchObject({ fills: [], rejected: [], unchanged: 1 })
  })

  it('refuses files that are not a 征集表', async () => {
    await expect(readFigureSheet(Buffer.from('not a zip'))).rejects.toBeInstanceOf(SheetReadError)
    const workbook = new ExcelJS.Workbook()
    workbook.addWorksheet('Sheet1').addRow(['a', 'b'])
    await expect(readFigureSheet(Buffer.from(await workbook.xlsx.writeBuffer()))).rejects.toThrow(/编号/)
  })

  it('undoing an import by its id puts the masks back', async () => {
    const ydoc = liveDoc()
    const ids = figuresOf(ydoc).map((figure) => figure.id)
    const plan = planImport(figuresOf(ydoc), await readFigureSheet(await fillAsDepartment(await exportSheet(ydoc), { [ids[0]]: { value: 7 } })), importer)
    runOnYDoc(ydoc, fillPlaceholders(plan.fills), 'test')
    const figure = figuresOf(ydoc)[0]
    runOnYDoc(ydoc, fillPlaceholders([{ id: figure.id, value: figure.provenance.mask!, attrs: { filledValue: null } }]), 'test')
    runOnYDoc(ydoc, setPlaceholderAttrs(figure.id, { source: null, filledBy: null, importId: null }), 'test')
    expect(figuresOf(ydoc)[0]).toMatchObject({ text: '**', filled: false, status: 'unfilled' })
  })

  it('property: an import fills exactly the valid rows and leaves every other character alone', async () => {
    const base = liveDoc()
    const figures = figuresOf(base)
    const sheet = await exportSheet(base)
    await fc.assert(
      fc.asyncProperty(fc.tuple(...figures.map((figure) => fc.option(valueFor(figure), { nil: undefined }))), async (values) => {
        const ydoc = new Y.Doc()
        Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(base))
        const entries = Object.fromEntries(figures.flatMap((figure, index) => (values[index] === undefined ? [] : [[figure.id, { value: values[index]! }]])))
        const plan = planImport(figuresOf(ydoc), await readFigureSheet(await fillAsDepartment(sheet, entries)), importer)
        expect(plan.rejected).toEqual([])
        if (plan.fills.length) runOnYDoc(ydoc, fillPlaceholders(plan.fills), 'test')
        const after = figuresOf(ydoc)
        after.forEach((figure, index) => expect(figure.text).toBe(values[index] === undefined ? figures[index].text : String(values[index])))
        // Outside the figures, the text is what it was.
        expect(textOutsideFigures(ydoc)).toBe(textOutsideFigures(base))
      }),
      propertyRuns(15),
    )
  })
})
