import type { Node as PMNode } from '@tiptap/pm/model'
import { diffChars, diffLines, type Change as DiffPart } from 'diff'
import { reviewedDoc } from '../../shared/editor/suggestions/review'
import { createSiblingCounter, sectionOrdinal, type HeadingLevel } from '../../shared/report/numbering'

export interface TextChange {
  type: 'equal' | 'insert' | 'delete'
  text: string
}

const ZERO_WIDTH = /\u200B/g

/**
 * The accepted text of a textblock, as if every pending suggestion were rejected: text suggested for
 * insertion is left out, text suggested for deletion stays. Zero-width spaces (suggested splits and
 * joins) are not text.
 */
function blockText(block: PMNode): string {
  let text = ''
  block.forEach((inline) => {
    if (inline.isText) {
      if (!inline.marks.some((mark) => mark.type.name === 'insertion')) text += inline.text ?? ''
    } else if (inline.type.name === 'hardBreak') {
      text += '\n'
    }
  })
  return text.replace(ZERO_WIDTH, '')
}

function containerLines(container: PMNode, firstChild: number, lines: string[]): void {
  const next = createSiblingCounter()
  container.forEach((child, _offset, index) => {
    if (index < firstChild) return
    if (child.type.name === 'section') {
      const level = child.attrs.level as HeadingLevel
      const heading = sectionOrdinal(level, next(level)) + (child.firstChild ? blockText(child.firstChild) : '')
      const lead = child.childCount > 1 ? child.child(1) : null
      if (child.attrs.runIn === true && lead?.type.name === 'paragraph') {
        // 段中标题: the heading opens its first paragraph, as in the exported document.
        lines.push(heading + blockText(lead))
        containerLines(child, 2, lines)
      } else {
        lines.push(heading)
        containerLines(child, 1, lines)
      }
    } else if (child.isTextblock) {
      lines.push(blockText(child))
    }
  })
}

/**
 * The report as plain text, one line per block: title, `一、标题`, `（一）标题。正文…` for run-in sections,
 * paragraphs. Pending suggestions count as rejected, with the editor's own reject (reviewSuggestions):
 * a suggested paragraph split or join does not change the lines either.
 */
export function reportLines(doc: PMNode): string[] {
  const lines: string[] = []
  containerLines(reviewedDoc(doc, false), 0, lines)
  return lines
}

export function reportText(doc: PMNode): string {
  return reportLines(doc)
    .map((line) => `${line}\n`)
    .join('')
}

/** Character diffs of a changed hunk give up past this many edits (or this long) and show it replaced whole. */
const MAX_CHAR_EDITS = 5_000
const CHAR_DIFF_TIMEOUT_MS = 1_000
/** Equal runs this short between two changes are noise in Chinese text (「的」「和」): shown as changed. */
const NOISE_CHARS = 2

/**
 * What changed from `oldText` to `newText`: lines first (fast on 50-page reports), then characters
 * within each changed hunk. Adjacent parts of the same type are merged; within a change, the
 * deletion comes before the insertion.
 */
export function compareTexts(oldText: string, newText: string): TextChange[] {
  const changes: TextChange[] = []
  const lines = diffLines(oldText, newText)
  for (let index = 0; index < lines.length; index++) {
    const part = lines[index]
    if (!part.added && !part.removed) {
      changes.push({ type: 'equal', text: part.value })
      continue
    }
    let removed = ''
    let added = ''
    for (; index < lines.length && (lines[index].added || lines[index].removed); index++) {
      if (lines[index].added) added += lines[index].value
      else removed += lines[index].value
    }
    index--
    changes.push(...hunk(removed, added))
  }
  return merge(dropNoise(merge(changes)))
}

function hunk(removed: string, added: string): TextChange[] {
  if (removed === '' || added === '') return [{ type: removed ? 'delete' : 'insert', text: removed || added }]
  const parts = diffChars(removed, added, { maxEditLength: MAX_CHAR_EDITS, timeout: CHAR_DIFF_TIMEOUT_MS })
  if (!parts) return [{ type: 'delete', text: removed }, { type: 'insert', text: added }]
  return parts.map(toChange)
}

const toChange = (part: DiffPart): TextChange => ({ type: part.added ? 'insert' : part.removed ? 'delete' : 'equal', text: part.value })

/** Short equal runs between changes become part of the change: 「删除」「插入」 reads better than confetti. */
function dropNoise(changes: TextChange[]): TextChange[] {
  return changes.flatMap((change, index): TextChange[] => {
    const before = changes[index - 1]
    const after = changes[index + 1]
    const short = change.type === 'equal' && [...change.text].length <= NOISE_CHARS && !change.text.includes('\n')
    if (!short || !before || !after || before.type === 'equal' || after.type === 'equal') return [change]
    return [
      { type: 'delete', text: change.text },
      { type: 'insert', text: change.text },
    ]
  })
}

/** Joins adjacent parts of one type; each run of changes becomes one deletion followed by one insertion. */
function merge(changes: TextChange[]): TextChange[] {
  const merged: TextChange[] = []
  let deleted = ''
  let inserted = ''
  const flush = () => {
    if (deleted) merged.push({ type: 'delete', text: deleted })
    if (inserted) merged.push({ type: 'insert', text: inserted })
    deleted = inserted = ''
  }
  for (const change of changes) {
    if (change.text === '') continue
    if (change.type === 'delete') deleted += change.text
    else if (change.type === 'insert') inserted += change.text
    else {
      flush()
      const last = merged.at(-1)
      if (last?.type === 'equal') last.text += change.text
      else merged.push({ ...change })
    }
  }
  flush()
  return merged
}
