/**
 * .docx → report, with Word's tracked changes as suggestions and Word's comments as threads.
 *
 * The paragraphs go through the same placement rules as a pasted draft (`buildReport`), so 一、/（一）/1./（1）
 * lines and masked figures are recognised the same way whatever the source; every character keeps the
 * revision and the comment ranges it was in.
 */

import type { CommentMessage, CommentThread } from '../comments/threads'
import { newId } from '../editor/lib/ids'
import { readDocx, type WordComment, type WordDocument, type WordRevision } from '../word/readDocx'
import { RICH_LINES, richLine, trimLine, withTrailingMarker, ZERO_WIDTH, type RichLine } from '../word/richLines'
import { externalAuthor, type AuthorResolver } from '../word/authors'
import { buildReport } from './importText'
import type { InlineMark, ReportModel } from './model'

export { DocxReadError } from '../word/readDocx'
export { externalAuthor, type AuthorResolver } from '../word/authors'

/** Name used when Word recorded no author. */
export const UNNAMED_AUTHOR = '未署名'

export interface ImportedReport {
  model: ReportModel
  /** Comment threads anchored by `comment` marks in the model (thread ids match). */
  threads: CommentThread[]
}

/** Word's `w:date` as a full ISO string; `fallback` when missing or unreadable. */
function isoDate(value: string, fallback: string | null): string | null {
  const time = Date.parse(value)
  return value === '' || Number.isNaN(time) ? fallback : new Date(time).toISOString()
}

/** Suggestion marks: adjacent revisions of one kind, author and date form one suggestion (Word splits them per run). */
export class SuggestionMarks {
  private last: { key: string; mark: InlineMark } | null = null
  constructor(private readonly resolve: AuthorResolver) {}

  of(revision: WordRevision | null): InlineMark | null {
    if (!revision) {
      this.last = null
      return null
    }
    const who = `${revision.author}\u0000${revision.date}`
    const key = `${revision.type}\u0000${who}`
    if (this.last?.key !== key) {
      // A deletion straight followed by an insertion of the same person and time is one replacement (one id).
      const replacing = this.last?.key === `deletion\u0000${who}` && revision.type === 'insertion'
      const author = this.resolve(revision.author || UNNAMED_AUTHOR)
      const id = replacing ? this.last!.mark.attrs.id : newId('s')
      const attrs = { id, authorId: author.id, authorName: author.name, createdAt: isoDate(revision.date, null) }
      this.last = { key, mark: { type: revision.type, attrs } }
    }
    return this.last.mark
  }
}

/** Root comment id of every comment (a reply's chain followed up to the comment that started it). */
export function rootsOf(comments: readonly WordComment[]): Map<string, string> {
  const byId = new Map(comments.map((comment) => [comment.id, comment]))
  const roots = new Map<string, string>()
  for (const comment of comments) {
    let root = comment
    const seen = new Set<string>()
    while (root.parentId && byId.has(root.parentId) && !seen.has(root.id)) {
      seen.add(root.id)
      root = byId.get(root.parentId)!
    }
    roots.set(comment.id, root.id)
  }
  return roots
}

function toLines(word: WordDocument, suggestions: SuggestionMarks, threadOf: (commentId: string) => string | undefined): RichLine[] {
  const lines: RichLine[] = []
  let lead: readonly InlineMark[] | null = null
  const commentMarks = new Map<string, InlineMark>()
  const marksFor = (comments: readonly string[]) => {
    const threads = [...new Set(comments.map(threadOf).filter((id): id is string => id !== undefined))]
    return threads.map((threadId) => commentMarks.get(threadId) ?? commentMarks.set(threadId, { type: 'comment', attrs: { threadId } }).get(threadId)!)
  }
  for (const paragraph of word.paragraphs) {
    const parts = paragraph.segments.map((segment) => {
      const suggestion = suggestions.of(segment.revision)
      return { text: segment.text, marks: [...(suggestion ? [suggestion] : []), ...marksFor(segment.comments)] }
    })
    const mark = suggestions.of(paragraph.markRevision)
    // A tracked paragraph mark: zero-width markers at both sides of the break, as suggest mode writes them.
    const line = mark ? withTrailingMarker(trimLine(richLine(parts, lead)), [mark]) : trimLine(richLine(parts, lead))
    lead = mark ? [mark] : null
    if (line.text !== '' || line.lead) lines.push(line)
  }
  return lines
}

export function threadsOf(word: WordDocument, roots: Map<string, string>, threadIds: Map<string, string>, quotes: Map<string, string>, resolve: AuthorResolver): CommentThread[] {
  const now = new Date().toISOString()
  const members = new Map<string, WordComment[]>()
  for (const comment of word.comments) {
    const root = roots.get(comment.id)!
    members.set(root, [...(members.get(root) ?? []), comment])
  }
  return [...members].map(([rootId, comments]) => {
    const root = comments.find((comment) => comment.id === rootId)!
    const author = resolve(root.author || UNNAMED_AUTHOR)
    const createdAt = isoDate(root.date, now)!
    const messages: CommentMessage[] = [root, ...comments.filter((comment) => comment !== root)].map((comment) => {
      const by = resolve(comment.author || UNNAMED_AUTHOR)
      return { id: newId('m'), authorId: by.id, authorName: by.name, createdAt: isoDate(comment.date, createdAt)!, text: comment.text }
    })
    const threadId = threadIds.get(rootId)!
    return {
      id: threadId,
      authorId: author.id,
      authorName: author.name,
      createdAt,
      quote: (quotes.get(threadId) ?? '').slice(0, 200),
      resolved: root.done,
      resolvedBy: null,
      resolvedAt: null,
      messages,
    }
  })
}

/** The text each thread's marks cover, in document order. */
function quotesOf(lines: readonly RichLine[]): Map<string, string> {
  const quotes = new Map<string, string>()
  for (const line of lines) {
    for (let i = 0; i < line.text.length; i++) {
      for (const mark of line.marks[i]) {
        if (mark.type !== 'comment' || line.text[i] === ZERO_WIDTH) continue
        const id = String(mark.attrs.threadId)
        quotes.set(id, (quotes.get(id) ?? '') + line.text[i])
      }
    }
  }
  return quotes
}

/** Builds the report from what `readDocx` found. */
export function importWordDocument(word: WordDocument, resolve: AuthorResolver = externalAuthor): ImportedReport {
  const roots = rootsOf(word.comments)
  const threadIds = new Map([...new Set(roots.values())].map((root) => [root, newId('t')]))
  const threadOf = (commentId: string) => {
    const root = roots.get(commentId)
    return root === undefined ? undefined : threadIds.get(root)
  }
  const lines = toLines(word, new SuggestionMarks(resolve), threadOf)
  return { model: buildReport(lines, RICH_LINES), threads: threadsOf(word, roots, threadIds, quotesOf(lines), resolve) }
}

export async function importDocx(data: Uint8Array, resolve: AuthorResolver = externalAuthor): Promise<ImportedReport> {
  return importWordDocument(await readDocx(data), resolve)
}
