import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, NodeSelection, TextSelection, type Command, type Transaction } from '@tiptap/pm/state'
import { ReplaceStep, Transform } from '@tiptap/pm/transform'
import {
  demoteSection,
  moveSection,
  promoteSection,
  selectedSection,
  setSectionRunIn,
} from '../commands/sections'
import { colorFor } from '../lib/colors'
import { newId } from '../lib/ids'
import { SKIP_SUGGEST } from './meta'
import type { Author } from './stampAuthor'

/**
 * Structural suggestions (new, moved, promoted, demoted sections, run-in titles) as a section node
 * ATTRIBUTE, because the Yjs binding stores node attributes but not node marks.
 *
 * Only a new section is in the document at once (so its title can be typed); it carries an `insert`
 * suggestion and rejecting it removes it. Every other change is recorded, not applied: the section
 * keeps its place and number and carries e.g. `moveUp`, and accepting runs the very command 编辑 mode
 * runs (sections.ts) at that section. So rejecting only drops the attribute and restores the original
 * exactly, whatever was typed meanwhile, and nothing is deleted and re-inserted in Yjs while the
 * suggestion waits. Accepting everything applies the recorded commands in the order they were given
 * (`seq`); a command is only recorded when, applied after those already pending, it changes something,
 * and a new section only where it lands at the same place either way: so accepting all equals the
 * same commands in 编辑 mode.
 */

export const STRUCTURAL_ATTR = 'structural'

export const STRUCTURAL_OPS = ['insert', 'moveUp', 'moveDown', 'promote', 'demote', 'runIn', 'runOut'] as const
export type StructuralOp = (typeof STRUCTURAL_OPS)[number]

export interface StructuralSuggestion {
  id: string
  op: StructuralOp
  authorId: string
  authorName: string
  createdAt: string
  /** Order in which the commands were given; accepting all applies them in this order. */
  seq: number
  /** promote / demote: the level the section ends at (for 「升为一级」). */
  level?: number
}

export interface StructuralAt {
  suggestion: StructuralSuggestion
  /** Position before the section carrying it. */
  pos: number
  node: PMNode
}

const LEVEL_WORDS = ['', '一', '二', '三', '四']

/** The suggestion in words, as the review pane and the export show it. */
export function describeStructural(suggestion: Pick<StructuralSuggestion, 'op' | 'level'>): string {
  const level = LEVEL_WORDS[suggestion.level ?? 0] ?? ''
  switch (suggestion.op) {
    case 'insert':
      return '新增章节'
    case 'moveUp':
      return '上移章节'
    case 'moveDown':
      return '下移章节'
    case 'promote':
      return level ? `升为${level}级` : '升级'
    case 'demote':
      return level ? `降为${level}级` : '降级'
    case 'runIn':
      return '标题并入段首'
    case 'runOut':
      return '标题单独成行'
  }
}

function isSuggestion(value: unknown): value is StructuralSuggestion {
  if (!value || typeof value !== 'object') return false
  const { id, op, authorId, authorName, createdAt, seq, level, ...rest } = value as Record<string, unknown>
  return (
    Object.keys(rest).length === 0 &&
    typeof id === 'string' &&
    id.length > 0 &&
    (STRUCTURAL_OPS as readonly unknown[]).includes(op) &&
    typeof authorId === 'string' &&
    typeof authorName === 'string' &&
    typeof createdAt === 'string' &&
    typeof seq === 'number' &&
    Number.isFinite(seq) &&
    (level === undefined || (typeof level === 'number' && level >= 1 && level <= 4))
  )
}

/** The suggestions an attribute value holds, or null when it is not a well-formed list. */
export function parseStructural(value: unknown): StructuralSuggestion[] | null {
  if (value === null || value === undefined) return []
  if (typeof value !== 'string') return null
  try {
    const parsed: unknown = JSON.parse(value)
    return Array.isArray(parsed) && parsed.every(isSuggestion) ? parsed : null
  } catch {
    return null
  }
}

