import type { Node as PMNode } from '@tiptap/pm/model'
import type { PlaceholderKind } from '../../report/kinds'
import { isMaskText } from '../../report/masks'
import { describeStructural, readStructural } from '../suggestions/structural'
import { createSiblingCounter, sectionOrdinal, type HeadingLevel } from '../../report/numbering'

export interface SectionInfo {
  /** Position before the section node. */
  pos: number
  /** Position after the section node. */
  end: number
  level: HeadingLevel
  /** 一、 / （一） / 1. / （1）, from the section's position among its siblings. */
  ordinal: string
  title: string
  /** Ordinal + title without its closing punctuation: 「（一）落实党建政治责任」. */
  label: string
  /** Labels from the top-level section down to this one. */
  path: string[]
  /** Index in `sections` of the enclosing section, or -1. */
  parent: number
  /** Unfilled placeholders in this section and its sub-sections. */
  unfilled: number
}

export interface PlaceholderInfo {
  id: string
  kind: PlaceholderKind
  label: string | null
  text: string
  filled: boolean
  from: number
  to: number
  sectionPath: string[]
  /** Index in `sections` of the innermost enclosing section, or -1. */
  section: number
  /** A few words around it, the figure in 【】: 「全年主持局委会【*】次，研究审议」. */
  context: string
}

/** Character formatting a person can suggest in 建议 (toolbar buttons, Ctrl+B/I/U). */
export type FormatMarkName = 'bold' | 'italic' | 'underline' | 'strike'
const FORMAT_MARKS: readonly FormatMarkName[] = ['bold', 'italic', 'underline', 'strike']

export interface SuggestionInfo {
  id: string
  /**
   * A replacement is a deletion and an insertion made as one edit (same id). A structure suggestion
   * is a new, moved, promoted or demoted section or a run-in title (suggestions/structural.ts).
   */
  type: 'insertion' | 'deletion' | 'replacement' | 'structure'
  /** For a structure suggestion, what it does in words: 「上移章节」, 「升为一级」. */
  change?: string
  /**
   * What the suggestion changes, for the review pane's words. 'format': the same words with other
   * formatting (prosemirror-suggest-changes records a suggested bold as a replacement of the text by
   * a bold copy), shown as 「格式：加粗」 from `format` rather than as 「防四超→防四超」. 'text' otherwise.
   */
  kind: 'text' | 'format'
  /** For kind 'format': which formatting the suggestion adds and removes, in a fixed order (bold first). */
  format: { added: FormatMarkName[]; removed: FormatMarkName[] } | null
  authorId: string | null
  authorName: string | null
  createdAt: string | null
  inserted: string
  deleted: string
  from: number
  to: number
  sectionPath: string[]
  section: number
}

export interface CommentAnchor {
  threadId: string
  from: number
  to: number
  /** The commented text. */
  text: string
  sectionPath: string[]
  section: number
}

export interface ReportAnalysis {
  title: string
  sections: SectionInfo[]
  placeholders: PlaceholderInfo[]
  /** Unfilled placeholders only, in document order. */
  unfilled: PlaceholderInfo[]
  /** Pending suggestions in document order (by where each starts). */
  suggestions: SuggestionInfo[]
  /** Where each comment thread is anchored, in document order. */
  comments: CommentAnchor[]
}

const CONTEXT_CHARS = 10
const TRAILING_PUNCTUATION = /[。．.；;，,：:！!？?\s]+$/u

const cache = new WeakMap<PMNode, ReportAnalysis>()

export interface AnalyzeOptions {
  /**
   * Told of each top-level block walked afresh rather than taken from the per-block memo (nothing is
   * walked when the whole document is memoised). A test checks a keystroke walks only its block.
   */
  onBlockWalked?: (block: PMNode) => void
}

/**
 * Numbers the sections and lists the placeholders of a report. Pure, and memoised per document
 * node: the editor's plugins, sidebar and outline share one pass per change, and the server uses
 * the same function on stored documents. Within a document, each top-level block's part is memoised
 * too (`blockPart`): a keystroke makes a new document whose other blocks are the same nodes, so only
 * the edited block is walked again and the rest is shifted into place (the side panels re-analyse the
 * report while people type).
 */
