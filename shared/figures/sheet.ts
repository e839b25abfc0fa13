import type ExcelJS from 'exceljs'
import { PLACEHOLDER_KIND_NAMES } from '../report/kinds'
import type { Figure } from './figures'

/**
 * The 统计数据征集表: an .xlsx with one row per unfilled figure that a department fills in and sends
 * back. The headings and sheet names below are the file format itself (what the department reads in
 * Excel/WPS), not editor UI, so they live here next to the reader that depends on them.
 *
 * One worksheet per top-level section (一、二、…), each with an auto-filter, so every department gets
 * its own sheet; documents have no per-section assignees yet, so sections are the unit. The hidden
 * column 校验 holds the words around each figure at export time, to tell whether the text moved on.
 */

export const SHEET_COLUMNS = [
  { key: 'id', header: '编号', width: 18 },
  { key: 'section', header: '章节', width: 22 },
  { key: 'sentence', header: '上下文', width: 60 },
  { key: 'kind', header: '类型', width: 8 },
  { key: 'unit', header: '单位', width: 8 },
  { key: 'value', header: '数值', width: 14 },
  { key: 'source', header: '数据来源', width: 24 },
  { key: 'assignee', header: '负责部门或人员', width: 18 },
  { key: 'contextKey', header: '校验', width: 10 },
] as const


export interface SheetSection {
  /** Index of the top-level section, -1 for figures before the first one. */
  index: number
  label: string
}

/** Excel refuses these characters and names over 31 characters. */
function sheetName(label: string, taken: Set<string>): string {
  const base = label.replace(/[\\/?*[\]:]/gu, ' ').slice(0, 28) || '其他'
  let name = base
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 26)}(${n})`
  taken.add(name)
  return name
}

/**
 * exceljs, loaded the first time a sheet is built or read: imported with the server it was more than half
 * of its start-up (about 0.5 s on this VM), which a restart after a crash spends before it answers anyone.
 */
async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default
}

export async function buildFigureSheet(figures: readonly Figure[], sections: readonly SheetSection[], title: string): Promise<Buffer> {
  const workbook = new (await excel()).Workbook()
  workbook.creator = '会稿'
  workbook.title = `${title} 统计数据征集表`
  const taken = new Set<string>()
  for (const section of sections) {
    const rows = figures.filter((figure) => figure.topSection === section.index)
    if (rows.length === 0) continue
    const sheet = workbook.addWorksheet(sheetName(section.label, taken), { views: [{ state: 'frozen', ySplit: 1 }] })
    sheet.columns = SHEET_COLUMNS.map((column) => ({ ...column }))
    for (const figure of rows) {
      sheet.addRow({
        id: figure.id,
        section: figure.sectionPath || '—',
        sentence: figure.sentence,
        kind: PLACEHOLDER_KIND_NAMES[figure.kind],
        unit: figure.unit ?? '',
        value: '',
        source: figure.provenance.source ?? '',
        assignee: figure.provenance.assignee ?? '',
        contextKey: figure.contextKey,
      })
    }
    sheet.getRow(1).font = { bold: true }
    sheet.getColumn('contextKey').hidden = true
    sheet.getColumn('sentence').alignment = { wrapText: true, vertical: 'top' }
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows.length + 1, column: SHEET_COLUMNS.length - 1 } }
  }
  if (workbook.worksheets.length === 0) workbook.addWorksheet('无待填数字').addRow(['本文稿没有待填数字。'])
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

export interface SheetRow {
  sheet: string
  /** Row number as Excel shows it. */
  row: number
  id: string
  value: string
  source: string
  assignee: string
  contextKey: string
}

export class SheetReadError extends Error {}

/** A cell as the person typed it: numbers without float noise, dates as 2022年3月5日, formulas by their result. */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return String(Number(value.toPrecision(12)))
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (value instanceof Date) return `${value.getUTCFullYear()}年${value.getUTCMonth() + 1}月${value.getUTCDate()}日`
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((part) => part.text).join('').trim()
  if (typeof value === 'object' && 'result' in value) return value.result === undefined ? '' : cellText({ value: value.result } as ExcelJS.Cell)
  if (typeof value === 'object' && 'text' in value) return String(value.text).trim()
  return String(cell.text ?? '').trim()
}

/** Reads every worksheet whose first row has the 编号 and 数值 headings; other sheets are left alone. */
export async function readFigureSheet(data: ArrayBuffer | Buffer): Promise<SheetRow[]> {
  const workbook = new (await excel()).Workbook()
  try {
    await workbook.xlsx.load(data as ArrayBuffer)
  } catch (error) {
    throw new SheetReadError(`not an .xlsx file (${(error as Error).message.slice(0, 120)})`)
  }
  const rows: SheetRow[] = []
  let recognised = 0
  for (const sheet of workbook.worksheets) {
    const header = sheet.getRow(1)
    const columnOf = new Map<string, number>()
    header.eachCell((cell, column) => columnOf.set(cellText(cell), column))
    if (!columnOf.has('编号') || !columnOf.has('数值')) continue
    recognised++
    const read = (row: ExcelJS.Row, heading: string) => {
      const column = columnOf.get(heading)
      return column ? cellText(row.getCell(column)) : ''
    }
    sheet.eachRow((row, number) => {
      if (number === 1) return
      const id = read(row, '编号')
      if (!id) return
      rows.push({ sheet: sheet.name, row: number, id, value: read(row, '数值'), source: read(row, '数据来源'), assignee: read(row, '负责部门或人员'), contextKey: read(row, '校验') })
    })
  }
  if (recognised === 0) throw new SheetReadError('no worksheet with the columns 编号 and 数值')
  return rows
}
