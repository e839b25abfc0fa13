/**
 * Test-only: random reports and random 建议 sessions for the property tests of review
 * (shared/editor/suggestions/*.property.test.ts). A session's operations are described on the
 * document as it reads with every suggestion accepted (what a person sees as the text), so the same
 * operation can be applied to an editor in 编辑 mode and, through the position map of accept-all, to
 * one in 建议 mode.
 */
import fc from 'fast-check'
import type { Mark, Node as PMNode, Schema } from '@tiptap/pm/model'
import { Fragment, Slice } from '@tiptap/pm/model'
import { joinBackward, splitBlock } from '@tiptap/pm/commands'
import { EditorState, TextSelection, type Command, type Transaction } from '@tiptap/pm/state'
import { Transform } from '@tiptap/pm/transform'
import { plainTextToDocJSON } from '../lib/plainText'
import { schema } from '../schema'
import { everySuggestion, reviewSuggestions } from '../suggestions/review'
import type { Author } from '../suggestions/stampAuthor'
import { suggestTransaction } from '../suggestions/suggestTransaction'

export const AUTHORS: Author[] = [
  { id: 'u-wang', name: '王局长' },
  { id: 'u-li', name: '李副局长' },
  { id: 'u-zhang', name: '张处长' },
]

// ---------------------------------------------------------------------------------------------
// Reports

const word = fc.constantFrom('工作', '推进', '落实', '党建', '责任', '全面', '加强', '学习', '制度', '完善', '基层', '组织')
const mask = fc.constantFrom('*次', '**局', '*项', '*.*%', '***教授', '××个')
const sentence = fc
  .array(fc.oneof({ weight: 4, arbitrary: word }, { weight: 1, arbitrary: mask }), { minLength: 1, maxLength: 6 })
  .map((parts) => `${parts.join('')}。`)
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''))
const title = fc.array(word, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''))

const CN = ['一', '二', '三', '四', '五']
const ordinal = (level: number, index: number) =>
  [`${CN[index]}、`, `（${CN[index]}）`, `${index + 1}.`, `（${index + 1}）`][level - 1]

interface SectionPlan {
  title: string
  /** A level-2+ title that runs into its first paragraph (「（一）标题。正文」). */
  runIn: boolean
  paragraphs: string[]
  children: SectionPlan[]
}

const sectionPlan = (level: number): fc.Arbitrary<SectionPlan> =>
  fc.record({
    title,
    runIn: level >= 2 ? fc.boolean() : fc.constant(false),
    paragraphs: fc.array(paragraph, { minLength: level >= 2 ? 1 : 0, maxLength: 2 }),
    children: level < 4 ? fc.array(sectionPlan(level + 1), { maxLength: level === 1 ? 2 : 1 }) : fc.constant([]),
  })

function sectionLines(plan: SectionPlan, level: number, index: number): string[] {
  const [first, ...rest] = plan.paragraphs
  const head = plan.runIn && first ? [`${ordinal(level, index)}${plan.title}。${first}`, ...rest] : [`${ordinal(level, index)}${plan.title}`, ...plan.paragraphs]
  return [...head, ...plan.children.flatMap((child, childIndex) => sectionLines(child, level + 1, childIndex))]
}

/** Comment anchors: [textblock index, start, length] over existing text. */
const commentPlan = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 4 })), { maxLength: 2 })

/** A random report: a title, an opening paragraph, sections of every level (some run in), figures, comments. */
export const report: fc.Arbitrary<PMNode> = fc
  .record({
    title,
    opening: fc.array(paragraph, { minLength: 1, maxLength: 2 }),
    sections: fc.array(sectionPlan(1), { minLength: 1, maxLength: 2 }),
    comments: commentPlan,
  })
  .map(({ title: heading, opening, sections, comments }) => {
    const lines = [`${heading}报告`, '', ...opening, ...sections.flatMap((plan, index) => sectionLines(plan, 1, index))]
    let doc = schema.nodeFromJSON(withStableIds(plainTextToDocJSON(lines.join('\n'))))
    const tr = new Transform(doc)
    comments.forEach(([block, start, length], index) => {
      const blocks = textblocks(doc).filter((b) => b.node.content.size > 0)
      const target = blocks[block % blocks.length]
      const from = target.pos + 1 + (start % target.node.content.size)
      const to = Math.min(from + length, target.pos + 1 + target.node.content.size)
      tr.addMark(from, to, schema.marks.comment.create({ threadId: `t${index}` }))
    })
    doc = tr.doc
    doc.check()
    return doc
  })

