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

/** What a figure's block alone decides, at offsets inside the block: reused while the block is unchanged. */
interface BlockFacts {
  sentence: string
  contextKey: string
  unit: string | null
  provenance: Provenance
  /** The 12 characters before it, for finding the same figure filled twice. */
  before: string
}

const blockFacts = new WeakMap<PMNode, { text: string; at: Map<number, BlockFacts> }>()

/** How many blocks had their figures worked out from scratch (a test checks a keystroke costs one). */
export const figureWork = { blocks: 0 }

function factsOf(block: PMNode, from: number, to: number, id: string): BlockFacts {
  let facts = blockFacts.get(block)
  if (!facts) {
    facts = { text: block.textBetween(0, block.content.size, undefined, ' '), at: new Map() }
    blockFacts.set(block, facts)
    figureWork.blocks++
  }
  let fact = facts.at.get(from)
  if (!fact) {
    const blockText = facts.text
    const mark = block.childAfter(from).node?.marks.find((m) => m.type.name === 'placeholder')
    fact = {
      sentence: sentenceAround(blockText, from, to),
      contextKey: contextKey(block, id),
      unit: followingWord(blockText.slice(to, to + 12))?.[0] ?? null,
      provenance: provenanceOf(mark?.attrs ?? {}),
      before: block.textBetween(Math.max(0, from - 12), from, undefined, ' '),
    }
    facts.at.set(from, fact)
  }
  return fact
}

/**
 * The report's figures, memoised per document and, within it, per block: a keystroke makes a new
 * document, but every block it did not touch is the same node, so only the edited block's figures
 * are worked out again. Linear in the number of blocks and figures (no position lookups per figure).
 */
export function listFigures(doc: PMNode): Figure[] {
  const cached = cache.get(doc)
  if (cached) return cached
  const analysis = analyzeReport(doc)
  const topIndex = new Map<number, number>()
  analysis.sections.forEach((section, index) => {
    if (section.level === 1) topIndex.set(index, topIndex.size)
  })
  const figures: Figure[] = []
  const facts: BlockFacts[] = []
  let next = 0
  const placeholders = analysis.placeholders
  doc.descendants((node, pos) => {
    if (next >= placeholders.length) return false
    // Into containers that reach the next figure only.
    if (!node.isTextblock) return pos + node.nodeSize > placeholders[next].from
    const start = pos + 1
    const end = start + node.content.size
    while (next < placeholders.length && placeholders[next].from <= end) {
      const placeholder = placeholders[next++]
      // Every figure is in a textblock met in order; should one not be, find its block the slow way.
      const $from = placeholder.from < start ? doc.resolve(placeholder.from) : null
      const block = $from ? $from.parent : node
      const offset = $from ? $from.start() : start
      const fact = factsOf(block, placeholder.from - offset, placeholder.to - offset, placeholder.id)
      figures.push(toFigure(analysis, topIndex, placeholder, fact))
      facts.push(fact)
    }
    return false
  })
  markConflicts(figures, facts)
  cache.set(doc, figures)
  return figures
}

function toFigure(analysis: ReportAnalysis, topIndex: Map<number, number>, placeholder: PlaceholderInfo, fact: BlockFacts): Figure {
  const { provenance, unit } = fact
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
    topSection: chain.length ? (topIndex.get(chain[0]) ?? -1) : -1,
    sentence: fact.sentence,
    context: placeholder.context,
    contextKey: fact.contextKey,
    unit,
    provenance,
    editedSince: placeholder.filled && provenance.filledValue !== null && provenance.filledValue !== placeholder.text,
    problem: placeholder.filled ? checkValue(placeholder.kind, placeholder.text, unit) : null,
    conflictsWith: [],
    from: placeholder.from,
    to: placeholder.to,
  }
}

function markConflicts(figures: Figure[], facts: BlockFacts[]): void {
  const groups = new Map<string, Figure[]>()
  figures.forEach((figure, i) => {
    if (!figure.filled) return
    const key = sameFigureKey(facts[i].before, figure.unit)
    if (!key) return
    const group = groups.get(key)
    if (group) group.push(figure)
    else groups.set(key, [figure])
  })
  for (const group of groups.values()) {
    for (const figure of group) figure.conflictsWith = group.filter((other) => other.text !== figure.text).map((other) => other.id)
  }
}
