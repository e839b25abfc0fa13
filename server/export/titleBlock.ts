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

/** The width the text takes on the line, in twips. */
export function lineWidth(text: string): number {
  let width = 0
  for (const char of text) width += /[\u0020-\u007e]/u.test(char) ? HALF_WIDTH_PITCH : CHAR_PITCH
  return width
}

/** Right indents (twips) of the unit and the date lines that give 7.3.5.2's layout. */
export function signatureIndents(unit: string, date: string): { unit: number; date: number } {
  if (unit === '') return { unit: TWO_CHARS, date: TWO_CHARS }
  const unitWidth = lineWidth(unit)
  const dateWidth = lineWidth(date)
  // Right-aligned, a line starts at (line end − indent − width); the date starts two characters after the unit.
  const dateIndent = TWO_CHARS + unitWidth - dateWidth - TWO_CHARS
  if (dateIndent >= TWO_CHARS) return { unit: TWO_CHARS, date: dateIndent }
  // The date is the longer line: it is 右空二字 and the unit moves left (its indent grows) to start two characters before it.
  return { unit: TWO_CHARS + dateWidth + TWO_CHARS - unitWidth, date: TWO_CHARS }
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

/** Alignment and indent of a 署名 or 落款 paragraph (`rightIndent` from `signatureIndents`). */
export function titleBlockLayout(kind: TitleBlockKind, rightIndent = 0): Pick<IParagraphOptions, 'alignment' | 'indent' | 'keepNext'> {
  if (kind === 'author') return { alignment: AlignmentType.CENTER }
  // The unit never ends a page alone: it keeps with its date.
  return { alignment: AlignmentType.RIGHT, indent: { right: rightIndent }, ...(kind === 'signatureUnit' ? { keepNext: true } : {}) }
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