export function analyzeReport(doc: PMNode, options: AnalyzeOptions = {}): ReportAnalysis {
  const cached = cache.get(doc)
  if (cached) return cached
  const analysis = emptyAnalysis()
  const marks = emptyCollector()
  const nextIndex = createSiblingCounter()
  doc.forEach((block, offset) => {
    const ordinal = block.type.name === 'section' ? sectionOrdinal(block.attrs.level as HeadingLevel, nextIndex(block.attrs.level as HeadingLevel)) : ''
    addPart(blockPart(block, ordinal, options.onBlockWalked), offset, analysis, marks)
  })
  const result = finishAnalysis(doc, analysis, marks)
  cache.set(doc, result)
  return result
}

/** The same analysis worked out from scratch in one walk, with no per-block memo (tests compare the two). */
export function analyzeReportFully(doc: PMNode): ReportAnalysis {
  const analysis = emptyAnalysis()
  const marks = emptyCollector()
  walkContainer(doc, 0, -1, [], analysis, { record: (event) => replay(event, 0, 0, marks) })
  return finishAnalysis(doc, analysis, marks)
}

const emptyAnalysis = (): ReportAnalysis => ({ title: '', sections: [], placeholders: [], unfilled: [], suggestions: [], comments: [] })
const emptyCollector = (): MarkCollector => ({ suggestions: new Map(), comments: new Map(), formats: new Map() })

function finishAnalysis(doc: PMNode, analysis: ReportAnalysis, marks: MarkCollector): ReportAnalysis {
  analysis.suggestions = [...marks.suggestions.values()]
  for (const suggestion of analysis.suggestions) classify(suggestion, marks.formats.get(suggestion.id))
  analysis.comments = [...marks.comments.values()]
  analysis.unfilled = analysis.placeholders.filter((placeholder) => !placeholder.filled)
  for (const placeholder of analysis.unfilled) {
    for (let index = placeholder.section; index >= 0; index = analysis.sections[index].parent) analysis.sections[index].unfilled++
  }
  analysis.title = doc.firstChild?.type.name === 'reportTitle' ? doc.firstChild.textContent : ''
  return analysis
}

/**
 * What one top-level block contributes, in positions from the block's start and section indices
 * from its first section (-1: outside any section). Its marks are kept as the calls that collect
 * them, in order, because a suggestion or comment may run over several blocks.
 */
interface BlockPart {
  ordinal: string
  sections: SectionInfo[]
  placeholders: PlaceholderInfo[]
  marks: MarkEvent[]
}

/** One suggestion or comment mark on a text node, or a structure suggestion on a section. */
type MarkEvent =
  | { type: 'structural'; suggestion: SuggestionInfo }
  | { type: 'mark'; name: string; attrs: Record<string, unknown>; from: number; to: number; text: string; formatting: FormatMarkName[]; sectionPath: string[]; section: number }

interface MarkRecorder {
  record: (event: MarkEvent) => void
}

const parts = new WeakMap<PMNode, BlockPart>()

function blockPart(block: PMNode, ordinal: string, onWalked?: (block: PMNode) => void): BlockPart {
  const cached = parts.get(block)
  if (cached && cached.ordinal === ordinal) return cached
  onWalked?.(block)
  const scratch = emptyAnalysis()
  const part: BlockPart = { ordinal, sections: scratch.sections, placeholders: scratch.placeholders, marks: [] }
  const recorder: MarkRecorder = { record: (event) => part.marks.push(event) }
  walkChild(block, 0, -1, [], scratch, recorder, () => ordinal)
  parts.set(block, part)
  return part
}

const rebase = (index: number, base: number) => (index < 0 ? -1 : index + base)

/** Adds a block's part at `offset`: fresh objects, since the same part serves the block wherever it moves. */
function addPart(part: BlockPart, offset: number, analysis: ReportAnalysis, marks: MarkCollector): void {
  const base = analysis.sections.length
  for (const section of part.sections) {
    analysis.sections.push({ ...section, pos: section.pos + offset, end: section.end + offset, parent: rebase(section.parent, base), unfilled: 0 })
  }
  for (const placeholder of part.placeholders) {
    analysis.placeholders.push({ ...placeholder, from: placeholder.from + offset, to: placeholder.to + offset, section: rebase(placeholder.section, base) })
  }
  for (const event of part.marks) replay(event, offset, base, marks)
}

