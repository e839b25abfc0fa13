import { describe, expect, it } from 'vitest'
import { importDocx } from '../../shared/report/importDocx'
import { exportDocx } from './exportDocx'
import { TEXT_AREA } from './layout'
import { attrsOf, docFromJSON, docFromText, paragraphs, readDocx, textOf } from './testing'
import { lineWidth, signatureLayout } from './titleBlock'

const DRAFT = [
  '2022年度述职报告',
  '青山市财政局　张三',
  '一、工作回顾',
  '一年来，我局坚持以人民为中心。',
  '二、下步打算',
  '继续加强队伍建设。',
  '青山市财政局',
  '2023年1月15日',
].join('\n')

const CHAR = Math.floor(TEXT_AREA.width / 28)

describe('署名 and 落款 in the .docx (GB/T 9704-2012 7.3.5.2)', () => {
  it('centres the 署名 right under the title, then the blank line, then the body', async () => {
    const { document } = await readDocx(await exportDocx(docFromText(DRAFT), { mode: 'as-is' }))
    const all = paragraphs(document)
    expect(all.slice(0, 4).map(textOf)).toEqual(['2022年度述职报告', '青山市财政局　张三', '', '一、工作回顾'])
    expect(attrsOf(all[1], 'w:jc')).toEqual({ 'w:val': 'center' })
    // No first-line indent on the 署名; 楷体.
    expect(attrsOf(all[1], 'w:ind')).toBeNull()
    expect(all[1]).toContain('w:eastAsia="楷体_GB2312"')
  })

  it('puts the 落款 one blank line after the body: a longer unit 右空二字, the date starting two characters right of it', async () => {
    const text = DRAFT.replace(/青山市财政局\n2023/u, '中共青山市财政局党组\n2023')
    const { document } = await readDocx(await exportDocx(docFromText(text), { mode: 'clean' }))
    const all = paragraphs(document)
    expect(all.map(textOf).slice(-3)).toEqual(['', '中共青山市财政局党组', '2023年1月15日'])
    const [unit, date] = all.slice(-2)
    // The unit: right-aligned, two characters in from the right edge of the type area.
    expect(attrsOf(unit, 'w:jc')).toEqual({ 'w:val': 'right' })
    expect(Number(attrsOf(unit, 'w:ind')?.['w:right'])).toBe(2 * CHAR)
    // The date: from the left, at the unit's start (type area − 2 characters − 10 characters) plus two.
    expect(attrsOf(date, 'w:jc')).toEqual({ 'w:val': 'left' })
    expect(Number(attrsOf(date, 'w:ind')?.['w:left'])).toBe(TEXT_AREA.width - 2 * CHAR - 10 * CHAR + 2 * CHAR)
    // The unit stays with its date on one page.
    expect(unit).toContain('<w:keepNext/>')
  })

  it('puts a date longer than the unit 右空二字 and the unit two characters before it', async () => {
    const { document } = await readDocx(await exportDocx(docFromText(DRAFT), { mode: 'clean' }))
    const [unit, date] = paragraphs(document).slice(-2)
    expect(textOf(unit)).toBe('青山市财政局')
    expect(attrsOf(date, 'w:jc')).toEqual({ 'w:val': 'right' })
    expect(Number(attrsOf(date, 'w:ind')?.['w:right'])).toBe(2 * CHAR)
    expect(attrsOf(unit, 'w:jc')).toEqual({ 'w:val': 'left' })
    const dateStart = TEXT_AREA.width - 2 * CHAR - lineWidth('2023年1月15日')
    expect(Number(attrsOf(unit, 'w:ind')?.['w:left'])).toBe(dateStart - 2 * CHAR)
  })

  it('places a lone date 右空二字 and never indents past the margin', () => {
    expect(signatureLayout('', '2023年1月15日')).toEqual({ unit: { align: 'right', indent: 2 * CHAR }, date: { align: 'right', indent: 2 * CHAR } })
    const long = signatureLayout('局', `${'2023年1月15日'.repeat(5)}`)
    expect(long.unit).toEqual({ align: 'left', indent: 0 })
    // Digits count half a character, and the space Word puts between Chinese and digits a quarter each time.
    expect(lineWidth('2023年1月15日')).toBe(Math.round(3 * CHAR + 7 * (CHAR - 160) + 5 * (CHAR / 4)))
  })

  it('exports a report without them as before (no centred line, no right-aligned paragraph)', async () => {
    const { document } = await readDocx(await exportDocx(docFromText(DRAFT.split('\n').slice(2, 6).join('\n')), { mode: 'as-is' }))
    expect(document).not.toContain('w:val="right"')
  })

  it('comes back through the importer', async () => {
    const { model } = await importDocx(await exportDocx(docFromText(DRAFT), { mode: 'as-is' }))
    expect(model.author).toBe('青山市财政局　张三')
    expect(model.signature).toEqual({ unit: '青山市财政局', date: '2023年1月15日' })
  })

  it('writes a date typed another way in the standard form; a masked or marked date stays as it is', async () => {
    const withDate = (date: object[]) =>
      docFromJSON({
        type: 'doc',
        content: [
          { type: 'reportTitle', content: [{ type: 'text', text: '报告' }] },
          { type: 'paragraph', content: [{ type: 'text', text: '正文。' }] },
          { type: 'reportSignature', content: [{ type: 'signatureUnit', content: [{ type: 'text', text: '青山市财政局' }] }, { type: 'signatureDate', content: date }] },
        ],
      })
    const last = async (date: object[]) => textOf(paragraphs((await readDocx(await exportDocx(withDate(date), { mode: 'as-is' }))).document).at(-1)!)
    expect(await last([{ type: 'text', text: '2023-01-05' }])).toBe('2023年1月5日')
    expect(await last([{ type: 'text', text: '二〇二三年一月五日' }])).toBe('2023年1月5日')
    expect(await last([{ type: 'text', text: '2023年*月*日' }])).toBe('2023年*月*日')
    expect(await last([{ type: 'text', text: '2023-01-05', marks: [{ type: 'bold' }] }])).toBe('2023-01-05')
  })
})
