/**
 * The 署名 line and the 落款 in the .docx (GB/T 9704-2012):
 * - the 署名 under the title: centred, 3号楷体, the blank line (标题下空一行) after it instead of after the title;
 * - the 落款 (7.3.5.2, 不加盖印章的公文): 「在正文下空一行右空二字编排发文机关署名，在发文机关署名下一行编排成文日期，
 *   首字比发文机关署名首字右移二字，如成文日期长于发文机关署名，应当使发文机关署名右移，使成文日期右空二字编排」.
 *   Both lines are right-aligned with right indents computed from their widths so that this holds.
 *   (7.3.5.1's 「成文日期一般右空四字」 is for sealed documents, whose seal a Word export cannot carry.)
 */

import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { AlignmentType, type IParagraphOptions } from 'docx'
import { BODY_STYLE, CHARS_PER_LINE, FONT, TEXT_AREA, type RunStyle } from './layout'
import { officialDateLine } from '../../shared/report/officialDate'
import type { ExportMode } from './runs'

/** 署名 in 3号楷体, the face of a 2nd-level heading. */
export const AUTHOR_STYLE: RunStyle = { eastAsia: FONT.level2, latin: FONT.level2, size: BODY_STYLE.size, bold: false }
export const SIGNATURE_STYLE: RunStyle = BODY_STYLE

/** One character of 3号 with its letter spacing: the 版心 holds 28 of them. */
const CHAR_PITCH = Math.floor(TEXT_AREA.width / CHARS_PER_LINE)
/** Half-width characters (Arabic digits of the date, Latin letters) are half an em narrower. */
const HALF_WIDTH_PITCH = CHAR_PITCH - BODY_STYLE.size * 5
const TWO_CHARS = 2 * CHAR_PITCH

/**
 * The width the text takes on the line, in twips. Word and LibreOffice put a little space between Chinese
 * and digits (「2023 年 1 月」, about a quarter of a character each time), counted here too.
 */
export function lineWidth(text: string): number {
  let width = 0
  let previousHalf: boolean | null = null
  for (const char of text) {
    const half = /[\u0020-\u007e]/u.test(char)
    width += half ? HALF_WIDTH_PITCH : CHAR_PITCH
    if (previousHalf !== null && previousHalf !== half) width += CHAR_PITCH / 4
    previousHalf = half
  }
  return Math.round(width)
}

/** Where a 落款 line sits: right-aligned with a right indent, or left-aligned with a left indent (twips). */
export type LinePlacement = { align: 'right'; indent: number } | { align: 'left'; indent: number }

/**
 * The two lines of 7.3.5.2's layout. The longer line is right-aligned 右空二字, which is exact; the other is
 * placed from the left so that the date starts two characters after the unit. When the unit is the
 * longer line (the usual case: 「中共XX市XX局党组」), that depends only on the unit's width, all Chinese
 * characters of one pitch, so the date's first character lands exactly where the standard puts it
 * whatever the digits' widths in the reader's font.
 */
export function signatureLayout(unit: string, date: string): { unit: LinePlacement; date: LinePlacement } {
  const right: LinePlacement = { align: 'right', indent: TWO_CHARS }
  if (unit === '') return { unit: right, date: right }
  const unitWidth = lineWidth(unit)
  const dateWidth = lineWidth(date)
  if (unitWidth >= dateWidth + TWO_CHARS) {
    // The unit starts at (width − 2 characters − its width); the date two characters further right.
    return { unit: right, date: { align: 'left', indent: TEXT_AREA.width - unitWidth } }
  }
  // The date is the longer line: 右空二字, and the unit starts two characters before it.
  return { unit: { align: 'left', indent: Math.max(0, TEXT_AREA.width - TWO_CHARS - dateWidth - TWO_CHARS) }, date: right }
}

/** The text a line shows in the export: 'clean' leaves suggested insertions out, zero-width spaces are no text. */
export function exportedText(block: ProseMirrorNode, mode: ExportMode): string {
  let text = ''
  block.forEach((inline) => {
    if (mode === 'clean' && inline.marks.some((mark) => mark.type.name === 'insertion')) return
    text += inline.text ?? ''
  })
  return text.replace(/\u200B/gu, '')
}

export type TitleBlockKind = 'author' | 'signatureUnit' | 'signatureDate'

export const isTitleBlockKind = (kind: string): kind is TitleBlockKind =>
  kind === 'author' || kind === 'signatureUnit' || kind === 'signatureDate'

/** Alignment and indent of a 署名 or 落款 paragraph (the placement from `signatureLayout`). */
export function titleBlockLayout(kind: TitleBlockKind, placement?: LinePlacement): Pick<IParagraphOptions, 'alignment' | 'indent' | 'keepNext'> {
  if (kind === 'author' || !placement) return { alignment: AlignmentType.CENTER }
  return {
    ...(placement.align === 'right'
      ? { alignment: AlignmentType.RIGHT, indent: { right: placement.indent } }
      : { alignment: AlignmentType.LEFT, indent: { left: placement.indent } }),
    // The unit never ends a page alone: it keeps with its date.
    ...(kind === 'signatureUnit' ? { keepNext: true } : {}),
  }
}

/**
 * The 成文日期 as the standard writes it when the line is a plain date typed another way (2023-01-15,
 * 二〇二三年一月十五日, 2023年01月15日), else null (already right, masked, or carrying marks to keep).
 */
export function standardDate(date: ProseMirrorNode): string | null {
  const only = date.childCount === 1 ? date.firstChild : null
  if (!only?.isText || only.marks.length > 0) return null
  const official = officialDateLine(only.text ?? '')
  return official !== null && official !== only.text ? official : null
}