export function readStructural(node: PMNode): StructuralSuggestion[] {
  return parseStructural(node.attrs[STRUCTURAL_ATTR]) ?? []
}

export function serializeStructural(list: StructuralSuggestion[]): string | null {
  return list.length > 0 ? JSON.stringify(list) : null
}

/** HTML attributes for a section with pending structural suggestions: what they are, in words. */
export function structuralHTMLAttributes(value: unknown): Record<string, string> {
  const list = parseStructural(value) ?? []
  if (list.length === 0) return {}
  return {
    'data-structural': list.map((suggestion) => suggestion.op).join(' '),
    'data-structural-label': list.map(describeStructural).join('、'),
    style: `--author-color: ${colorFor(list[0].authorId)}`,
  }
}

/** Every pending structural suggestion, in document order. */
export function structuralSuggestions(doc: PMNode): StructuralAt[] {
  const found: StructuralAt[] = []
  doc.descendants((node, pos) => {
    if (node.type.name !== 'section') return false
    for (const suggestion of readStructural(node)) found.push({ suggestion, pos, node })
    return true
  })
  return found
}

const bySeq = (a: StructuralAt, b: StructuralAt) => a.suggestion.seq - b.suggestion.seq || (a.suggestion.id < b.suggestion.id ? -1 : 1)

function find(doc: PMNode, id: string): StructuralAt | null {
  return structuralSuggestions(doc).find((entry) => entry.suggestion.id === id) ?? null
}

/** What accepting a recorded suggestion runs: the same command as in 编辑 mode. */
function commandFor(op: StructuralOp): Command | null {
  switch (op) {
    case 'moveUp':
      return moveSection(-1)
    case 'moveDown':
      return moveSection(1)
    case 'promote':
      return promoteSection
    case 'demote':
      return demoteSection
    case 'runIn':
      return setSectionRunIn(true)
    case 'runOut':
      return setSectionRunIn(false)
    case 'insert':
      return null
  }
}

/** Runs a section command on the section at `pos` of `tr`'s document, adding its steps to `tr`. */
function runAt(tr: Transform, pos: number, command: Command): void {
  const state = EditorState.create({ doc: tr.doc, selection: NodeSelection.create(tr.doc, pos) })
  command(state, (result) => result.steps.forEach((step) => tr.step(step)))
}

/** Accepts or rejects one structural suggestion in `tr`. `keep` leaves it recorded (to find the section afterwards). */
function reviewOne(tr: Transform, id: string, accept: boolean, keep = false): boolean {
  const found = find(tr.doc, id)
  if (!found) return false
  const { pos, node, suggestion } = found
  if (!accept && suggestion.op === 'insert') {
    tr.delete(pos, pos + node.nodeSize)
    return true
  }
  if (!keep) tr.setNodeAttribute(pos, STRUCTURAL_ATTR, serializeStructural(readStructural(node).filter((other) => other.id !== id)))
  const command = accept ? commandFor(suggestion.op) : null
  if (command) runAt(tr, pos, command)
  return true
}

/** Which structural suggestions a review action takes (by id, by author, all). */
export type StructuralFilter = (suggestion: StructuralSuggestion) => boolean

/**
 * Accepts or rejects, in `tr`, every structural suggestion `filter` takes; accepted ones in the order
 * they were given. Rejecting drops the record (a new section goes with its content); accepting runs
 * the recorded command. Returns whether any matched.
 *
 * Recorded commands are relative (上移, 升级), so two of them on neighbouring sections give another
 * result in the other order. The canonical order is the order they were given: a suggestion accepted
 * on its own that would not give the same result before the earlier pending ones as after them
 * (`alsoAccepted`) takes those with it. So single accepts in any order, by author or all at once,
 * all end with the document accept-all gives.
 */
export function reviewStructural(tr: Transform, accept: boolean, filter: StructuralFilter): boolean {
  const targets = structuralSuggestions(tr.doc).filter((entry) => filter(entry.suggestion))
  for (const { suggestion } of targets.sort(bySeq)) {
    if (!accept) {
      reviewOne(tr, suggestion.id, false)
      continue
    }
    for (const id of alsoAccepted(tr.doc, suggestion.id)) reviewOne(tr, id, true)
    reviewOne(tr, suggestion.id, true)
  }
  return targets.length > 0
}

