import fc from 'fast-check'
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, TextSelection, type Command } from '@tiptap/pm/state'
import { Transform } from '@tiptap/pm/transform'
import { describe, expect, it } from 'vitest'
import { propertyRuns } from '../../testing/propertyRuns'
import {
  demoteSection,
  insertSectionAfter,
  insertSubsection,
  moveSection,
  promoteSection,
  setSectionRunIn,
} from '../commands/sections'
import { analyzeReport } from '../lib/analyzeReport'
import { schema } from '../schema'
import { byId, everySuggestion, reviewSuggestions } from './review'
import type { Author } from './stampAuthor'
import {
  structuralSuggestions,
  suggestSectionChange,
  suggestSectionInsert,
  reviewStructural,
  type StructuralOp,
} from './structural'

/**
 * Random sequences of section commands given in 建议 mode (by one or two people) on random reports,
 * against the same commands given in 编辑 mode on the same sections: reject-all restores the original
 * exactly, accept-all equals 编辑, and the document stays valid throughout. A section is "the same"
 * on both sides by its title, which is unique (new sections get one typed in, as suggested text). Text
 * suggestions (typed and struck words) come in between, so accept-all and reject-all take both kinds.
 */

const AUTHORS: Author[] = [
  { id: 'u-wang', name: '王局长' },
  { id: 'u-li', name: '李副局长' },
]

type Json = Record<string, unknown>
interface SectionShape {
  runIn: boolean
  paragraphs: number
  children: SectionShape[]
  trailing: boolean
}

const shape = (level: number): fc.Arbitrary<SectionShape> =>
  fc.record({
    runIn: level > 1 ? fc.boolean() : fc.constant(false),
    paragraphs: fc.integer({ min: 0, max: 2 }),
    children: level < 4 ? fc.array(shape(level + 1), { maxLength: [0, 3, 2, 2, 1][level] }) : fc.constant([]),
    trailing: fc.boolean(),
  })

const report = fc.record({ preamble: fc.boolean(), sections: fc.array(shape(1), { minLength: 1, maxLength: 4 }) }).map(({ preamble, sections }) => {
  let counter = 0
  const text = (value: string): Json[] => [{ type: 'text', text: value }]
  const paragraph = (): Json => ({ type: 'paragraph', content: text(`正文第${++counter}段。`) })
  const section = (s: SectionShape, level: number): Json => ({
    type: 'section',
    attrs: { level, runIn: s.runIn },
    content: [
      { type: 'sectionTitle', content: text(`标题${++counter}`) },
      ...Array.from({ length: s.paragraphs }, paragraph),
      ...s.children.map((child) => section(child, level + 1)),
      ...(s.trailing && s.children.length > 0 ? [paragraph()] : []),
    ],
  })
  const doc = schema.nodeFromJSON({
    type: 'doc',
    content: [{ type: 'reportTitle', content: text('报告') }, ...(preamble ? [paragraph()] : []), ...sections.map((s) => section(s, 1))],
  })
  doc.check()
  return doc
})

const OPS = ['insertAfter', 'insertSub', 'moveUp', 'moveDown', 'promote', 'demote', 'runIn', 'runOut'] as const
type Op = (typeof OPS)[number]
/** Text suggestions between the structural ones: words typed at a paragraph's start, its first character struck. */
const TEXT_OPS = ['type', 'strike'] as const
type TextOp = (typeof TEXT_OPS)[number]
const step = fc.record({ op: fc.constantFrom<Op | TextOp>(...OPS, ...TEXT_OPS), target: fc.nat(), author: fc.nat(AUTHORS.length - 1) })

const EDIT: Record<Op, Command> = {
  insertAfter: insertSectionAfter,
  insertSub: insertSubsection,
  moveUp: moveSection(-1),
  moveDown: moveSection(1),
  promote: promoteSection,
  demote: demoteSection,
  runIn: setSectionRunIn(true),
  runOut: setSectionRunIn(false),
}
const RECORDED: Partial<Record<Op, Exclude<StructuralOp, 'insert'>>> = {
  moveUp: 'moveUp',
  moveDown: 'moveDown',
  promote: 'promote',
  demote: 'demote',
  runIn: 'runIn',
  runOut: 'runOut',
}

