import type { Node as PMNode } from '@tiptap/pm/model'
import type { CommentThread } from '../../comments/threads'
import { listFigures, type Figure } from '../../figures/figures'
import { sectionProgress, type UnfinishedSection } from '../../sections/progress'
import { analyzeReport, type PlaceholderInfo, type SuggestionInfo } from './analyzeReport'

export interface EmptySection {
  /** Position before the section node, for jumping to it. */
  pos: number
  label: string
  path: string[]
  /** The title itself is empty, or only the body is. */
  reason: 'no-title' | 'no-body'
}

export interface OpenThread {
  id: string
  authorName: string
  quote: string
  /** Position of the commented text, or null when that text was deleted. */
  from: number | null
  sectionPath: string[]
  messages: number
}

export interface ReportCheck {
  ok: boolean
  unfilledPlaceholders: PlaceholderInfo[]
  pendingSuggestions: SuggestionInfo[]
  openThreads: OpenThread[]
  emptySections: EmptySection[]
  /** Filled figures nobody has marked 已核实: a warning, blocking only when the owner asks for it. */
  unverifiedFigures: Figure[]
  /** Whether unverified figures stand in the way of submitting (the owner's choice). */
  unverifiedBlocking: boolean
  /**
   * Assigned sections not yet 定稿 (joint drafting). A warning; it blocks (counts against `ok`) only
   * when the owner turned on requireFinal (shared/sections/options.ts).
   */
  unfinishedSections: UnfinishedSection[]
  unfinishedBlocks: boolean
}

export interface CheckOptions {
  /** The owner's setting: every filled figure must be 已核实 before submission. */
  requireVerifiedFigures?: boolean
  /** The owner's option 未定稿不得提交 (shared/sections/options.ts). */
  requireFinal?: boolean
}

const hasText = (node: PMNode) => node.textContent.replace(/\u200B/g, '').trim().length > 0

/**
 * Everything that stands in the way of submitting a report: unfilled figures, pending suggestions,
 * open comment threads and empty sections (no title, or neither body text nor sub-sections).
 */
export function checkReport(doc: PMNode, threads: CommentThread[], options: CheckOptions = {}): ReportCheck {
  const analysis = analyzeReport(doc)
  const unfinishedSections = sectionProgress(doc, analysis).unfinished
  const unfinishedBlocks = options.requireFinal === true
  const emptySections: EmptySection[] = []
  for (const section of analysis.sections) {
    const node = doc.nodeAt(section.pos)
    if (!node) continue
    const title = node.firstChild
    let body = false
    node.forEach((child, _offset, index) => {
      if (index > 0 && (child.type.name === 'section' || hasText(child))) body = true
    })
    if (!title || !hasText(title)) emptySections.push({ pos: section.pos, label: section.label, path: section.path, reason: 'no-title' })
    else if (!body) emptySections.push({ pos: section.pos, label: section.label, path: section.path, reason: 'no-body' })
  }
  const anchors = new Map(analysis.comments.map((anchor) => [anchor.threadId, anchor]))
  const openThreads = threads
    .filter((thread) => !thread.resolved)
    .map((thread) => {
      const anchor = anchors.get(thread.id)
      return {
        id: thread.id,
        authorName: thread.authorName,
        quote: anchor?.text ?? thread.quote,
        from: anchor?.from ?? null,
        sectionPath: anchor?.sectionPath ?? [],
        messages: thread.messages.length,
      }
    })
  const result = {
    unfilledPlaceholders: analysis.unfilled,
    pendingSuggestions: analysis.suggestions,
    openThreads,
    emptySections,
  }
  const unverifiedFigures = listFigures(doc).filter((figure) => figure.status === 'unverified')
  const unverifiedBlocking = options.requireVerifiedFigures === true
  const ok =
    Object.values(result).every((list) => list.length === 0) &&
    (!unverifiedBlocking || unverifiedFigures.length === 0) &&
    (!unfinishedBlocks || unfinishedSections.length === 0)
  return { ok, ...result, unverifiedFigures, unverifiedBlocking, unfinishedSections, unfinishedBlocks }
}
