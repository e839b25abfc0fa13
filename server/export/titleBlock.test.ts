import { describe, expect, it } from 'vitest'
import { importDocx } from '../../shared/report/importDocx'
import { exportDocx } from './exportDocx'
import { TEXT_AREA } from './layout'
import { attrsOf, docFromJSON, docFromText, paragraphs, readDocx, textOf } from './testing'
import { lineWidth, signatureIndents } from './titleBlock'

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

  it('puts the 落款 one blank line after the body, right-aligned, the date two characters right of the unit', async () => {
    const { document } = await readDocx(await exportDocx(docFromText(DRAFT), { mode: 'clean' }))
    const all = paragraphs(document)
    const texts = all.map(textOf)
    expect(texts.slice(-3)).toEqual(['', '青山市财政局', '2023年1月15日'])
    const [unit, date] = all.slice(-2)
    expect(attrsOf(unit, 'w:jc')).toEqual({ 'w:val': 'right' })
    expect(attrsOf(date, 'w:jc')).toEqual({ 'w:val': 'right' })
    const unitRight = Number(attrsOf(unit, 'w:ind')?.['w:right'])
    const dateRight = Number(attrsOf(date, 'w:ind')?.['w:right'])
    // 2023年1月15日 (3 Chinese + 7 digits, 6.5 characters wide) + 2 is longer than 青山市财政局 (6): the date is 右空二字 …
    expect(dateRight).toBe(2 * CHAR)
    // … and the unit moves left so that its first character is two characters before the date's.
    const lineEnd = TEXT_AREA.width
    const unitStart = lineEnd - unitRight - lineWidth('青山市财政局')
    const dateStart = lineEnd - dateRight - lineWidth('2023年1月15日')
    expect(dateStart - unitStart).toBe(2 * CHAR)
    // The unit stays with its date on one page.
    expect(unit).toContain('<w:keepNext/>')
  })

  it('right-indents a long unit by two characters and puts the date under it', () => {
    const unit = '中共青山市河东区委员会办公室'
    const indents = signatureIndents(unit, '2023年1月15日')
    expect(indents.unit).toBe(2 * CHAR)
    const unitStart = -indents.unit - lineWidth(unit)
    const dateStart = -indents.date - lineWidth('2023年1月15日')
    expect(dateStart - unitStart).toBe(2 * CHAR)
    expect(signatureIndents('', '2023年1月15日')).toEqual({ unit: 2 * CHAR, date: 2 * CHAR })
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