/** The caret at the start of the title of the section titled `title`. */
function caretAt(doc: PMNode, title: string): EditorState {
  const section = analyzeReport(doc).sections.find((entry) => entry.title === title)
  if (!section) throw new Error(`no section titled ${title}`)
  return EditorState.create({ doc, selection: TextSelection.create(doc, section.pos + 2) })
}

/** Runs a command; the document after it, or null when it did nothing. */
function apply(state: EditorState, command: Command): { doc: PMNode; selection: number } | null {
  let result: { doc: PMNode; selection: number } | null = null
  command(state, (tr) => (result = { doc: tr.doc, selection: tr.selection.from }))
  return result
}

/** Types `title` into the new, empty section title at `pos`: as suggested text in 建议, plainly in 编辑. */
function typeTitle(doc: PMNode, pos: number, title: string, author: Author | null): PMNode {
  const marks = author ? [schema.marks.insertion.create({ id: `s-${title}`, authorId: author.id, authorName: author.name, createdAt: '2026-12-01T00:00:00.000Z' })] : []
  return new Transform(doc).insert(pos, schema.text(title, marks)).doc
}

/** The paragraph whose own words contain `第k段` (each generated paragraph has its own k). */
function paragraphStart(doc: PMNode, k: number): number | null {
  let found: number | null = null
  doc.descendants((node, pos) => {
    if (found !== null) return false
    if (node.type.name === 'paragraph' && node.textContent.includes(`第${k}段`)) found = pos + 1
    return !node.isTextblock
  })
  return found
}

/** The k of every paragraph 「正文第k段」 in the document. */
function paragraphNumbers(doc: PMNode): number[] {
  const found: number[] = []
  doc.descendants((node) => {
    const k = node.type.name === 'paragraph' ? /第(\d+)段/.exec(node.textContent)?.[1] : undefined
    if (k) found.push(Number(k))
    return !node.isTextblock
  })
  return found
}

/** A person's typing or striking at a paragraph's start: a suggestion in 建议, the edit itself in 编辑. */
function textSuggestion(op: TextOp, target: number, author: Author, suggested: PMNode, edited: PMNode): [PMNode, PMNode] {
  // One of the paragraphs there are (the counter also numbers titles, so guessing k mostly missed).
  const numbers = paragraphNumbers(suggested)
  if (numbers.length === 0) return [suggested, edited]
  const k = numbers[target % numbers.length]
  const [at, inEdited] = [paragraphStart(suggested, k), paragraphStart(edited, k)]
  if (at === null || inEdited === null) return [suggested, edited]
  const mark = (type: 'insertion' | 'deletion') =>
    schema.marks[type].create({ id: `s-${op}-${k}-${author.id}`, authorId: author.id, authorName: author.name, createdAt: '2026-12-01T00:00:00.000Z' })
  if (op === 'type') {
    return [new Transform(suggested).insert(at, schema.text('补充', [mark('insertion')])).doc, new Transform(edited).insert(inEdited, schema.text('补充')).doc]
  }
  // Strike the first character not already suggested (inserted or struck).
  const block = suggested.resolve(at).parent
  let offset = 0
  for (; offset < block.content.size; offset++) {
    const child = block.childAfter(offset).node
    if (child && !child.marks.some((m) => m.type.name === 'insertion' || m.type.name === 'deletion')) break
  }
  if (offset >= block.content.size) return [suggested, edited]
  const char = block.textBetween(offset, offset + 1)
  const editedBlock = edited.resolve(inEdited).parent
  const editedOffset = editedBlock.textContent.indexOf(char + block.textBetween(offset + 1, Math.min(block.content.size, offset + 4)))
  if (editedOffset < 0) return [suggested, edited]
  return [
    new Transform(suggested).addMark(at + offset, at + offset + 1, mark('deletion')).doc,
    new Transform(edited).delete(inEdited + editedOffset, inEdited + editedOffset + 1).doc,
  ]
}

function reviewedAll(doc: PMNode, accept: boolean): PMNode {
  const tr = new Transform(doc)
  reviewSuggestions(tr, accept, everySuggestion)
  reviewStructural(tr, accept, () => true)
  return tr.doc
}