/**
 * The earlier pending structural suggestions (ids, in the order given) that accepting `id` applies
 * first: none when accepting it before them gives what accepting it after them gives, else all of them.
 */
export function alsoAccepted(doc: PMNode, id: string): string[] {
  const all = structuralSuggestions(doc).sort(bySeq)
  const index = all.findIndex((entry) => entry.suggestion.id === id)
  if (index <= 0) return []
  const earlier = all.slice(0, index).map((entry) => entry.suggestion.id)
  const first = new Transform(doc)
  for (const each of [id, ...earlier]) reviewOne(first, each, true)
  const inOrder = new Transform(doc)
  for (const each of [...earlier, id]) reviewOne(inOrder, each, true)
  return first.doc.eq(inOrder.doc) ? [] : earlier
}

export function hasStructural(doc: PMNode, filter: StructuralFilter = () => true): boolean {
  return structuralSuggestions(doc).some((entry) => filter(entry.suggestion))
}

const projected = new WeakMap<PMNode, PMNode>()

/** The document as if every pending structural suggestion were accepted (text suggestions untouched). */
export function projectStructure(doc: PMNode, keepId?: string): PMNode {
  const cached = keepId === undefined ? projected.get(doc) : undefined
  if (cached) return cached
  const tr = new Transform(doc)
  for (const { suggestion } of structuralSuggestions(doc).sort(bySeq)) reviewOne(tr, suggestion.id, true, suggestion.id === keepId)
  if (keepId === undefined) projected.set(doc, tr.doc)
  return tr.doc
}

function nextSeq(doc: PMNode): number {
  return structuralSuggestions(doc).reduce((max, entry) => Math.max(max, entry.suggestion.seq), 0) + 1
}

function record(author: Author, op: StructuralOp, doc: PMNode): StructuralSuggestion {
  return { id: newId('s'), op, authorId: author.id, authorName: author.name, createdAt: new Date().toISOString(), seq: nextSeq(doc) }
}

function withList(doc: PMNode, pos: number, list: StructuralSuggestion[]): PMNode {
  return new Transform(doc).setNodeAttribute(pos, STRUCTURAL_ATTR, serializeStructural(list)).doc
}

/**
 * 建议 mode's move / promote / demote / run-in: records the change on the section instead of making
 * it. Does nothing (returns false) where the command, after the pending ones, would change nothing.
 * A change that undoes the person's own last pending one on that section withdraws it instead.
 */
export function suggestSectionChange(op: Exclude<StructuralOp, 'insert'>, author: Author): Command {
  return (state, dispatch) => {
    const section = selectedSection(state)
    if (!section) return false
    const list = readStructural(section.node)
    const suggestion = record(author, op, state.doc)
    const proposed = withList(state.doc, section.pos, [...list, suggestion])
    const after = projectStructure(proposed)
    if (after.eq(projectStructure(state.doc))) return false
    let next = [...list, suggestion]
    const ownLast = list.filter((other) => other.authorId === author.id && other.op !== 'insert').pop()
    if (ownLast) {
      const withdrawn = list.filter((other) => other !== ownLast)
      if (projectStructure(withList(state.doc, section.pos, withdrawn)).eq(after)) next = withdrawn
    }
    if (next.includes(suggestion) && (op === 'promote' || op === 'demote')) {
      const kept = find(projectStructure(proposed, suggestion.id), suggestion.id)
      if (kept) suggestion.level = kept.node.attrs.level as number
    }
    if (dispatch) dispatch(state.tr.setNodeAttribute(section.pos, STRUCTURAL_ATTR, serializeStructural(next)).setMeta(SKIP_SUGGEST, true))
    return true
  }
}

const CARET_MARK = '~caret'

