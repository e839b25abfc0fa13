/**
 * Word's automatic numbering. A draft whose headings Word numbers itself (a list style whose levels
 * read 一、, （一）, 1., （1）) holds no ordinal in its text: the label is drawn from `w:numPr` (on the
 * paragraph or its style) and `word/numbering.xml`. Read as text alone, every heading came in as a
 * plain paragraph and the report's structure was lost. This works out each paragraph's label as Word
 * draws it, so the import can read it like a typed ordinal.
 *
 * Counted per list: every `w:num` of one abstract numbering continues the same count, unless it restarts
 * it (`w:lvlOverride`); a level's counter starts again after any shallower level's paragraph, as Word
 * does by default. Bullets and unnumbered levels give no label.
 */
import { chineseNumeral } from '../report/numbering'

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

type El = Element

interface Level {
  start: number
  format: string
  text: string
}

interface NumPr {
  numId: string | null
  ilvl: number | null
}

const children = (node: Node | null | undefined, name: string): El[] => {
  const out: El[] = []
  for (let child = node?.firstChild; child; child = child.nextSibling) if (child.nodeType === 1 && (child as El).namespaceURI === W && (child as El).localName === name) out.push(child as El)
  return out
}
const child = (node: Node | null | undefined, name: string): El | undefined => children(node, name)[0]
const val = (el: El | undefined): string | null => (el ? el.getAttributeNS(W, 'val') : null)

function numPrOf(pPr: El | undefined): NumPr | null {
  const numPr = child(pPr, 'numPr')
  if (!numPr) return null
  const ilvl = val(child(numPr, 'ilvl'))
  return { numId: val(child(numPr, 'numId')), ilvl: ilvl === null ? null : Number(ilvl) }
}

const FULL_WIDTH_DIGITS = '０１２３４５６７８９'
const IDEOGRAPH_DIGITS = '〇一二三四五六七八九'

function letters(n: number): string {
  // A…Z, then AA, BB… as Word writes them.
  const letter = String.fromCharCode(65 + ((n - 1) % 26))
  return letter.repeat(Math.floor((n - 1) / 26) + 1)
}

function roman(n: number): string {
  const table: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']]
  let out = ''
  for (const [value, numeral] of table) for (; n >= value; n -= value) out += numeral
  return out
}

/** The number `n` in a `w:numFmt`, or null for bullets, `none` and formats without digits of their own. */
export function formatNumber(n: number, format: string): string | null {
  if (!Number.isSafeInteger(n) || n < 0) return null
  switch (format) {
    case 'decimal':
      return String(n)
    case 'decimalZero':
      return n < 10 ? `0${n}` : String(n)
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return [...String(n)].map((digit) => FULL_WIDTH_DIGITS[Number(digit)]).join('')
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'japaneseCounting':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
      return n <= 99_999_999 ? chineseNumeral(n) : String(n)
    case 'ideographDigital':
    case 'taiwaneseDigital':
      return [...String(n)].map((digit) => IDEOGRAPH_DIGITS[Number(digit)]).join('')
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCodePoint(0x2460 + n - 1) : String(n)
    case 'upperLetter':
      return n >= 1 ? letters(n) : null
    case 'lowerLetter':
      return n >= 1 ? letters(n).toLowerCase() : null
    case 'upperRoman':
      return n >= 1 ? roman(n) : null
    case 'lowerRoman':
      return n >= 1 ? roman(n).toLowerCase() : null
    default:
      return null
  }
}

export class ListNumbering {
  /** numId → its levels (those of its abstract numbering, with its own start overrides). */
  private readonly lists = new Map<string, Map<number, Level>>()
  /**
   * numId → the list it counts in: its abstract numbering, shared by every w:num that points to it
   * (Word continues the count across them), or its own when it restarts the numbering (lvlOverride).
   */
  private readonly counterOf = new Map<string, string>()
  /** styleId → its numbering (own or inherited through `w:basedOn`). */
  private readonly styles = new Map<string, { numPr: NumPr | null; basedOn: string | null }>()
  private readonly counters = new Map<string, number[]>()

