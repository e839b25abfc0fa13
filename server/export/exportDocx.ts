/**
 * Report → .docx laid out as an official document (党政机关公文格式, GB/T 9704-2012): A4, 37/35/28/26 mm
 * margins, 22 lines of 28 characters of 3号仿宋, 2号小标宋 title, 黑体/楷体/仿宋 headings whose ordinals
 * (一、/（一）/1./（1）) are derived from their position, and 「— N —」 page numbers in 4号宋体 on the
 * outer side of each page.
 *
 * Two modes:
 * - 'as-is' (送审稿): the document as the drafters see it. Unfilled placeholders are highlighted, pending
 *   suggestions become Word tracked changes and open comment threads Word comments.
 * - 'clean' (定稿): the document without its pending suggestions and without comments. Refused with
 *   `ExportBlockedError` while any placeholder is unfilled.
 */

import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import {
  AlignmentType,
  Document,
  DocumentGridType,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  type ICommentOptions,
  type IParagraphOptions,
  type ParagraphChild,
} from 'docx'
import { analyzeReport, type ReportAnalysis } from '../../shared/editor/lib/analyzeReport'
import type { CommentThread } from '../../shared/comments/threads'
import { reviewStructural } from '../../shared/editor/suggestions/structural'
import { withStructuralComments } from './structuralComments'
import type { HeadingLevel } from '../../shared/report/numbering'
import { commentListParagraphs } from './commentList'
import { polishDocx } from './polish'
import { ExportBlockedError } from './errors'
import {
  BODY_STYLE,
  CHARACTER_SPACING,
  FIRST_LINE_CHARS,
  FIRST_LINE_TWIPS,
  FOOTER_DISTANCE,
  HEADER_DISTANCE,
  HEADING_STYLE,
  LINE_PITCH,
  LINE_SPACING,
  PAGE_MARGIN,
  PAGE_NUMBER_INDENT,
  PAGE_NUMBER_LINE,
  PAGE_NUMBER_STYLE,
  PAGE_SIZE,
  TITLE_STYLE,
  runFonts,
  type RunStyle,
} from './layout'
import { RunWriter, wordDate, type BreakSuggestion, type ExportMode, type Revision } from './runs'
import { AUTHOR_STYLE, exportedText, isTitleBlockKind, SIGNATURE_STYLE, signatureLayout, standardDate, titleBlockLayout, type LinePlacement, type TitleBlockKind } from './titleBlock'

export { ExportBlockedError, type BlockingPlaceholder } from './errors'
export type { ExportMode } from './runs'

export interface ExportDocxOptions {
  mode: ExportMode
  /** The document's comment threads (`readThreads(ydoc)`); only used in 'as-is' mode, resolved ones marked done. */
  threads?: CommentThread[]
  /** Title in the file's properties; the report's own title when not given. */
  title?: string
  /** For the PDF: list the comment threads after the report (a PDF shows no Word comments in print). */
  commentList?: boolean
  /** For the PDF when 方正小标宋简体 is missing: the stand-in Song face is light, so the title is set bold. */
  boldTitle?: boolean
}

/** Who the file says created it (docProps/core.xml). */
export const CREATOR = '会稿'

type ParagraphKind = 'title' | 'heading' | 'body' | TitleBlockKind

/** One Word paragraph before it becomes a docx `Paragraph`: a textblock, or a run-in heading with its first paragraph. */
interface Block {
  kind: ParagraphKind
  /** For standalone headings: drives keep-with-next and the outline level. */
  level?: HeadingLevel
  children: ParagraphChild[]
  leading: BreakSuggestion | null
  trailing: BreakSuggestion | null
  allInserted: boolean
  /** 落款 lines: where the line sits (titleBlock.ts). */
  placement?: LinePlacement
  /** Set for 'as-is': the paragraph mark itself is a suggested insertion (split) or deletion (join). */
  mark?: { type: 'insertion' | 'deletion'; revision: Revision }
}

function withoutStructuralSuggestions(doc: ProseMirrorNode): ProseMirrorNode {
  const tr = new Transform(doc)
  reviewStructural(tr, false, () => true)
  return tr.doc
}

