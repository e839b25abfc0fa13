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

/**
 * Numbers the sections and lists the placeholders of a report. Pure, and memoised per document
 * node: the editor's plugins, sidebar and outline share one pass per change, and the server uses
 * the same function on stored documents.
 */
export function analyzeReport(doc: PMNode): ReportAnalysis {
  const cached = cache.get(doc)
  if (cached) return cached
  const analysis: ReportAnalysis = { title: '', sections: [], placeholders: [], unfilled: [], suggestions: [], comments: [] }
  const marks: MarkCollector = { suggestions: new Map(), comments: new Map(), formats: new Map() }
  walkContainer(doc, 0, -1, [], analysis, marks)
  analysis.suggestions = [...marks.suggestions.values()]
  for (const suggestion of analysis.suggestions) classify(suggestion, marks.formats.get(suggestion.id))
  analysis.comments = [...marks.comments.values()]
  analysis.title = doc.firstChild?.type.name === 'reportTitle' ? doc.firstChild.textContent : ''
  analysis.unfilled = analysis.placeholders.filter((placeholder) => !placeholder.filled)
  for (const placeholder of analysis.unfilled) {
    for (let index = placeholder.section; index >= 0; index = analysis.sections[index].parent) analysis.sections[index].unfilled++
  }
  cache.set(doc, analysis)
  return analysis
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
function walkContainer(container: PMNode, contentStart: number, parent: number, path: string[], analysis: ReportAnalysis, marks: MarkCollector): void {
  const nextIndex = createSiblingCounter()
  container.forEach((child, offset) => {
    const pos = contentStart + offset
    if (child.type.name === 'section') {
      const level = child.attrs.level as HeadingLevel
      const ordinal = sectionOrdinal(level, nextIndex(level))
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
  })
}

function collectStructural(section: PMNode, info: SectionInfo, index: number, marks: MarkCollector): void {
  for (const suggestion of readStructural(section)) {
    marks.suggestions.set(suggestion.id, {
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
    })
  }
}

/** Text someone merely suggested adding does not count until accepted: a suggested fill leaves the figure unfilled. */
const acceptedText = (inline: PMNode) => (inline.marks.some((m) => m.type.name === 'insertion') ? '' : (inline.text ?? ''))

function collectMarks(block: PMNode, contentStart: number, section: number, sectionPath: string[], marks: MarkCollector): void {
  block.forEach((inline, offset) => {
    if (!inline.isText) return
    const from = contentStart + offset
    const to = from + inline.nodeSize
    const text = (inline.text ?? '').replace(ZERO_WIDTH, '')
    for (const mark of inline.marks) {
      const name = mark.type.name
      if (name === 'insertion' || name === 'deletion') {
        const id = String(mark.attrs.id)
        let suggestion = marks.suggestions.get(id)
        if (!suggestion) {
          suggestion = {
            id,
            type: name,
            authorId: mark.attrs.authorId ?? null,
            authorName: mark.attrs.authorName ?? null,
            createdAt: mark.attrs.createdAt ?? null,
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
        const formatting = FORMAT_MARKS.filter((format) => inline.marks.some((other) => other.type.name === format))
        for (const _ of text) (name === 'insertion' ? formats.inserted : formats.deleted).push(formatting)
        suggestion.to = Math.max(suggestion.to, to)
      } else if (name === 'comment') {
        const threadId = String(mark.attrs.threadId)
        const anchor = marks.comments.get(threadId)
        if (anchor) {
          anchor.text += text
          anchor.to = Math.max(anchor.to, to)
        } else {
          marks.comments.set(threadId, { threadId, from, to, text, sectionPath, section })
        }
      }
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