/** Placeholder ids are random; numbered instead, so that a failing case replays identically. */
function withStableIds<T>(json: T): T {
  let next = 0
  const ids = new Map<string, string>()
  return JSON.parse(JSON.stringify(json), (key, value) => {
    if (key === 'id' && typeof value === 'string') return ids.get(value) ?? ids.set(value, `ph${next++}`).get(value)
    return value
  }) as T
}

export function textblocks(doc: PMNode): { node: PMNode; pos: number }[] {
  const found: { node: PMNode; pos: number }[] = []
  doc.descendants((node, pos) => {
    if (node.isTextblock) found.push({ node, pos })
    return !node.isTextblock
  })
  return found
}

// ---------------------------------------------------------------------------------------------
// Sessions

const typed = fc.array(fc.constantFrom('新', '增', '改', '稿', '*', '，'), { minLength: 1, maxLength: 3 }).map((chars) => chars.join(''))
const author = fc.nat({ max: 2 })

export type Op =
  | { kind: 'insert'; author: number; at: number; text: string }
  | { kind: 'delete'; author: number; at: number; length: number }
  | { kind: 'replace'; author: number; at: number; length: number; text: string }
  | { kind: 'format'; author: number; at: number; length: number; mark: 'bold' | 'italic' | 'underline' }
  | { kind: 'split'; author: number; at: number }
  | { kind: 'join'; author: number; at: number }
  | { kind: 'joinDelete'; author: number; at: number; before: number; after: number }
  | { kind: 'paste'; author: number; at: number; paragraphs: string[] }

/** Which operations a session draws from. */
export type OpKind = Op['kind']
/** `text` with `marks` as nodes of `target` (the editor's own schema instance, which marks must come from). */
function inSchema(target: Schema, text: string, marks: readonly Mark[]): PMNode {
  return target.text(text, marks.map((mark) => target.marks[mark.type.name].create(mark.attrs)))
}

export const TEXT_OPS: OpKind[] = ['insert', 'delete', 'replace', 'format']
export const PARAGRAPH_OPS: OpKind[] = ['split', 'join', 'joinDelete', 'paste']
export const ALL_OPS: OpKind[] = [...TEXT_OPS, ...PARAGRAPH_OPS]

export const op = (authors: number, kinds: OpKind[] = ALL_OPS): fc.Arbitrary<Op> => {
  const who = authors === 1 ? fc.constant(0) : author.map((index) => index % authors)
  const at = fc.nat()
  const length = fc.integer({ min: 1, max: 6 })
  const choices = [
    { kind: 'insert', weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), author: who, at, text: typed }) },
    { kind: 'delete', weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), author: who, at, length }) },
    { kind: 'replace', weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), author: who, at, length, text: typed }) },
    { kind: 'format', weight: 2, arbitrary: fc.record({ kind: fc.constant('format' as const), author: who, at, length, mark: fc.constantFrom('bold' as const, 'italic' as const, 'underline' as const) }) },
    { kind: 'split', weight: 1, arbitrary: fc.record({ kind: fc.constant('split' as const), author: who, at }) },
    { kind: 'join', weight: 1, arbitrary: fc.record({ kind: fc.constant('join' as const), author: who, at }) },
    { kind: 'joinDelete', weight: 1, arbitrary: fc.record({ kind: fc.constant('joinDelete' as const), author: who, at, before: fc.nat({ max: 3 }), after: fc.nat({ max: 3 }) }) },
    { kind: 'paste', weight: 1, arbitrary: fc.record({ kind: fc.constant('paste' as const), author: who, at, paragraphs: fc.array(typed, { minLength: 2, maxLength: 3 }) }) },
  ] as { kind: OpKind; weight: number; arbitrary: fc.Arbitrary<Op> }[]
  return fc.oneof(...choices.filter((choice) => kinds.includes(choice.kind)).map(({ weight, arbitrary }) => ({ weight, arbitrary })))
}