/** Collects one mark event, moved by `offset` and its section index by `base`. */
function replay(event: MarkEvent, offset: number, base: number, marks: MarkCollector): void {
  if (event.type === 'structural') {
    const { suggestion } = event
    marks.suggestions.set(suggestion.id, { ...suggestion, from: suggestion.from + offset, to: suggestion.to + offset, section: rebase(suggestion.section, base) })
    return
  }
  const { name, attrs, text, formatting, sectionPath } = event
  const from = event.from + offset
  const to = event.to + offset
  const section = rebase(event.section, base)
  if (name === 'insertion' || name === 'deletion') {
    const id = String(attrs.id)
    let suggestion = marks.suggestions.get(id)
    if (!suggestion) {
      suggestion = {
        id,
        type: name,
        authorId: (attrs.authorId as string | undefined) ?? null,
        authorName: (attrs.authorName as string | undefined) ?? null,
        createdAt: (attrs.createdAt as string | undefined) ?? null,
        kind: 'text',
        format: null,
        inserted: '',
        deleted: '',
        from,
        to,
        sectionPath,
        section,
      }
      marks.suggestions.set(id, suggestion)
    }
    if (suggestion.type !== name) suggestion.type = 'replacement'
    if (name === 'insertion') suggestion.inserted += text
    else suggestion.deleted += text
    const formats = marks.formats.get(id) ?? marks.formats.set(id, { inserted: [], deleted: [] }).get(id)!
    for (const _ of text) (name === 'insertion' ? formats.inserted : formats.deleted).push(formatting)
    suggestion.to = Math.max(suggestion.to, to)
  } else if (name === 'comment') {
    const threadId = String(attrs.threadId)
    const anchor = marks.comments.get(threadId)
    if (anchor) {
      anchor.text += text
      anchor.to = Math.max(anchor.to, to)
    } else {
      marks.comments.set(threadId, { threadId, from, to, text, sectionPath, section })
    }
  }
}

interface MarkCollector {
  suggestions: Map<string, SuggestionInfo>
  comments: Map<string, CommentAnchor>
  /** Per suggestion, the formatting of each inserted and deleted character. */
  formats: Map<string, { inserted: FormatMarkName[][]; deleted: FormatMarkName[][] }>
}

/** A replacement of text by the same text formatted differently is a format suggestion. */
function classify(suggestion: SuggestionInfo, formats: { inserted: FormatMarkName[][]; deleted: FormatMarkName[][] } | undefined): void {
  if (suggestion.type !== 'replacement' || !formats || suggestion.inserted !== suggestion.deleted || suggestion.inserted === '') return
  const added = new Set<FormatMarkName>()
  const removed = new Set<FormatMarkName>()
  formats.inserted.forEach((after, index) => {
    const before = formats.deleted[index] ?? []
    for (const name of after) if (!before.includes(name)) added.add(name)
    for (const name of before) if (!after.includes(name)) removed.add(name)
  })
  if (added.size + removed.size === 0) return
  suggestion.kind = 'format'
  suggestion.format = { added: FORMAT_MARKS.filter((name) => added.has(name)), removed: FORMAT_MARKS.filter((name) => removed.has(name)) }
}

/** Zero-width spaces stand for suggested paragraph splits and joins; they are not text. */
const ZERO_WIDTH = /\u200B/g

/** `contentStart` is the position of the container's first child. */
function walkContainer(container: PMNode, contentStart: number, parent: number, path: string[], analysis: ReportAnalysis, marks: MarkRecorder): void {
  const nextIndex = createSiblingCounter()
  const ordinalOf = (level: HeadingLevel) => sectionOrdinal(level, nextIndex(level))
  container.forEach((child, offset) => walkChild(child, contentStart + offset, parent, path, analysis, marks, ordinalOf))
}

