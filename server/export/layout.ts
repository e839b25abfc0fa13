/**
 * Page layout of an official document (党政机关公文格式, GB/T 9704-2012) in Word's units.
 *
 * Word measures lengths in twips (1/20 pt, 1440 per inch) and font sizes in half-points. The standard
 * gives millimetres and Chinese font sizes (号), so every number here is derived from those, never
 * typed in as a magic twips value.
 */

import type { HeadingLevel } from '../../shared/report/numbering'

/** 1 mm in twips: 1440 twips per inch, 25.4 mm per inch. */
export const TWIPS_PER_MM = 1440 / 25.4

/** Millimetres → whole twips, rounded to the nearest (Word stores integers). */
export function mmToTwips(mm: number): number {
  return Math.round(mm * TWIPS_PER_MM)
}

/** Points → twips. */
export function ptToTwips(pt: number): number {
  return Math.round(pt * 20)
}

/** A4, 210 × 297 mm. */
export const PAGE_MM = { width: 210, height: 297 } as const

/** 天头 37 mm, 订口 28 mm; the rest gives the 156 × 225 mm 版心. */
export const MARGIN_MM = { top: 37, bottom: 35, left: 28, right: 26 } as const

export const PAGE_SIZE = { width: mmToTwips(PAGE_MM.width), height: mmToTwips(PAGE_MM.height) } as const

export const PAGE_MARGIN = {
  top: mmToTwips(MARGIN_MM.top),
  bottom: mmToTwips(MARGIN_MM.bottom),
  left: mmToTwips(MARGIN_MM.left),
  right: mmToTwips(MARGIN_MM.right),
} as const

/** The 版心 (type area) in twips. */
export const TEXT_AREA = {
  width: PAGE_SIZE.width - PAGE_MARGIN.left - PAGE_MARGIN.right,
  height: PAGE_SIZE.height - PAGE_MARGIN.top - PAGE_MARGIN.bottom,
} as const

/** 一般每面排22行，每行排28个字. */
export const LINES_PER_PAGE = 22
export const CHARS_PER_LINE = 28

/** Chinese font sizes (字号) in points. */
export const FONT_SIZE_PT = { 二号: 22, 三号: 16, 四号: 14 } as const

/** docx's `size` is in half-points. */
export const halfPoints = (pt: number): number => Math.round(pt * 2)

export const SIZE = {
  /** 标题 2号. */
  title: halfPoints(FONT_SIZE_PT.二号),
  /** 正文与各层标题 3号. */
  body: halfPoints(FONT_SIZE_PT.三号),
  /** 页码 4号. */
  pageNumber: halfPoints(FONT_SIZE_PT.四号),
} as const

/**
 * Document grid pitch: the type area split into 22 lines, rounded down so that 22 lines always fit
 * (225 mm / 22 = 579.8 twips → 579, the value Word's 公文 templates carry).
 */
export const LINE_PITCH = Math.floor(TEXT_AREA.height / LINES_PER_PAGE)

/** Exact line spacing of every paragraph: 28.9 pt, just under the grid pitch. */
export const LINE_SPACING_PT = 28.9
export const LINE_SPACING = ptToTwips(LINE_SPACING_PT)

/**
 * Letter spacing (`w:spacing`, in twentieths of a point = twips) that fits 28 characters of 3号 on the
 * 156 mm line: the type-area width over 28, minus the font size, rounded down. Set on the runs rather
 * than through a character grid (`w:charSpace`), which LibreOffice lays out as two grid cells per
 * character; letter spacing gives 28 per line in Word, WPS and LibreOffice alike.
 */
export const CHARACTER_SPACING = Math.floor(TEXT_AREA.width / CHARS_PER_LINE - FONT_SIZE_PT.三号 * 20)

/** 首行缩进两个字: in hundredths of a character, and in twips as a fallback for readers ignoring the former. */
export const FIRST_LINE_CHARS = 200
export const FIRST_LINE_TWIPS = 2 * ptToTwips(FONT_SIZE_PT.三号)

/**
 * 页码位于版心下边缘之下，一字线上距版心下边缘7 mm. The page number's line is exactly one 4号 character
 * high, and the footer distance (page bottom edge → bottom of the footer) is 35 mm − 7 mm − that line,
 * so the number's top sits 7 mm under the type area.
 */
export const PAGE_NUMBER_LINE = ptToTwips(FONT_SIZE_PT.四号)
export const FOOTER_DISTANCE = mmToTwips(MARGIN_MM.bottom - 7) - PAGE_NUMBER_LINE
/** 单页码居右空一字，双页码居左空一字: one 4号 character. */
export const PAGE_NUMBER_INDENT = ptToTwips(FONT_SIZE_PT.四号)
/** Header distance stays Word's usual 15 mm; the document has no header. */
export const HEADER_DISTANCE = mmToTwips(15)

export const FONT = {
  /** Latin letters and digits (ascii/hAnsi/cs). */
  latin: 'Times New Roman',
  body: '仿宋_GB2312',
  title: '方正小标宋简体',
  level1: '黑体',
  level2: '楷体_GB2312',
  pageNumber: '宋体',
} as const

/** The look of a run before its own marks (bold, italic, …) are applied. */
export interface RunStyle {
  /** Font for Chinese (w:eastAsia). */
  eastAsia: string
  /** Font for Latin letters and digits (w:ascii, w:hAnsi, w:cs). */
  latin: string
  /** Half-points. */
  size: number
  bold: boolean
}

export const BODY_STYLE: RunStyle = { eastAsia: FONT.body, latin: FONT.latin, size: SIZE.body, bold: false }

/** Display fonts set digits and Latin letters in the same face, as typesetters do in titles and 黑体/楷体 headings. */
export const TITLE_STYLE: RunStyle = { eastAsia: FONT.title, latin: FONT.title, size: SIZE.title, bold: false }

/** 第一层黑体，第二层楷体，第三层仿宋加粗，第四层仿宋; all 3号. */
export const HEADING_STYLE: Readonly<Record<HeadingLevel, RunStyle>> = {
  1: { eastAsia: FONT.level1, latin: FONT.level1, size: SIZE.body, bold: false },
  2: { eastAsia: FONT.level2, latin: FONT.level2, size: SIZE.body, bold: false },
  3: { ...BODY_STYLE, bold: true },
  4: BODY_STYLE,
}

/** 4号半角宋体阿拉伯数字. */
export const PAGE_NUMBER_STYLE: RunStyle = { eastAsia: FONT.pageNumber, latin: FONT.pageNumber, size: SIZE.pageNumber, bold: false }

/** docx `font` option: Chinese in `eastAsia`, Latin text and digits in the other slots. */
export function runFonts(style: Pick<RunStyle, 'eastAsia' | 'latin'>) {
  return { ascii: style.latin, hAnsi: style.latin, cs: style.latin, eastAsia: style.eastAsia }
}
