/**
 * The 成文日期 of an official document as GB/T 9704-2012 (7.3.5.1) writes it: 「用阿拉伯数字将年、月、日标全，
 * 年份应标全称，月、日不编虚位（即1不编为01）」 — 2023年1月15日, never 2023年01月15日, 23年1月15日 or
 * 二〇二三年一月十五日. The importer accepts those other spellings and writes the standard form.
 */

export interface CalendarDate {
  year: number
  month: number
  day: number
}

/** 2023年1月15日. */
export function formatOfficialDate({ year, month, day }: CalendarDate): string {
  return `${year}年${month}月${day}日`
}

/** Today (in the given time, local calendar) in the standard form. */
export function officialDateOf(date: Date): string {
  return formatOfficialDate({ year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() })
}

const CHINESE_DIGITS: Record<string, number> = { 〇: 0, 零: 0, O: 0, '○': 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

/** 一 … 三十一 (十, 十五, 二十, 二十三, 三十一); null for anything else. */
function chineseSmallNumber(text: string): number | null {
  if (/^[〇零○一二三四五六七八九]$/u.test(text)) return CHINESE_DIGITS[text]
  const match = /^([一二三])?十([一二三四五六七八九])?$/u.exec(text)
  if (!match) return null
  return (match[1] ? CHINESE_DIGITS[match[1]] : 1) * 10 + (match[2] ? CHINESE_DIGITS[match[2]] : 0)
}

/** 二〇二三 → 2023 (digit by digit, as years are read). */
function chineseYear(text: string): number | null {
  if (!/^[〇零○O一二三四五六七八九]{4}$/u.test(text)) return null
  return Number([...text].map((c) => CHINESE_DIGITS[c]).join(''))
}

const toHalfWidth = (text: string) => text.replace(/[０-９]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))

function valid(date: CalendarDate): CalendarDate | null {
  const { year, month, day } = date
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return null
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return day <= days ? date : null
}

/**
 * A line that is nothing but a full date, in any common spelling: 2023年1月15日, 2023年01月15日,
 * ２０２３年１月１５日, 二〇二三年一月十五日, 2023-01-15, 2023.1.15, 2023/1/15. Null for anything else,
 * including impossible dates (2023年2月30日) and dates inside a sentence.
 */
export function parseDateLine(line: string): CalendarDate | null {
  const text = toHalfWidth(line.trim())
  let match = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/u.exec(text) ?? /^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$/u.exec(text)
  if (match) return valid({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) })
  match = /^(\S{4})年(\S{1,3})月(\S{1,3})日$/u.exec(text)
  if (!match) return null
  const year = chineseYear(match[1])
  const month = chineseSmallNumber(match[2])
  const day = chineseSmallNumber(match[3])
  return year !== null && month !== null && day !== null ? valid({ year, month, day }) : null
}

/**
 * A date still to be filled in: 2023年*月*日, ****年**月**日, ××××年×月×日 — the 年/月/日 frame with
 * each part either digits or a mask (at least one mask, else it is a plain date).
 */
export function isMaskedDateLine(line: string): boolean {
  const text = toHalfWidth(line.trim())
  const match = /^(\S{1,4})年(\S{1,2})月(\S{1,2})日$/u.exec(text)
  if (!match) return false
  const parts = match.slice(1)
  // The mask characters of masks.ts, possibly fused with known digits (20**).
  const masked = (part: string) => /^\d*[*＊×○XxＸｘ]+\d*$/u.test(part)
  return parts.some(masked) && parts.every((part) => masked(part) || /^\d+$/u.test(part))
}

/** The line in the standard form when it is a date; masked dates stay as typed (their masks become placeholders). */
export function officialDateLine(line: string): string | null {
  const date = parseDateLine(line)
  if (date) return formatOfficialDate(date)
  return isMaskedDateLine(line) ? line.trim() : null
}
