/**
 * The comment threads listed after the report, for the PDF: a PDF shows no Word comments in print, so a
 * reader of the PDF finds them at the end under 「批注」, each with the words it is about, who wrote each
 * message and when.
 */

import { AlignmentType, LineRuleType, PageBreak, Paragraph, TextRun } from 'docx'
import type { CommentThread } from '../../shared/comments/threads'
import type { CommentAnchor } from '../../shared/editor/lib/analyzeReport'
import { BODY_STYLE, HEADING_STYLE, LINE_SPACING, runFonts, type RunStyle } from './layout'

export const COMMENT_LIST_HEADING = '批注'

/** 2024-03-06 in Beijing time, the way dates are written in a report. */
function day(iso: string): string {
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return ''
  return new Date(time + 8 * 3600_000).toISOString().slice(0, 10)
}

const run = (text: string, style: RunStyle) => new TextRun({ text, font: runFonts(style), size: style.size, ...(style.bold ? { bold: true } : {}) })
const spacing = { line: LINE_SPACING, lineRule: LineRuleType.EXACT, before: 0, after: 0 }

export function commentListParagraphs(anchors: readonly CommentAnchor[], threads: readonly CommentThread[]): Paragraph[] {
  const byId = new Map(threads.map((thread) => [thread.id, thread]))
  const listed = anchors.flatMap((anchor) => {
    const thread = byId.get(anchor.threadId)
    return thread && thread.messages.length > 0 ? [{ anchor, thread }] : []
  })
  if (listed.length === 0) return []
  const paragraphs = [
    new Paragraph({ children: [new PageBreak(), run(COMMENT_LIST_HEADING, HEADING_STYLE[1])], alignment: AlignmentType.CENTER, spacing }),
  ]
  listed.forEach(({ anchor, thread }, index) => {
    const state = thread.resolved ? '（已解决）' : ''
    paragraphs.push(new Paragraph({ spacing, children: [run(`${index + 1}. 「${anchor.text.replace(/\u200B/g, '')}」${state}`, HEADING_STYLE[2])] }))
    for (const message of thread.messages) {
      paragraphs.push(
        new Paragraph({
          spacing,
          indent: { left: 2 * 320 },
          children: [run(`${message.authorName}（${day(message.createdAt)}）：`, { ...BODY_STYLE, bold: true }), run(message.text.replace(/\n/g, ' '), BODY_STYLE)],
        }),
      )
    }
  })
  return paragraphs
}
