/**
 * Inline content (text, hard breaks and their marks) → docx runs.
 *
 * One `RunWriter` serves a whole export: it hands out revision ids, knows which placeholders are still
 * unfilled and where each comment thread's anchor ends, so runs from many paragraphs fit together.
 */

import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model'
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  HighlightColor,
  InsertedTextRun,
  TextRun,
  UnderlineType,
  type IRunOptions,
  type ParagraphChild,
} from 'docx'
import type { PlaceholderInfo } from '../../shared/editor/lib/analyzeReport'
import { CHARACTER_SPACING, runFonts, SIZE, type RunStyle } from './layout'
import type { ExportMode } from '../../shared/contract'

export type { ExportMode } from '../../shared/contract'

/** `w:ins`/`w:del` attributes. */
export interface Revision {
  id: number
  author: string
  date: string
}

/** A suggested paragraph split (insertion) or join (deletion) recorded by a zero-width space at a textblock's edge. */
export type BreakSuggestion = { type: 'insertion' | 'deletion'; mark: Mark }

export interface InlineResult {
  children: ParagraphChild[]
  /** Zero-width space at the start: a suggestion about the paragraph mark *before* this block. */
  leading: BreakSuggestion | null
  /** Zero-width space at the end: a suggestion about this block's own paragraph mark. */
  trailing: BreakSuggestion | null
  /** Whether the block has content and all of it is suggested insertion (a suggested new paragraph). */
  allInserted: boolean
}

/** Zero-width spaces mark suggested paragraph splits and joins; they are never text. */
const ZERO_WIDTH = /\u200B/g

/** Author shown for a suggestion that carries no name (created by an old client). */
export const UNKNOWN_AUTHOR = '未署名'

/** ISO 8601 to the second, as Word writes `w:date`; `fallback` when missing or unreadable. */
export function wordDate(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value === '') return fallback
  const time = Date.parse(value)
  if (Number.isNaN(time)) return fallback
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

interface CommentAnchorState {
  /** The thread's Word comments: the first message, then the replies (each anchored on the same text, as Word does). */
  ids: readonly number[]
  /** Position after the last text carrying the thread's mark. */
  end: number
  started: boolean
  ended: boolean
}

export interface RunWriterOptions {
  mode: ExportMode
  /** Unfilled placeholders (ranges in the document), highlighted in 'as-is' mode. */
  unfilled: readonly Pick<PlaceholderInfo, 'from' | 'to'>[]
  /** Comment threads to anchor: thread id → Word comment ids and where its anchor ends. */
  comments: ReadonlyMap<string, { ids: readonly number[]; end: number }>
  /** First free `w:id` for tracked changes. */
  firstRevisionId: number
  /** `w:date` for suggestions without a usable time. */
  now: string
}

export class RunWriter {
  private nextRevisionId: number
  private readonly comments: Map<string, CommentAnchorState>

  constructor(private readonly options: RunWriterOptions) {
    this.nextRevisionId = options.firstRevisionId
    this.comments = new Map([...options.comments].map(([threadId, anchor]) => [threadId, { ...anchor, started: false, ended: false }]))
  }

  get mode(): ExportMode {
    return this.options.mode
  }

  /** A fresh `w:ins`/`w:del` record from a suggestion mark's attributes. */
  revision(mark: Mark): Revision {
    const { authorName, authorId, createdAt } = mark.attrs as { authorName?: unknown; authorId?: unknown; createdAt?: unknown }
    const author = typeof authorName === 'string' && authorName !== '' ? authorName : typeof authorId === 'string' && authorId !== '' ? authorId : UNKNOWN_AUTHOR
    return { id: this.nextRevisionId++, author, date: wordDate(createdAt, this.options.now) }
  }

  /** Runs for a plain string in `style` (ordinals, fixed text). */
  text(text: string, style: RunStyle): ParagraphChild[] {
    return text === '' ? [] : [new TextRun({ ...this.format(style, []), text })]
  }