export const session = (maxAuthors = 3, kinds: OpKind[] = ALL_OPS) =>
  fc.integer({ min: 1, max: maxAuthors }).chain((authors) => fc.record({ authors: fc.constant(authors), ops: fc.array(op(authors, kinds), { minLength: 1, maxLength: 10 }) }))

/** The document with every suggestion accepted, and the map from its positions back to the document's. */
export function acceptedView(doc: PMNode): { doc: PMNode; toSuggested: (pos: number, assoc: number) => number } {
  const tr = new Transform(doc)
  reviewSuggestions(tr, true, everySuggestion)
  const back = tr.mapping.invert()
  return { doc: tr.doc, toSuggested: (pos, assoc) => back.map(pos, assoc) }
}

/** A transaction and the state it was built on (a command needs the caret placed first). */
export interface Built {
  tr: Transaction
  base: EditorState
}

const built = (state: EditorState, tr: Transaction): Built => ({ tr, base: state })

/**
 * An edit described on `view` (the text as it reads), as a function that builds the transaction on a
 * state whose positions `map` translates to. Null when the operation has no place in this document.
 * Paragraph splits, joins and pastes of paragraphs are done in body paragraphs only: in titles, Enter
 * and Backspace are section commands (suggested as structure, suggestions/structural.ts), not text.
 */
export function plan(view: PMNode, operation: Op): ((state: EditorState, map: (pos: number, assoc: number) => number) => Built | null) | null {
  const blocks = textblocks(view)
  const paragraphs = blocks.filter((block) => block.node.type.name === 'paragraph')
  const pick = <T>(list: T[]) => (list.length ? list[operation.at % list.length] : null)
  const positions = blocks.flatMap(({ node, pos }) => Array.from({ length: node.content.size + 1 }, (_, index) => ({ pos: pos + 1 + index, end: pos + 1 + node.content.size, node })))
  switch (operation.kind) {
    case 'insert': {
      const target = pick(positions)
      if (!target) return null
      // Typed with the marks the person sees at the caret, the same in both modes (the caret in 建议
      // may sit on the other side of deleted text, whose marks typing would otherwise pick up).
      const marks = view.resolve(target.pos).marks()
      return (state, map) => built(state, state.tr.insert(map(target.pos, -1), inSchema(state.schema, operation.text, marks)))
    }
    case 'delete':
    case 'replace':
    case 'format': {
      const target = pick(positions.filter((p) => p.pos < p.end))
      if (!target) return null
      const to = Math.min(target.end, target.pos + operation.length)
      if (operation.kind === 'delete') return (state, map) => built(state, state.tr.delete(map(target.pos, 1), map(to, -1)))
      const marks = view.resolve(target.pos + 1).marks()
      if (operation.kind === 'replace') return (state, map) => built(state, state.tr.replaceWith(map(target.pos, 1), map(to, -1), inSchema(state.schema, operation.text, marks)))
      // Toggled as the toolbar does on what the person sees: off when all of it has the mark, else on.
      const type = schema.marks[operation.mark]
      const on = !view.rangeHasMark(target.pos, to, type) || !allHave(view, target.pos, to, type.create())
      return (state, map) => {
        const [from, end] = [map(target.pos, 1), map(to, -1)]
        // The editor's own schema: a mark of another schema instance never equals its own (a bold
        // from each, side by side, stayed two text nodes and the replicas' documents differed).
        const own = state.schema.marks[operation.mark]
        return built(state, on ? state.tr.addMark(from, end, own.create()) : state.tr.removeMark(from, end, own))
      }
    }
    case 'split': {
      const target = pick(paragraphs.flatMap(({ node, pos }) => Array.from({ length: node.content.size + 1 }, (_, index) => pos + 1 + index)))
      if (target === null) return null
      return (state, map) => runCommand(state, splitBlock, map(target, -1))
    }
    case 'join': {
      // Backspace at the start of a paragraph that follows another paragraph.
      const target = pick(paragraphs.filter(({ pos }) => view.resolve(pos).nodeBefore?.type.name === 'paragraph'))
      if (!target) return null
      // The caret before anything the view leaves out there (a paragraph break already suggested for
      // joining, with its empty paragraph): Backspace then joins the break the person sees.
      return (state, map) => runCommand(state, joinBackward, startOfTextblock(state.doc, map(target.pos + 1, -1)))
    }
    case 'joinDelete': {
      // A selection from the end of one paragraph into the next, deleted.
      const target = pick(paragraphs.filter(({ pos }) => view.resolve(pos).nodeBefore?.type.name === 'paragraph'))
      if (!target) return null
      const previous = view.resolve(target.pos).nodeBefore!
      const from = target.pos - 1 - Math.min(operation.before, previous.content.size)
      const to = target.pos + 1 + Math.min(operation.after, target.node.content.size)
      return (state, map) => built(state, state.tr.delete(map(from, 1), map(to, -1)))
    }
    case 'paste': {
      const target = pick(paragraphs.flatMap(({ node, pos }) => Array.from({ length: node.content.size + 1 }, (_, index) => pos + 1 + index)))
      if (target === null) return null
      return (state, map) => {
        const content = Fragment.from(operation.paragraphs.map((text) => state.schema.nodes.paragraph.create(null, state.schema.text(text))))
        return built(state, state.tr.replace(map(target, -1), map(target, -1), new Slice(content, 1, 1)))
      }
    }
  }
}

