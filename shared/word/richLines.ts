/**
 * Lines of annotated text for the report importer (`buildReport`): each character knows its marks
 * (suggestion, comment anchors), so slicing off an ordinal or splitting a run-in heading keeps them.
 */

import { toInlines } from '../report/inlines'
import type { LineOps } from '../report/importText'
import type { Inline, InlineMark } from '../report/model'
import { newId } from '../editor/lib/ids'

/** Marks a suggested paragraph split or join, as prosemirror-suggest-changes writes it. */
export const ZERO_WIDTH = '\u200B'

export interface RichLine {
  text: string
  /** The marks of each UTF-16 unit of `text`; units of one stretch share the same array. */
  marks: (readonly InlineMark[])[]
  /** A zero-width marker before the text (the previous paragraph mark's revision), kept only by slices from 0. */
  lead: readonly InlineMark[] | null
}

export function richLine(parts: readonly { text: string; marks: readonly InlineMark[] }[], lead: readonly InlineMark[] | null = null): RichLine {
  const line: RichLine = { text: '', marks: [], lead }
  for (const part of parts) {
    line.text += part.text
    for (let i = 0; i < part.text.length; i++) line.marks.push(part.marks)
  }
  return line
}

/** The line without whitespace at either end (the official two-character indent included). */
export function trimLine(line: RichLine): RichLine {
  const start = line.text.length - line.text.trimStart().length
  const end = line.text.trimEnd().length
  return start === 0 && end === line.text.length ? line : slice(line, start, Math.max(start, end))
}

export function withTrailingMarker(line: RichLine, marks: readonly InlineMark[]): RichLine {
  return { text: line.text + ZERO_WIDTH, marks: [...line.marks, marks], lead: line.lead }
}

function slice(line: RichLine, from: number, to: number): RichLine {
  return { text: line.text.slice(from, to), marks: line.marks.slice(from, to), lead: from === 0 ? line.lead : null }
}

/** Masks found on the whole text, then cut wherever the marks change; a cut placeholder keeps one id. */
function inlines(line: RichLine): Inline[] {
  const out: Inline[] = line.lead ? [{ type: 'text', text: ZERO_WIDTH, marks: [...line.lead] }] : []
  let offset = 0
  for (const inline of toInlines(line.text)) {
    const end = offset + inline.text.length
    const id = inline.type === 'placeholder' ? newId('ph') : undefined
    let start = offset
    for (let i = offset + 1; i <= end; i++) {
      if (i < end && line.marks[i] === line.marks[start]) continue
      const marks = line.marks[start]
      const text = line.text.slice(start, i)
      const piece: Inline = inline.type === 'placeholder' ? { type: 'placeholder', text, kind: inline.kind, id: id! } : { type: 'text', text }
      out.push(marks.length > 0 ? { ...piece, marks: [...marks] } : piece)
      start = i
    }
    offset = end
  }
  return out
}

export const RICH_LINES: LineOps<RichLine> = { text: (line) => line.text, slice, inlines, richTitle: true }
