import type { Node as PMNode } from '@tiptap/pm/model'
import type { ReportAnalysis, SuggestionInfo } from '../../../../shared/editor/lib/analyzeReport'
import { t } from '../../strings'

/** Characters of context shown on each side of a change. */
const CONTEXT_CHARS = 12
const ZERO_WIDTH = /\u200B/g

/**
 * Where a section is, by its ordinals from the top: 「二（一）」, 「三（二）1.」. Offices cite places this
 * way; the innermost title alone (「（一）落实党建政治责任」) is ambiguous, every chapter has a （一）.
 */
export function sectionRef(analysis: ReportAnalysis, index: number): string {
  const ordinals: string[] = []
  for (let at = index; at >= 0; at = analysis.sections[at].parent) ordinals.unshift(analysis.sections[at].ordinal)
  // 一、 drops its enumeration comma inside a reference (二（一）, not 二、（一）) but keeps it alone (二、).
  if (ordinals.length === 1) return ordinals[0]
  return ordinals.map((ordinal) => ordinal.replace(/、$/u, '')).join('')
}

/** The words of the same paragraph just before and after a change, so a card can be read without the page. */
export function changeContext(doc: PMNode, suggestion: Pick<SuggestionInfo, 'from' | 'to'>): { before: string; after: string } {
  const size = doc.content.size
  if (suggestion.from < 0 || suggestion.to > size || suggestion.from > suggestion.to) return { before: '', after: '' }
  const $from = doc.resolve(suggestion.from)
  const $to = doc.resolve(suggestion.to)
  if (!$from.parent.isTextblock || !$to.parent.isTextblock) return { before: '', after: '' }
  const blockStart = $from.start()
  const blockEnd = $to.end()
  const before = doc.textBetween(Math.max(blockStart, suggestion.from - CONTEXT_CHARS), suggestion.from, undefined, ' ').replace(ZERO_WIDTH, '')
  const after = doc.textBetween(suggestion.to, Math.min(blockEnd, suggestion.to + CONTEXT_CHARS), undefined, ' ').replace(ZERO_WIDTH, '')
  return {
    before: (suggestion.from - CONTEXT_CHARS > blockStart ? '…' : '') + before,
    after: after + (suggestion.to + CONTEXT_CHARS < blockEnd ? '…' : ''),
  }
}

/** What kind of change, in the card's header: 插入 / 删除 / 替换 / 分段 / 格式 / the structural change. */
export function changeKind(suggestion: SuggestionInfo): string {
  if (suggestion.type === 'structure') return t.review.structure
  if (suggestion.kind === 'format') return t.review.format
  if (suggestion.type === 'insertion' && !suggestion.inserted) return t.review.split
  if (suggestion.type === 'deletion' && !suggestion.deleted) return t.review.join
  return t.review[suggestion.type]
}

/** A format suggestion in words: 「格式：加粗」, 「格式：取消倾斜、加下划线」. */
export function formatWords(suggestion: SuggestionInfo): string {
  const format = suggestion.format
  if (!format) return t.review.format
  const words = [...format.added.map((name) => t.review.formatAdd[name]), ...format.removed.map((name) => t.review.formatRemove[name])]
  return `${t.review.format}：${words.join('、')}`
}