  /** The runs of a textblock's content, which starts at document position `contentStart`. */
  inline(block: ProseMirrorNode, contentStart: number, style: RunStyle): InlineResult {
    const children: ParagraphChild[] = []
    let inserted = 0
    block.forEach((inline, offset) => {
      const from = contentStart + offset
      const to = from + inline.nodeSize
      const insertion = inline.marks.find((mark) => mark.type.name === 'insertion')
      const deletion = inline.marks.find((mark) => mark.type.name === 'deletion')
      if (insertion) inserted++
      const threads = this.mode === 'as-is' ? this.threadsOf(inline) : []

      for (const thread of threads) {
        if (thread.started) continue
        thread.started = true
        children.push(...thread.ids.map((id) => new CommentRangeStart(id)))
      }

      // A clean copy is the document without its pending suggestions: suggested text is left out and
      // text suggested for deletion stays as ordinary text.
      const skip = this.mode === 'clean' && insertion !== undefined
      const text = inline.isText ? (inline.text ?? '').replace(ZERO_WIDTH, '') : ''
      const isBreak = inline.type.name === 'hardBreak'
      if (!skip && (text !== '' || isBreak)) {
        const options: IRunOptions = {
          ...this.format(style, inline.marks, this.isUnfilled(from, to) && inline.marks.some((m) => m.type.name === 'placeholder')),
          ...(isBreak ? { break: 1 } : { text }),
        }
        if (this.mode === 'as-is' && insertion) children.push(new InsertedTextRun({ ...options, ...this.revision(insertion) }))
        else if (this.mode === 'as-is' && deletion) children.push(new DeletedTextRun({ ...options, ...this.revision(deletion) }))
        else children.push(new TextRun(options))
      }

      for (const thread of threads) {
        if (thread.ended || to < thread.end) continue
        thread.ended = true
        for (const id of thread.ids) children.push(new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] }))
      }
    })
    return {
      children,
      leading: breakSuggestion(block.firstChild, (text) => text.startsWith('\u200B')),
      trailing: breakSuggestion(block.lastChild, (text) => text.endsWith('\u200B')),
      allInserted: block.childCount > 0 && inserted === block.childCount,
    }
  }

  private threadsOf(inline: ProseMirrorNode): CommentAnchorState[] {
    const threads: CommentAnchorState[] = []
    for (const mark of inline.marks) {
      if (mark.type.name !== 'comment') continue
      const thread = this.comments.get(String(mark.attrs.threadId))
      if (thread && !threads.includes(thread)) threads.push(thread)
    }
    return threads
  }

  private isUnfilled(from: number, to: number): boolean {
    return this.mode === 'as-is' && this.options.unfilled.some((placeholder) => placeholder.from <= from && to <= placeholder.to)
  }

  private format(style: RunStyle, marks: readonly Mark[], highlight = false): IRunOptions {
    const has = (name: string) => marks.some((mark) => mark.type.name === name)
    return {
      font: runFonts(style),
      size: style.size,
      ...(style.size === SIZE.body ? { characterSpacing: CHARACTER_SPACING } : {}),
      ...(style.bold || has('bold') ? { bold: true } : {}),
      ...(has('italic') ? { italics: true } : {}),
      ...(has('underline') ? { underline: { type: UnderlineType.SINGLE } } : {}),
      ...(has('strike') ? { strike: true } : {}),
      ...(highlight ? { highlight: HighlightColor.YELLOW } : {}),
    }
  }
}

function breakSuggestion(inline: ProseMirrorNode | null, atEdge: (text: string) => boolean): BreakSuggestion | null {
  if (!inline?.isText || !atEdge(inline.text ?? '')) return null
  for (const mark of inline.marks) {
    if (mark.type.name === 'insertion' || mark.type.name === 'deletion') return { type: mark.type.name, mark }
  }
  return null
}
