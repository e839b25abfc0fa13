/**
 * 合并 Word 修订: the revisions and comments of a .docx whose base text is this report (or an earlier
 * version of it) applied onto the live report as suggestions and threads.
 *
 * Word's base text (what was there before the reviewer's revisions: plain and deleted text) is matched
 * against the report's base text (everything but pending insertions) by the words around each revision,
 * ignoring whitespace, paragraph breaks and the ordinals the export writes as text. A revision lands where
 * its surrounding text occurs exactly once; the others are listed, never guessed. A revision the report
 * already has (re-merging a file, or an as-is export's own suggestions) is skipped.
 */

import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import type { CommentThread } from '../comments/threads'
import { newId } from '../editor/lib/ids'
import { rootsOf, SuggestionMarks, threadsOf } from '../report/importDocx'
import { parseHeading } from '../report/numbering'
import { externalAuthor, type AuthorResolver } from './authors'
import type { WordDocument, WordRevision } from './readDocx'

/** Context lengths tried, shortest first: the first that makes the match unique wins. */
const CONTEXTS = [12, 24, 48]
/** Ignored on both sides: whitespace and the zero-width markers of paragraph suggestions. */
const IGNORED = /[\s\u200B]/u

export interface UnmatchedRevision {
  kind: 'insertion' | 'deletion' | 'comment' | 'paragraph'
  author: string
  /** The inserted, deleted or commented text. */
  text: string
  /** A few words of the Word file's text before it. */
  context: string
}

/** What POST /api/documents/:id/merge-docx answers (the client–server contract). */
export interface WordMergeReport {
  /** Revisions applied as suggestions. */
  applied: number
  /** Comment threads added. */
  threads: number
  /** Revisions and comments the report already had. */
  alreadyPresent: number
  unmatched: UnmatchedRevision[]
}

export interface MergeResult {
  doc: PMNode
  threads: CommentThread[]
  applied: number
  alreadyPresent: number
  unmatched: UnmatchedRevision[]
}

/** One character of Word's text: base (plain or deleted) or inserted. */
interface WordChar {
  ch: string
  inserted: boolean
  revision: WordRevision | null
  comments: readonly string[]
}

interface Unit {
  revision: WordRevision
  text: string
  /** Base index where an insertion goes, or the base range a deletion covers. */
  from: number
  to: number
}

function wordChars(word: WordDocument): { chars: WordChar[]; paragraphMarks: WordRevision[] } {
  const chars: WordChar[] = []
  const paragraphMarks: WordRevision[] = []
  for (const paragraph of word.paragraphs) {
    const base = paragraph.segments.filter((s) => s.revision?.type !== 'insertion').map((s) => s.text).join('').trimStart()
    // The export writes ordinals (一、/（一）) as text; the report derives them, so they are not matched.
    let skip = parseHeading(base)?.ordinal.replace(/\s/gu, '').length ?? 0
    for (const segment of paragraph.segments) {
      const inserted = segment.revision?.type === 'insertion'
      for (const ch of segment.text) {
        if (IGNORED.test(ch)) continue
        if (!inserted && skip > 0) {
          skip--
          continue
        }
        chars.push({ ch, inserted, revision: segment.revision, comments: segment.comments })
      }
    }
    if (paragraph.markRevision) paragraphMarks.push(paragraph.markRevision)
  }
  return { chars, paragraphMarks }
}

/** Runs of one revision, with their place in the base text. */
function unitsOf(chars: readonly WordChar[]): Unit[] {
  const units: Unit[] = []
  let base = 0
  let current: Unit | null = null
  for (const char of chars) {
    const same = current && char.revision && current.revision === char.revision
    if (!same) current = null
    if (char.revision) {
      if (!current) {
        current = { revision: char.revision, text: '', from: base, to: base }
        units.push(current)
      }
      current.text += char.ch
      if (!char.inserted) current.to = base + 1
    }
    if (!char.inserted) base++
  }
  return units
}

/** The report's base text (no pending insertions) with the document position of each character. */
function liveBase(doc: PMNode): { text: string; pos: number[]; marks: (readonly Mark[])[] } {
  let text = ''
  const pos: number[] = []
  const marks: (readonly Mark[])[] = []
  doc.descendants((node, at) => {
    if (!node.isText) return true
    if (node.marks.some((mark) => mark.type.name === 'insertion')) return false
    const value = node.text ?? ''
    for (let i = 0; i < value.length; i++) {
      if (IGNORED.test(value[i])) continue
      text += value[i]
      pos.push(at + i)
      marks.push(node.marks)
    }
    return false
  })
  return { text, pos, marks }
}

