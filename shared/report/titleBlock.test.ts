import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { exportPlainText } from './exportText'
import { importPlainText } from './importText'
import { formatOfficialDate, isMaskedDateLine, officialDateLine, parseDateLine } from './officialDate'
import { authorLine, trailingSignature } from './titleBlock'

const BODY = ['一、工作回顾', '一年来，我局坚持以人民为中心。', '二、下步打算', '继续加强队伍建设。']
const draft = (...lines: string[]) => lines.join('\n')

describe('成文日期 (GB/T 9704 7.3.5.1: Arabic numerals, full year, no leading zeros)', () => {
  it('reads the usual spellings and writes 2023年1月15日', () => {
    for (const line of ['2023年1月15日', '2023年01月15日', '２０２３年１月１５日', '二〇二三年一月十五日', '二○二三年一月十五日', '2023-01-15', '2023.1.15', '2023/1/15', ' 2023 年 1 月 15 日 ']) {
      expect(officialDateLine(line), line).toBe('2023年1月15日')
    }
    expect(officialDateLine('二〇二二年十二月三十一日')).toBe('2022年12月31日')
    expect(officialDateLine('二〇二二年十月二十日')).toBe('2022年10月20日')
  })

  it('refuses impossible dates and dates inside a sentence', () => {
    for (const line of ['2023年2月30日', '2023年13月1日', '2023年1月15日召开总结会。', '截至2023年1月15日', '2023年1月', '1月15日', '2023年度', '23年1月15日']) {
      expect(officialDateLine(line), line).toBeNull()
    }
  })

  it('keeps masked dates as typed (they are placeholders to fill)', () => {
    expect(isMaskedDateLine('2023年*月*日')).toBe(true)
    expect(isMaskedDateLine('****年**月**日')).toBe(true)
    expect(isMaskedDateLine('20**年×月×日')).toBe(true)
    expect(isMaskedDateLine('2023年1月15日')).toBe(false)
    expect(isMaskedDateLine('*项工作*月完成')).toBe(false)
    expect(officialDateLine('2023年*月*日')).toBe('2023年*月*日')
  })

  it('format ∘ parse is the identity on every real date (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1950, 0, 1)), max: new Date(Date.UTC(2150, 11, 31)), noInvalidDate: true }), (date) => {
        const calendar = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
        const text = formatOfficialDate(calendar)
        expect(text).not.toMatch(/年0|月0/u)
        expect(parseDateLine(text)).toEqual(calendar)
        const padded = `${calendar.year}年${String(calendar.month).padStart(2, '0')}月${String(calendar.day).padStart(2, '0')}日`
        expect(officialDateLine(padded)).toBe(text)
      }),
      { numRuns: 300 },
    )
  })
})

describe('署名 line under the title', () => {
  it('recognises a unit, a name, unit + name and a labelled line', () => {
    for (const line of ['XX市XX局', '中共**县委组织部', '张三', '欧阳**', '**市财政局　李四', '述职人：王五', '（XX市XX局办公室）']) {
      expect(authorLine(line), line).toBe(line)
    }
  })

  it('does not take body lines that merely are short', () => {
    for (const line of ['各位领导、同志们：', '大家好', '现将有关情况报告如下', '一、工作回顾', '一年来，我局坚持以人民为中心。', '2023年1月15日', '加强党的建设', '同志们']) {
      expect(authorLine(line), line).toBeNull()
    }
  })

  it('is only looked for right under a title', () => {
    const model = importPlainText(draft('2022年度述职报告', 'XX市XX局　张三', ...BODY))
    expect(model.title).toBe('2022年度述职报告')
    expect(model.author).toBe('XX市XX局　张三')
    expect(model.blocks).toHaveLength(2)
    // No title (the first line is a sentence): nothing is a 署名.
    const untitled = importPlainText(draft('一年来，我局坚持以人民为中心。', '张三', '继续加强队伍建设。'))
    expect(untitled.author).toBeUndefined()
    expect(untitled.blocks).toHaveLength(3)
  })
})

describe('落款 at the end', () => {
  it('takes the trailing unit and date lines out of the body, date in the standard form', () => {
    const model = importPlainText(draft('2022年度述职报告', ...BODY, 'XX市XX局', '2023年01月15日'))
    expect(model.signature).toEqual({ unit: 'XX市XX局', date: '2023年1月15日' })
    const last = model.blocks.at(-1)
    expect(last?.type === 'section' && last.body.map((block) => block.type)).toEqual(['paragraph'])
    expect(JSON.stringify(model.blocks)).not.toContain('XX市XX局')
  })

  it('takes a date alone, and a masked date', () => {
    expect(importPlainText(draft('述职报告', ...BODY, '二〇二三年一月十五日')).signature).toEqual({ unit: '', date: '2023年1月15日' })
    expect(importPlainText(draft('述职报告', ...BODY, '**市**局', '2023年*月*日')).signature).toEqual({ unit: '**市**局', date: '2023年*月*日' })
  })

  it('leaves look-alikes in the body', () => {
    const lookAlikes = [
      [...BODY, '2023年1月15日召开总结会。'],
      [...BODY, 'XX市XX局', '截至2023年1月15日'],
      [...BODY, '2023年1月15日', '继续加强队伍建设。'],
      [...BODY, '2023年2月30日'],
    ]
    for (const lines of lookAlikes) {
      const model = importPlainText(draft('述职报告', ...lines))
      expect(model.signature, lines.at(-1)).toBeUndefined()
    }
    // The line before the date is a sentence, not a unit: the date alone is the 落款, the sentence stays.
    const model = importPlainText(draft('述职报告', ...BODY, '以上报告，请审议。', '2023年1月15日'))
    expect(model.signature).toEqual({ unit: '', date: '2023年1月15日' })
    expect(JSON.stringify(model.blocks)).toContain('以上报告，请审议。')
    expect(trailingSignature(['一、工作回顾', '2023年1月15日'])?.signature.unit).toBe('')
  })

  it('round-trips through the plain-text export', () => {
    const model = importPlainText(draft('2022年度述职报告', '述职人：张三', ...BODY, 'XX市XX局', '2023年1月15日'))
    expect(importPlainText(exportPlainText(model))).toEqual(model)
  })
})