export async function exportDocx(pending: ProseMirrorNode, options: ExportDocxOptions): Promise<Buffer> {
  const { mode } = options
  // Clean leaves pending structural suggestions out too: the sections as they stand, without suggested
  // ones. As-is says each one in a comment on its section's title (structuralComments.ts).
  const { doc, threads } = mode === 'clean' ? { doc: withoutStructuralSuggestions(pending), threads: [] } : withStructuralComments(pending, options.threads ?? [])
  const analysis = analyzeReport(doc)
  if (mode === 'clean' && analysis.unfilled.length > 0) {
    throw new ExportBlockedError(
      analysis.unfilled.map(({ id, kind, text, context, sectionPath }) => ({ id, kind, text, context, sectionPath: [...sectionPath] })),
    )
  }

  const now = wordDate(new Date().toISOString(), '')
  const comments = mode === 'as-is' ? commentsFor(analysis, threads) : []
  const writer = new RunWriter({
    mode,
    unfilled: analysis.unfilled,
    comments: new Map(comments.map((comment) => [comment.threadId, { ids: comment.ids, end: comment.end }])),
    firstRevisionId: comments.reduce((count, comment) => count + comment.ids.length, 0) + 1,
    now,
  })

  const titleStyle = options.boldTitle ? { ...TITLE_STYLE, bold: true } : TITLE_STYLE
  const blocks = settleParagraphMarks(collectDocument(doc, analysis, writer, titleStyle), writer)
  const children = blocks.flatMap((block, index) => {
    const paragraph = toParagraph(block)
    const previous = blocks[index - 1]?.kind
    // 标题下空一行 (after the 署名 when there is one); the 落款 comes one blank line after the body.
    if ((block.kind === 'title' && blocks[index + 1]?.kind !== 'author') || block.kind === 'author') return [paragraph, blankLine()]
    if ((block.kind === 'signatureUnit' || block.kind === 'signatureDate') && previous !== 'signatureUnit') return [blankLine(), paragraph]
    return [paragraph]
  })
  if (mode === 'as-is' && options.commentList) children.push(...commentListParagraphs(analysis.comments, threads))

  const document = new Document({
    title: options.title ?? analysis.title,
    creator: CREATOR,
    lastModifiedBy: CREATOR,
    evenAndOddHeaderAndFooters: true,
    ...(comments.length > 0 ? { comments: { children: comments.flatMap((comment) => comment.options) } } : {}),
    styles: {
      default: {
        document: {
          run: { font: runFonts(BODY_STYLE), size: BODY_STYLE.size, characterSpacing: CHARACTER_SPACING, language: { value: 'en-US', eastAsia: 'zh-CN' } },
          paragraph: { alignment: AlignmentType.JUSTIFIED, spacing: exactSpacing() },
        },
      },
      // The Normal style says 3号 and the letter spacing itself: LibreOffice reads them from the style, not the defaults.
      paragraphStyles: [
        {
          id: 'Normal',
          name: 'Normal',
          quickFormat: true,
          run: { font: runFonts(BODY_STYLE), size: BODY_STYLE.size, characterSpacing: CHARACTER_SPACING },
          paragraph: { alignment: AlignmentType.JUSTIFIED, spacing: exactSpacing() },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE_SIZE.width, height: PAGE_SIZE.height },
            margin: { ...PAGE_MARGIN, header: HEADER_DISTANCE, footer: FOOTER_DISTANCE, gutter: 0 },
          },
          grid: { type: DocumentGridType.LINES, linePitch: LINE_PITCH },
        },
        footers: {
          // Odd pages (the default footer once even pages have their own): number on the right.
          default: pageNumberFooter('right'),
          even: pageNumberFooter('left'),
        },
        children,
      },
    ],
  })
  return polishDocx(await Packer.toBuffer(document))
}

/** A message's text as a Word comment's paragraphs (the author is the comment's own, so no name prefix). */
function commentBody(text: string): Paragraph[] {
  return text.split(/\r?\n/).map((line) => new Paragraph({ children: [new TextRun(line)] }))
}

/**
 * Comment threads still anchored in the text, as Word comments in document order: the first message
 * opens the comment, each reply is a Word reply to it (commentsExtended), a resolved thread is marked done.
 */
