import type { PlaceholderKind } from '../report/kinds'
import { isMaskText } from '../report/masks'

/**
 * Whether a value fits the kind of its figure (issue 14: text in a 数量, a percentage over 100). The
 * check is the same where a value is typed, imported from a sheet or sent to the API.
 */
export type ValueProblem = 'empty' | 'still-mask' | 'not-number' | 'over-100' | 'over-10' | 'not-date' | 'not-ordinal' | 'has-digits'

const ARABIC = /^[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+(?:[.．][0-9０-９]+)?$|^[0-9０-９]+(?:[.．][0-9０-９]+)?$/u
const CJK = /^[〇零一二三四五六七八九十百千万亿两]+$/u
const DATE = /^(?:([0-9０-９]{4})年)?(?:([0-9０-９]{1,2})月)?(?:([0-9０-９]{1,2})[日号])?(?:([0-9０-９]{1,2})时)?$/u

/** The number a value spells, or null (`1,234.5`, `１２`, `三`; CJK numerals only as whole numbers ≤ 99). */
export function numberOf(value: string): number | null {
  const text = value.trim()
  if (ARABIC.test(text)) {
    const ascii = text.replace(/[０-９]/gu, (c) => String(c.charCodeAt(0) - 0xff10)).replace(/[,，]/gu, '').replace('．', '.')
    return Number(ascii)
  }
  if (CJK.test(text)) return cjkNumber(text)
  return null
}

function cjkNumber(text: string): number | null {
  const digits = '零一二三四五六七八九'
  if (text.length === 1 && (digits.includes(text) || text === '〇' || text === '两')) return text === '两' ? 2 : Math.max(0, digits.indexOf(text))
  const tens = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/u.exec(text)
  if (tens) return (tens[1] ? digits.indexOf(tens[1]) : 1) * 10 + (tens[2] ? digits.indexOf(tens[2]) : 0)
  // Larger spelled-out numbers are rare in figures; accept them as numbers of unknown size.
  return Number.NaN
}

const toAscii = (text: string) => text.replace(/[０-９]/gu, (c) => String(c.charCodeAt(0) - 0xff10))

/** What is wrong with `value` as the figure of this kind and unit (`%`, `成`, `个百分点`), or null. */
export function checkValue(kind: PlaceholderKind, value: string, unit: string | null = null): ValueProblem | null {
  const text = value.trim()
  if (text === '') return 'empty'
  if (isMaskText(text)) return 'still-mask'
  switch (kind) {
    case 'count':
    case 'amount':
      return numberOf(text) === null ? 'not-number' : null
    case 'percent': {
      const n = numberOf(text)
      if (n === null) return 'not-number'
      if (unit === '成') return n > 10 ? 'over-10' : null
      if (unit === '%' || unit === '％') return n > 100 ? 'over-100' : null
      return null
    }
    case 'ordinal': {
      const n = numberOf(text)
      return n === null || (Number.isFinite(n) && (n < 1 || !Number.isInteger(n))) ? 'not-ordinal' : null
    }
    case 'date': {
      const match = DATE.exec(text)
      if (!match || text === '') return 'not-date'
      const [, , month, day, hour] = match.map((part) => (part === undefined ? undefined : Number(toAscii(part))))
      if ((month !== undefined && (month < 1 || month > 12)) || (day !== undefined && (day < 1 || day > 31)) || (hour !== undefined && hour > 24)) return 'not-date'
      return null
    }
    case 'name':
    case 'org':
      return /[0-9０-９]/u.test(text) ? 'has-digits' : null
    default:
      return null
  }
}