function occurrences(haystack: string, needle: string, limit = 2): number[] {
  const found: number[] = []
  for (let at = haystack.indexOf(needle); at >= 0 && found.length < limit; at = haystack.indexOf(needle, at + 1)) found.push(at)
  return found
}

/** Where base range [from, to) of Word's text is in the report's base text, or null when not exactly once. */
function locate(wordBase: string, live: string, from: number, to: number): { from: number; to: number } | null {
  const middle = wordBase.slice(from, to)
  for (const size of CONTEXTS) {
    const before = wordBase.slice(Math.max(0, from - size), from)
    const after = wordBase.slice(to, to + size)
    if (before.length + after.length + middle.length === 0) return null
    const found = occurrences(live, before + middle + after)
    if (found.length === 0) return null
    if (found.length === 1) return { from: found[0] + before.length, to: found[0] + before.length + middle.length }
    if (before.length < size && after.length < size) return null // the whole text is the context and still ambiguous
  }
  return null
}

/**
 * `existing`: the report's threads, so that a comment merged before (same author, same first message) is
 * not added twice.
 */
export function mergeRevisions(doc: PMNode, word: WordDocument, resolve: AuthorResolver = externalAuthor, existing: readonly CommentThread[] = []): MergeResult {
  const { chars, paragraphMarks } = wordChars(word)
  const wordBase = chars.filter((c) => !c.inserted).map((c) => c.ch).join('')
  const live = liveBase(doc)
  const schema = doc.type.schema
  const tr = new Transform(doc)
  const suggestions = new SuggestionMarks(resolve)
  const unmatched: UnmatchedRevision[] = []
  let applied = 0
  let alreadyPresent = 0
  const contextOf = (from: number) => wordBase.slice(Math.max(0, from - 12), from)

  for (const unit of unitsOf(chars)) {
    const where = locate(wordBase, live.text, unit.from, unit.to)
    const author = unit.revision.author
    if (!where) {
      unmatched.push({ kind: unit.revision.type, author, text: unit.text, context: contextOf(unit.from) })
      continue
    }
    const mark = suggestions.of(unit.revision)!
    const markType = schema.marks[mark.type]
    if (unit.revision.type === 'deletion') {
      const covered = live.marks.slice(where.from, where.to)
      if (covered.every((marks) => marks.some((m) => m.type.name === 'deletion'))) {
        alreadyPresent++
        continue
      }
      tr.addMark(tr.mapping.map(live.pos[where.from], 1), tr.mapping.map(live.pos[where.to - 1] + 1, -1), markType.create(mark.attrs))
    } else {
      const at = where.from > 0 ? live.pos[where.from - 1] + 1 : live.pos[where.from]
      const next = doc.resolve(at).nodeAfter
      if (next?.isText && next.marks.some((m) => m.type.name === 'insertion') && (next.text ?? '').replace(/\s/gu, '').startsWith(unit.text)) {
        alreadyPresent++
        continue
      }
      tr.insert(tr.mapping.map(at, -1), schema.text(unit.text, [markType.create(mark.attrs)]))
    }
    applied++
  }
  for (const mark of paragraphMarks) unmatched.push({ kind: 'paragraph', author: mark.author, text: '', context: '' })

  // Comments: anchored on the base text they cover.
  const roots = rootsOf(word.comments)
  const threadIds = new Map<string, string>()
  const quotes = new Map<string, string>()
  const anchored = new Set<string>()
  for (const root of new Set(roots.values())) {
    let from = -1
    let to = -1
    chars
      .filter((c) => !c.inserted)
      .forEach((c, index) => {
        if (!c.comments.some((id) => roots.get(id) === root)) return
        if (from < 0) from = index
        to = index + 1
      })
    const comment = word.comments.find((c) => c.id === root)!
    if (existing.some((thread) => thread.authorName === resolve(comment.author).name && thread.messages[0]?.text === comment.text)) {
      alreadyPresent++
      continue
    }
    const where = from < 0 ? null : locate(wordBase, live.text, from, to)
    if (!where) {
      unmatched.push({ kind: 'comment', author: comment.author, text: comment.text, context: from < 0 ? '' : contextOf(from) })
      continue
    }
    const threadId = newId('t')
    threadIds.set(root, threadId)
    quotes.set(threadId, wordBase.slice(from, to))
    anchored.add(root)
    tr.addMark(tr.mapping.map(live.pos[where.from], 1), tr.mapping.map(live.pos[where.to - 1] + 1, -1), schema.marks.comment.create({ threadId }))
  }
  const threads = threadsOf({ ...word, comments: word.comments.filter((c) => anchored.has(roots.get(c.id)!)) }, roots, threadIds, quotes, resolve)
  return { doc: tr.doc, threads, applied, alreadyPresent, unmatched }
}