/** What `command` gives in the document as if every pending structural suggestion were accepted. */
function resultAsIfAccepted(state: EditorState, command: Command): PMNode | null {
  const current = selectedSection(state)
  let doc: PMNode
  let selection: (doc: PMNode) => EditorState['selection']
  if (current) {
    // Follow the section through the pending changes by a temporary record on it.
    const mark: StructuralSuggestion = { ...record({ id: '', name: '' }, 'insert', state.doc), id: CARET_MARK, seq: -1 }
    const tagged = withList(state.doc, current.pos, [...readStructural(current.node), mark])
    const found = find(projectStructure(tagged, CARET_MARK), CARET_MARK)
    if (!found) return null
    doc = withList(projectStructure(tagged, CARET_MARK), found.pos, readStructural(found.node).filter((entry) => entry.id !== CARET_MARK))
    selection = (d) => NodeSelection.create(d, found.pos)
  } else {
    doc = projectStructure(state.doc)
    const { from, to } = state.selection
    if (to > doc.content.size) return null
    selection = (d) => TextSelection.between(d.resolve(from), d.resolve(to))
  }
  let result: PMNode | null = null
  command(EditorState.create({ doc, selection: selection(doc) }), (tr) => (result = tr.doc))
  return result
}

/**
 * 建议 mode's new section / sub-section: inserted at once, carrying an `insert` suggestion, so the
 * person can type its title (as suggested text). Only where it lands at the same place as it would
 * after the pending structural suggestions are accepted; elsewhere it does nothing.
 */
export function suggestSectionInsert(command: Command, author: Author): Command {
  return (state, dispatch) => {
    // A plain state: Tiptap's command state shares one transaction, which would get the command's steps
    // (and send them) even when this decides to do nothing.
    const plain = EditorState.create({ doc: state.doc, selection: state.selection })
    let inserted: Transaction | null = null
    if (!command(plain, (tr) => (inserted = tr)) || !inserted) return false
    const proposal: Transaction = inserted
    const step = proposal.steps[0]
    const node = step instanceof ReplaceStep ? proposal.doc.nodeAt(step.from) : null
    if (!(step instanceof ReplaceStep) || node?.type.name !== 'section') return false
    proposal.setNodeAttribute(step.from, STRUCTURAL_ATTR, serializeStructural([record(author, 'insert', state.doc)]))
    const reference = resultAsIfAccepted(plain, command)
    if (!reference || !projectStructure(proposal.doc).eq(reference)) return false
    if (dispatch) {
      const tr = state.tr
      proposal.steps.forEach((each) => tr.step(each))
      const { anchor, head } = proposal.selection
      dispatch(tr.setSelection(TextSelection.create(tr.doc, anchor, head)).scrollIntoView().setMeta(SKIP_SUGGEST, true))
    }
    return true
  }
}

/**
 * The document without one person's pending structural suggestions (their new sections removed,
 * their records dropped), every record rewritten in one canonical form; a malformed value is left
 * as it is, so that it can never be mistaken for a withdrawn one. For the server's review guard.
 */
export function withdrawStructural(doc: PMNode, authorId: string): PMNode {
  const tr = new Transform(doc)
  const entries: { pos: number; node: PMNode }[] = []
  doc.descendants((node, pos) => {
    if (node.type.name !== 'section') return false
    if (node.attrs[STRUCTURAL_ATTR] !== null) entries.push({ pos, node })
    return true
  })
  // From the end, so that removing a section never shifts one still to be visited.
  for (const { pos, node } of entries.reverse()) {
    const list = parseStructural(node.attrs[STRUCTURAL_ATTR])
    if (!list) continue
    // Later sections come first, so this one has not moved; its size may have (a removed sub-section).
    const current = tr.doc.nodeAt(pos)!
    if (list.some((entry) => entry.op === 'insert' && entry.authorId === authorId)) {
      tr.delete(pos, pos + current.nodeSize)
      continue
    }
    tr.setNodeAttribute(pos, STRUCTURAL_ATTR, serializeStructural(list.filter((entry) => entry.authorId !== authorId)))
  }
  return tr.doc
}
