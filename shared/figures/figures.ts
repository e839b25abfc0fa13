import type { Node as PMNode } from '@tiptap/pm/model'
import { analyzeReport, type PlaceholderInfo, type ReportAnalysis } from '../editor/lib/analyzeReport'
import { followingWord, type PlaceholderKind } from '../report/kinds'
import { figureStatus, provenanceOf, type FigureStatus, type Provenance } from './provenance'
import { checkValue, type ValueProblem } from './values'

/**
 * The figures of a report as the 统计数据征集 features see them: each placeholder with its section
 * path in ordinals (`二（一）`), the sentence around it, its unit, provenance, verification state and
 * what is wrong with its value. Used by the sidebar, the API and the spreadsheet alike.
 */
export interface Figure {
  id: string
  kind: PlaceholderKind
  /** The current text: the mask while unfilled, the value once filled. */
  text: string
  filled: boolean
  status: FigureStatus
  /** `二（一）2.`: the ordinals of the enclosing sections; '' before the first section. */
  sectionPath: string
  /** Labels of the enclosing sections, outermost first. */
  sectionLabels: string[]
  /** Index of the top-level section (一、二、…), or -1: the unit a department is usually asked about. */
  topSection: number
  /** The sentence holding the figure, the figure in 【】. */
  sentence: string
  /** A few words around it, the figure in 【】 (what the sheet checks to see whether the text moved on). */
  context: string
  /** The context with the figure's own text left out: `全年主持局委会【】次`. Unchanged by filling it. */
  contextKey: string
  /** The unit written after it (`次`, `万元`, `%`, `局`), or null. */
  unit: string | null
  provenance: Provenance
  /** The provenance was recorded for another value: the figure was changed by hand since. */
  editedSince: boolean
  problem: ValueProblem | null
  /** Ids of figures with the same context filled with a different value. */
  conflictsWith: string[]
  from: number
  to: number
}

const CONTEXT_CHARS = 10
const SENTENCE_END = /[。！？；!?;]/u

function sentenceAround(block: string, from: number, to: number): string {
  let start = from
  while (start > 0 && !SENTENCE_END.test(block.charAt(start - 1))) start--
  let end = to
  while (end < block.length && !SENTENCE_END.test(block.charAt(end))) end++
  if (end < block.length) end++
  return `${block.slice(start, from)}【${block.slice(from, to)}】${block.slice(to, end)}`.trim()
}

/**
 * What makes two figures "the same figure": the words right before it and its unit
 * (`召开党组会议【*】次` in two places, or one mask repeated). Punctuation, spaces and
 * connecting words (共, 达, 为…) are ignored so `共召开党组会议*次` matches `召开党组会议**次`.
 */
export function sameFigureKey(before: string, unit: string | null): string | null {
  const words = before.replace(/[^\p{Script=Han}A-Za-z]/gu, '').replace(/[共达为了约近超计累]+$/u, '')
  const tail = words.slice(-6)
  return tail.length >= 4 && unit ? `${tail}|${unit}` : null
}

const cache = new WeakMap<PMNode, Figure[]>()
const skeletons = new WeakMap<PMNode, { text: string; at: Map<string, number> }>()

/**
 * The block's text with every figure reduced to 【】, so filling one figure does not change the
 * context of its neighbours (`召开会议【】次，研究事项【】项`).
 */
function contextKey(block: PMNode, id: string): string {
  let skeleton = skeletons.get(block)
  if (!skeleton) {
    let text = ''
    let previous: string | null = null
    const at = new Map<string, number>()
    block.forEach((inline) => {
      const mark = inline.marks.find((m) => m.type.name === 'placeholder')
      const markId = mark ? String(mark.attrs.id) : null
      if (markId && markId === previous) return
      previous = markId
      if (markId) {
        at.set(markId, text.length)
        text += '【】'
      } else text += inline.isText ? (inline.text ?? '') : ' '
    })
    skeleton = { text, at }
    skeletons.set(block, skeleton)
  }
  const index = skeleton.at.get(id) ?? 0
  return skeleton.text.slice(Math.max(0, index - CONTEXT_CHARS), index + 2 + CONTEXT_CHARS)
}

export function listFigures(doc: PMNode): Figure[] {
  const cached = cache.get(doc)
  if (cached) return cached
  const analysis = analyzeReport(doc)
  const figures = analysis.placeholders.map((placeholder) => toFigure(doc, analysis, placeholder))
  markConflicts(figures, doc)
  cache.set(doc, figures)
  return figures
}

function toFigure(doc: PMNode, analysis: ReportAnalysis, placeholder: PlaceholderInfo): Figure {
  const $from = doc.resolve(placeholder.from)
  const block = $from.parent
  const start = $from.start()
  const blockText = block.textBetween(0, block.content.size, undefined, ' ')
  const from = placeholder.from - start
  const to = placeholder.to - start
  const mark = doc.nodeAt(placeholder.from)?.marks.find((m) => m.type.name === 'placeholder')
  const provenance = provenanceOf(mark?.attrs ?? {})
  const unit = followingWord(blockText.slice(to, to + 12))?.[0] ?? null
  const chain: number[] = []
  for (let index = placeholder.section; index >= 0; index = analysis.sections[index].parent) chain.unshift(index)
  return {
    id: placeholder.id,
    kind: placeholder.kind,
    text: placeholder.text,
    filled: placeholder.filled,
    status: figureStatus(placeholder.filled, placeholder.text, provenance),
    sectionPath: chain.map((index) => analysis.sections[index].ordinal.replace(/、$/u, '')).join(''),
    sectionLabels: placeholder.sectionPath,
    topSection: chain.length ? analysis.sections.filter((section) => section.level === 1).indexOf(analysis.sections[chain[0]]) : -1,
    sentence: sentenceAround(blockText, from, to),
    context: placeholder.context,
    contextKey: contextKey(block, placeholder.id),
    unit,
    provenance,
    editedSince: placeholder.filled && provenance.filledValue !== null && provenance.filledValue !== placeholder.text,
    problem: placeholder.filled ? checkValue(placeholder.kind, placeholder.text, unit) : null,
    conflictsWith: [],
    from: placeholder.from,
    to: placeholder.to,
  }
}

function markConflicts(figures: Figure[], doc: PMNode): void {
  const groups = new Map<string, Figure[]>()
  for (const figure of figures) {
    if (!figure.filled) continue
    const $from = doc.resolve(figure.from)
    const before = $from.parent.textBetween(Math.max(0, figure.from - $from.start() - 12), figure.from - $from.start(), undefined, ' ')
    const key = sameFigureKey(before, figure.unit)
    if (!key) continue
    groups.set(key, [...(groups.get(key) ?? []), figure])
  }
  for (const group of groups.values()) {
    for (const figure of group) figure.conflictsWith = group.filter((other) => other.text !== figure.text).map((other) => other.id)
  }
}