  constructor(numbering: Document | null, styles: Document | null) {
    const abstract = new Map<string, Map<number, Level>>()
    for (const el of Array.from(numbering?.getElementsByTagNameNS(W, 'abstractNum') ?? [])) abstract.set(el.getAttributeNS(W, 'abstractNumId') ?? '', levelsOf(el))
    for (const num of Array.from(numbering?.getElementsByTagNameNS(W, 'num') ?? [])) {
      const abstractId = val(child(num, 'abstractNumId')) ?? ''
      const numId = num.getAttributeNS(W, 'numId') ?? ''
      this.counterOf.set(numId, children(num, 'lvlOverride').length > 0 ? `num:${numId}` : `abstract:${abstractId}`)
      const levels = new Map(abstract.get(abstractId) ?? [])
      for (const override of children(num, 'lvlOverride')) {
        const ilvl = Number(override.getAttributeNS(W, 'ilvl') ?? 0)
        const start = val(child(override, 'startOverride'))
        const own = child(override, 'lvl')
        const level = own ? levelsOf({ lvls: [own] }).get(ilvl) ?? levels.get(ilvl) : levels.get(ilvl)
        if (level) levels.set(ilvl, start !== null ? { ...level, start: Number(start) } : level)
      }
      this.lists.set(numId, levels)
    }
    for (const style of Array.from(styles?.getElementsByTagNameNS(W, 'style') ?? [])) {
      this.styles.set(style.getAttributeNS(W, 'styleId') ?? '', { numPr: numPrOf(child(style, 'pPr')), basedOn: val(child(style, 'basedOn')) })
    }
  }

  /** The label Word draws in front of the paragraph with properties `pPr` ('' when none), counting it. */
  label(pPr: El | undefined): string {
    const own = numPrOf(pPr)
    const styled = this.styleNumPr(val(child(pPr, 'pStyle')))
    const numId = own?.numId ?? styled?.numId ?? null
    const ilvl = own?.ilvl ?? styled?.ilvl ?? 0
    const levels = numId !== null && numId !== '0' ? this.lists.get(numId) : undefined
    const level = levels?.get(ilvl)
    if (!levels || !level) return ''
    const key = this.counterOf.get(numId!) ?? numId!
    const counts = this.counters.get(key) ?? []
    counts[ilvl] = (counts[ilvl] ?? level.start - 1) + 1
    counts.length = ilvl + 1
    this.counters.set(key, counts)
    if (level.format === 'bullet' || level.format === 'none') return ''
    let complete = true
    const label = level.text.replace(/%([1-9])/g, (_, digit: string) => {
      const at = Number(digit) - 1
      const formatted = formatNumber(counts[at] ?? levels.get(at)?.start ?? 1, levels.get(at)?.format ?? 'decimal')
      if (formatted === null) complete = false
      return formatted ?? ''
    })
    return complete ? label : ''
  }

  private styleNumPr(styleId: string | null): NumPr | null {
    for (let id = styleId, depth = 0; id !== null && depth < 10; depth++) {
      const style = this.styles.get(id)
      if (!style) return null
      if (style.numPr) return style.numPr
      id = style.basedOn
    }
    return null
  }
}

function levelsOf(container: Node | { lvls: El[] }): Map<number, Level> {
  const levels = new Map<number, Level>()
  const lvls = 'lvls' in container ? container.lvls : children(container, 'lvl')
  for (const lvl of lvls) {
    const start = val(child(lvl, 'start'))
    levels.set(Number(lvl.getAttributeNS(W, 'ilvl') ?? 0), {
      start: start === null ? 1 : Number(start),
      format: val(child(lvl, 'numFmt')) ?? 'decimal',
      text: val(child(lvl, 'lvlText')) ?? '',
    })
  }
  return levels
}
