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

/**
 * The words of the same paragraph just before and after a change, so a card can be read without the
 * page. Read as the text stands now: other pending insertions are left out (they are not there until
 * accepted), other pending deletions kept.
 */
export function changeContext(doc: PMNode, suggestion: Pick<SuggestionInfo, 'from' | 'to'>): { before: string; after: string } {
  const none = { before: '', after: '' }
  if (suggestion.from < 0 || suggestion.to > doc.content.size || suggestion.from > suggestion.to) return none
  const $from = doc.resolve(suggestion.from)
  const $to = doc.resolve(suggestion.to)
  if (!$from.parent.isTextblock || !$to.parent.isTextblock) return none
  const before = standingText($from.parent, $from.start(), $from.start(), suggestion.from)
  const after = standingText($to.parent, $to.start(), suggestion.to, $to.end())
  return {
    before: (before.length > CONTEXT_CHARS ? '…' : '') + before.slice(-CONTEXT_CHARS),
    after: after.slice(0, CONTEXT_CHARS) + (after.length > CONTEXT_CHARS ? '…' : ''),
  }
}

/** The text of `block` (content starting at `start`) between two positions, pending insertions left out. */
function standingText(block: PMNode, start: number, from: number, to: number): string {
  let text = ''
  block.forEach((inline, offset) => {
    const at = start + offset
    if (at + inline.nodeSize <= from || at >= to || !inline.isText) return
    if (inline.marks.some((mark) => mark.type.name === 'insertion')) return
    text += (inline.text ?? '').slice(Math.max(0, from - at), to - at)
  })
  return text.replace(ZERO_WIDTH, '')
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