function allHave(doc: PMNode, from: number, to: number, mark: Mark): boolean {
  let all = true
  doc.nodesBetween(from, to, (node) => {
    if (node.isText && !mark.isInSet(node.marks)) all = false
    return all
  })
  return all
}

function startOfTextblock(doc: PMNode, pos: number): number {
  return doc.resolve(pos).start()
}

function runCommand(state: EditorState, command: Command, pos: number): Built | null {
  const at = state.apply(state.tr.setSelection(TextSelection.create(state.doc, pos)))
  let result: Built | null = null
  command(at, (tr) => (result = built(at, tr)))
  return result
}

export interface Outcome {
  /** The document in 建议 mode after the session: the original with suggestions. */
  suggested: PMNode
  /** The same edits made in 编辑 mode. */
  edited: PMNode
  /** Operations that took effect (some have no place, some are refused in 建议). */
  applied: Op[]
}

/** Plays a session in 建议 mode (headless, the editor's own suggestTransaction) and in 编辑 mode side by side. */
export function playSession(original: PMNode, ops: Op[]): Outcome {
  let suggested = EditorState.create({ doc: original })
  let edited = EditorState.create({ doc: original })
  const applied: Op[] = []
  for (const operation of ops) {
    const view = acceptedView(suggested.doc)
    const build = plan(view.doc, operation)
    const inEdit = build?.(edited, (pos) => pos)
    if (!build || !inEdit || !inEdit.tr.docChanged) continue
    const inSuggest = build(suggested, view.toSuggested)
    const tracked = inSuggest && suggestTransaction(inSuggest.tr, inSuggest.base, AUTHORS[operation.author])
    // Refused in 建议 (it would touch another person's suggested insertion): not made at all.
    if (!tracked) continue
    suggested = suggested.apply(tracked)
    edited = edited.apply(inEdit.tr)
    applied.push(operation)
  }
  return { suggested: suggested.doc, edited: edited.doc, applied }
}