/** One child of a container at `pos`; a section's ordinal comes from its place among its siblings. */
function walkChild(
  child: PMNode,
  pos: number,
  parent: number,
  path: string[],
  analysis: ReportAnalysis,
  marks: MarkRecorder,
  ordinalOf: (level: HeadingLevel) => string,
): void {
  if (child.type.name === 'section') {
    const level = child.attrs.level as HeadingLevel
    const ordinal = ordinalOf(level)
    const title = child.firstChild?.textContent ?? ''
    const label = ordinal + title.replace(TRAILING_PUNCTUATION, '')
    const info: SectionInfo = { pos, end: pos + child.nodeSize, level, ordinal, title, label, path: [...path, label], parent, unfilled: 0 }
    analysis.sections.push(info)
    collectStructural(child, info, analysis.sections.length - 1, marks)
    walkContainer(child, pos + 1, analysis.sections.length - 1, info.path, analysis, marks)
  } else if (child.type.name === 'reportSignature') {
    // The 落款's lines hold text like any paragraph (a masked date is a placeholder to fill).
    walkContainer(child, pos + 1, parent, path, analysis, marks)
  } else if (child.isTextblock) {
    collectPlaceholders(child, pos + 1, parent, path, analysis)
    collectMarks(child, pos + 1, parent, path, marks)
  }
}

function collectStructural(section: PMNode, info: SectionInfo, index: number, marks: MarkRecorder): void {
  for (const suggestion of readStructural(section)) {
    marks.record({
      type: 'structural',
      suggestion: {
        id: suggestion.id,
        type: 'structure',
        change: describeStructural(suggestion),
        kind: 'text',
        format: null,
        authorId: suggestion.authorId,
        authorName: suggestion.authorName,
        createdAt: suggestion.createdAt,
        inserted: '',
        deleted: '',
        from: info.pos,
        to: info.end,
        sectionPath: info.path,
        section: index,
      },
    })
  }
}

/** Text someone merely suggested adding does not count until accepted: a suggested fill leaves the figure unfilled. */
const acceptedText = (inline: PMNode) => (inline.marks.some((m) => m.type.name === 'insertion') ? '' : (inline.text ?? ''))

function collectMarks(block: PMNode, contentStart: number, section: number, sectionPath: string[], marks: MarkRecorder): void {
  block.forEach((inline, offset) => {
    if (!inline.isText) return
    const from = contentStart + offset
    const to = from + inline.nodeSize
    let text: string | null = null
    let formatting: FormatMarkName[] | null = null
    for (const mark of inline.marks) {
      const name = mark.type.name
      if (name !== 'insertion' && name !== 'deletion' && name !== 'comment') continue
      text ??= (inline.text ?? '').replace(ZERO_WIDTH, '')
      formatting ??= FORMAT_MARKS.filter((format) => inline.marks.some((other) => other.type.name === format))
      marks.record({ type: 'mark', name, attrs: mark.attrs, from, to, text, formatting, sectionPath, section })
    }
  })
}

function collectPlaceholders(block: PMNode, contentStart: number, section: number, sectionPath: string[], analysis: ReportAnalysis): void {
  let current: PlaceholderInfo | null = null
  block.forEach((inline, offset) => {
    const mark = inline.isText ? inline.marks.find((m) => m.type.name === 'placeholder') : undefined
    if (current && mark?.attrs.id === current.id && current.to === contentStart + offset) {
      current.text += acceptedText(inline)
      current.to += inline.nodeSize
      return
    }
    if (current) finish(current, block, contentStart, analysis)
    current = mark
      ? {
          id: String(mark.attrs.id ?? ''),
          kind: mark.attrs.kind as PlaceholderKind,
          label: (mark.attrs.label as string | null) ?? null,
          text: acceptedText(inline),
          filled: false,
          from: contentStart + offset,
          to: contentStart + offset + inline.nodeSize,
          sectionPath,
          section,
          context: '',
        }
      : null
  })
  if (current) finish(current, block, contentStart, analysis)
}

function finish(placeholder: PlaceholderInfo, block: PMNode, contentStart: number, analysis: ReportAnalysis): void {
  const from = placeholder.from - contentStart
  const to = placeholder.to - contentStart
  const before = block.textBetween(Math.max(0, from - CONTEXT_CHARS), from, undefined, ' ')
  const after = block.textBetween(to, Math.min(block.content.size, to + CONTEXT_CHARS), undefined, ' ')
  placeholder.context = `${before}【${placeholder.text}】${after}`
  placeholder.filled = !isMaskText(placeholder.text)
  analysis.placeholders.push(placeholder)
}