function commentsFor(analysis: ReportAnalysis, threads: readonly CommentThread[]): { threadId: string; end: number; ids: number[]; options: ICommentOptions[] }[] {
  const byId = new Map(threads.map((thread) => [thread.id, thread]))
  const comments: { threadId: string; end: number; ids: number[]; options: ICommentOptions[] }[] = []
  let nextId = 0
  for (const anchor of analysis.comments) {
    const thread = byId.get(anchor.threadId)
    if (!thread || thread.messages.length === 0) continue
    const rootId = nextId
    const options = thread.messages.map((message, index): ICommentOptions => {
      const date = Date.parse(message.createdAt)
      return {
        id: nextId++,
        author: message.authorName,
        initials: [...message.authorName][0] ?? '',
        ...(Number.isNaN(date) ? {} : { date: new Date(date) }),
        ...(index > 0 ? { parentId: rootId } : {}),
        ...(thread.resolved ? { resolved: true } : {}),
        children: commentBody(message.text),
      }
    })
    comments.push({ threadId: thread.id, end: anchor.to, ids: options.map((option) => option.id), options })
  }
  return comments
}

function collectDocument(doc: ProseMirrorNode, analysis: ReportAnalysis, writer: RunWriter, titleStyle: RunStyle): Block[] {
  const ordinals = new Map(analysis.sections.map((section) => [section.pos, section.ordinal]))
  const blocks: Block[] = []
  const title = doc.firstChild
  let start = 0
  if (title?.type.name === 'reportTitle') {
    start = 1
    if (title.content.size > 0) blocks.push({ kind: 'title', ...writer.inline(title, 1, titleStyle) })
    const author = doc.childCount > 1 ? doc.child(1) : null
    if (author?.type.name === 'reportAuthor') {
      start = 2
      if (author.content.size > 0) blocks.push({ kind: 'author', ...writer.inline(author, title.nodeSize + 1, AUTHOR_STYLE) })
    }
  }
  collectContainer(doc, 0, start, ordinals, writer, blocks)
  return blocks
}

/** Blocks of `container`'s children from `startIndex` on; `contentStart` is the position of its first child. */
function collectContainer(
  container: ProseMirrorNode,
  contentStart: number,
  startIndex: number,
  ordinals: ReadonlyMap<number, string>,
  writer: RunWriter,
  blocks: Block[],
): void {
  let pos = contentStart
  for (let index = 0; index < container.childCount; index++) {
    const child = container.child(index)
    const childPos = pos
    pos += child.nodeSize
    if (index < startIndex) continue
    if (child.type.name === 'section') {
      collectSection(child, childPos, ordinals, writer, blocks)
    } else if (child.type.name === 'reportSignature') {
      collectSignature(child, childPos, writer, blocks)
    } else if (child.isTextblock) {
      blocks.push({ kind: 'body', ...writer.inline(child, childPos + 1, BODY_STYLE) })
    }
  }
}

function collectSection(section: ProseMirrorNode, pos: number, ordinals: ReadonlyMap<number, string>, writer: RunWriter, blocks: Block[]): void {
  const level = section.attrs.level as HeadingLevel
  const style: RunStyle = HEADING_STYLE[level] ?? BODY_STYLE
  const title = section.firstChild
  const titlePos = pos + 1
  const heading = title ? writer.inline(title, titlePos + 1, style) : { children: [], leading: null, trailing: null, allInserted: false }
  const headingRuns = [...writer.text(ordinals.get(pos) ?? '', style), ...heading.children]

  const lead = section.childCount > 1 ? section.child(1) : null
  if (section.attrs.runIn === true && lead?.type.name === 'paragraph') {
    // 段中标题: the heading, in its own font, opens its first paragraph.
    const leadPos = titlePos + (title?.nodeSize ?? 0)
    const body = writer.inline(lead, leadPos + 1, BODY_STYLE)
    blocks.push({ kind: 'body', children: [...headingRuns, ...body.children], leading: heading.leading, trailing: body.trailing, allInserted: false })
    collectContainer(section, pos + 1, 2, ordinals, writer, blocks)
  } else {
    blocks.push({ kind: 'heading', level, children: headingRuns, leading: heading.leading, trailing: heading.trailing, allInserted: false })
    collectContainer(section, pos + 1, 1, ordinals, writer, blocks)
  }
}

/**
 * The 落款: the unit (left out when empty) over the date, with the right indents of GB/T 9704 7.3.5.2; a
 * plain date typed another way is written in the standard's form.
 */