describe('structural suggestions (property)', () => {
  it('reject-all (or each, in any order) restores the original, accept-all (or each, in any order, or by author) equals the same commands in 编辑, the document stays valid', { timeout: 600_000 }, () => {
    const runs = propertyRuns(150)
    let recorded = 0
    let textMade = 0
    fc.assert(
      fc.property(report, fc.array(step, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 16 }), (original, steps, order) => {
        let suggested = original
        let edited = original
        let created = 0
        for (const { op, target, author: authorIndex } of steps) {
          if (op === 'type' || op === 'strike') {
            const before = suggested
            ;[suggested, edited] = textSuggestion(op, target, AUTHORS[authorIndex], suggested, edited)
            if (suggested !== before) textMade++
            continue
          }
          const titles = analyzeReport(suggested).sections.map((section) => section.title)
          const title = titles[target % titles.length]
          const author = AUTHORS[authorIndex]
          const reference = apply(caretAt(edited, title), EDIT[op])
          const recordedOp = RECORDED[op]
          const command = recordedOp ? suggestSectionChange(recordedOp, author) : suggestSectionInsert(EDIT[op], author)
          const result = apply(caretAt(suggested, title), command)
          if (!result) {
            // Refused: only a new section may be refused where 编辑 would add one (it would land elsewhere
            // once the pending moves are accepted); anything else is refused only when 编辑 does nothing too.
            if (recordedOp) expect(reference === null || reference.doc.eq(edited)).toBe(true)
            continue
          }
          expect(reference).not.toBeNull()
          result.doc.check()
          suggested = result.doc
          edited = reference!.doc
          recorded++
          if (!recordedOp) {
            const newTitle = `新增${++created}`
            suggested = typeTitle(suggested, result.selection, newTitle, author)
            edited = typeTitle(edited, reference!.selection, newTitle, null)
          }
        }
        suggested.check()
        expect(reviewedAll(suggested, false).eq(original)).toBe(true)
        // Rejected one at a time, in any order, they restore it too.
        const ids = analyzeReport(suggested).suggestions.map((suggestion) => suggestion.id)
        const shuffled = ids.map((id, index) => ({ id, key: order[index] ?? index })).sort((a, b) => a.key - b.key)
        let oneByOne = suggested
        for (const { id } of shuffled) {
          const tr = new Transform(oneByOne)
          reviewSuggestions(tr, false, byId(id))
          reviewStructural(tr, false, (suggestion) => suggestion.id === id)
          oneByOne = tr.doc
          oneByOne.check()
        }
        expect(oneByOne.eq(original)).toBe(true)
        const accepted = reviewedAll(suggested, true)
        accepted.check()
        expect(accepted.eq(edited)).toBe(true)
        expect(structuralSuggestions(accepted)).toEqual([])
        // Accepted one at a time, in any order (structural and text ones mixed), they give the same.
        let acceptedOneByOne = suggested
        for (const { id } of shuffled) {
          const tr = new Transform(acceptedOneByOne)
          reviewSuggestions(tr, true, byId(id))
          reviewStructural(tr, true, (suggestion) => suggestion.id === id)
          acceptedOneByOne = tr.doc
          acceptedOneByOne.check()
        }
        expect(acceptedOneByOne.eq(accepted)).toBe(true)
        // By author, either first, too.
        for (const authors of [AUTHORS, [...AUTHORS].reverse()]) {
          let byAuthors = suggested
          for (const author of authors) {
            const tr = new Transform(byAuthors)
            reviewSuggestions(tr, true, (mark) => mark.attrs.authorId === author.id)
            reviewStructural(tr, true, (suggestion) => suggestion.authorId === author.id)
            byAuthors = tr.doc
          }
          expect(byAuthors.eq(accepted)).toBe(true)
        }
      }),
      runs,
    )
    // Not vacuous: the sequences record suggestions of both kinds. The counts vary with the seed (over 400
    // seeds of 150 cases: 2.1 structural and 0.83 text suggestions a case, standard deviations 0.13 and
    // 0.08), so the bounds sit about eight deviations below: a check that never fails by chance, yet does
    // when the commands or the text steps stop applying. (Text once had to exceed a fixed 50 while it
    // averaged 61, and failed on 7.5% of seeds, e.g. FUZZ_SEED=10.)
    expect(recorded).toBeGreaterThan(runs.numRuns)
    expect(textMade).toBeGreaterThan(runs.numRuns / 5)
  })
})