function collectSignature(signature: ProseMirrorNode, pos: number, writer: RunWriter, blocks: Block[]): void {
  const unit = signature.firstChild
  const date = signature.lastChild
  if (!unit || !date || signature.childCount !== 2) return
  const fixedDate = standardDate(date)
  const layout = signatureLayout(exportedText(unit, writer.mode), fixedDate ?? exportedText(date, writer.mode))
  const unitPos = pos + 1
  if (unit.content.size > 0) blocks.push({ kind: 'signatureUnit', placement: layout.unit, ...writer.inline(unit, unitPos + 1, SIGNATURE_STYLE) })
  const dateRuns = fixedDate
    ? { children: writer.text(fixedDate, SIGNATURE_STYLE), leading: null, trailing: null, allInserted: false }
    : writer.inline(date, unitPos + unit.nodeSize + 1, SIGNATURE_STYLE)
  blocks.push({ kind: 'signatureDate', placement: layout.date, ...dateRuns })
}

/**
 * Suggested paragraph splits and joins live in zero-width spaces at the edges of textblocks. 'as-is' turns
 * them into tracked paragraph marks; 'clean' undoes suggested splits (joining the paragraphs again) and
 * drops paragraphs that exist only as a suggestion.
 */
function settleParagraphMarks(blocks: Block[], writer: RunWriter): Block[] {
  const markOf = (block: Block, next: Block | undefined) => block.trailing ?? next?.leading ?? null
  if (writer.mode === 'as-is') {
    blocks.forEach((block, index) => {
      const next = blocks[index + 1]
      const suggestion = next ? markOf(block, next) : null
      if (suggestion) block.mark = { type: suggestion.type, revision: writer.revision(suggestion.mark) }
    })
    return blocks
  }
  const settled: Block[] = []
  for (const block of blocks) {
    const previous = settled.at(-1)
    const split = previous && (previous.trailing?.type === 'insertion' || block.leading?.type === 'insertion')
    if (previous && split) {
      previous.children.push(...block.children)
      previous.trailing = block.trailing
    } else if (!(block.kind === 'body' && block.allInserted)) {
      settled.push(block)
    }
  }
  return settled
}

function exactSpacing() {
  return { line: LINE_SPACING, lineRule: LineRuleType.EXACT, before: 0, after: 0 }
}

const TWO_CHAR_INDENT = { firstLineChars: FIRST_LINE_CHARS, firstLine: FIRST_LINE_TWIPS }

function toParagraph(block: Block): Paragraph {
  const style =
    block.kind === 'title' ? TITLE_STYLE : block.kind === 'author' ? AUTHOR_STYLE : block.kind === 'heading' && block.level ? HEADING_STYLE[block.level] : BODY_STYLE
  const options: IParagraphOptions = {
    children: block.children,
    spacing: exactSpacing(),
    ...(block.kind === 'title'
      ? { alignment: AlignmentType.CENTER }
      : isTitleBlockKind(block.kind)
        ? titleBlockLayout(block.kind, block.placement)
        : { alignment: AlignmentType.JUSTIFIED, indent: TWO_CHAR_INDENT }),
    ...(block.kind === 'heading' ? { keepNext: true, outlineLevel: (block.level ?? 1) - 1 } : {}),
    // The paragraph mark's run properties. A tracked mark carries only its w:ins/w:del: docx writes those
    // after the formatting, where the schema wants them first, and the mark's size already defaults to 3号.
    run: block.mark ? { [block.mark.type]: block.mark.revision } : { font: runFonts(style), size: style.size },
  }
  return new Paragraph(options)
}

function blankLine(): Paragraph {
  return new Paragraph({ children: [], spacing: exactSpacing(), run: { font: runFonts(BODY_STYLE), size: BODY_STYLE.size } })
}

/** 「— N —」, 4号宋体, one character in from the outer edge of the type area. */
function pageNumberFooter(side: 'left' | 'right'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        spacing: { line: PAGE_NUMBER_LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
        indent: side === 'right' ? { right: PAGE_NUMBER_INDENT } : { left: PAGE_NUMBER_INDENT },
        children: [
          new TextRun({
            font: runFonts(PAGE_NUMBER_STYLE),
            size: PAGE_NUMBER_STYLE.size,
            children: ['— ', PageNumber.CURRENT, ' —'],
          }),
        ],
      }),
    ],
  })
}
