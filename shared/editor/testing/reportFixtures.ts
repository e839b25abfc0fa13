/**
 * Test helpers for shared/editor: the sample report as an editor document, EditorState builders and
 * a way to run plain ProseMirror commands and read the outline back. Test-only; nothing in the app
 * imports this.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, TextSelection, type Command } from '@tiptap/pm/state'
import { analyzeReport, type SectionInfo } from '../lib/analyzeReport'
import { plainTextToDocJSON } from '../lib/plainText'
import { schema } from '../schema'

/** The 2022 party-building report, as uploaded by users. */
export const SAMPLE_TEXT = readFileSync(
  resolve(import.meta.dirname, '../../report/__fixtures__/2022-party-building-report.txt'),
  'utf8',
)

export function docFromText(text: string): PMNode {
  const doc = schema.nodeFromJSON(plainTextToDocJSON(text))
  doc.check()
  return doc
}

export function sampleDoc(): PMNode {
  return docFromText(SAMPLE_TEXT)
}

/** The section whose label (ordinal + title without closing punctuation) is `label`, under `parentLabel` if given. */
export function findSection(doc: PMNode, label: string, parentLabel?: string): SectionInfo {
  const { sections } = analyzeReport(doc)
  const matches = sections.filter(
    (section) =>
      section.label === label &&
      (parentLabel === undefined || (section.parent >= 0 && sections[section.parent].label === parentLabel)),
  )
  if (matches.length !== 1) {
    throw new Error(`expected one section ${parentLabel ? `${parentLabel} › ` : ''}${label}, found ${matches.length}`)
  }
  return matches[0]
}

/** The section whose title (without ordinal) starts with `title`. */
export function findSectionByTitle(doc: PMNode, title: string): SectionInfo {
  const matches = analyzeReport(doc).sections.filter((section) => section.title.startsWith(title))
  if (matches.length !== 1) throw new Error(`expected one section titled ${title}…, found ${matches.length}`)
  return matches[0]
}

/** Position of the first occurrence of `needle` inside a textblock, at or after position `after`. */
export function textPos(doc: PMNode, needle: string, after = 0): number {
  let found = -1
  doc.descendants((node, pos) => {
    if (found >= 0) return false
    if (!node.isTextblock) return true
    if (pos + node.nodeSize <= after) return false
    // One character per position: leaf inlines (hard breaks) count as one.
    const text = node.textBetween(0, node.content.size, undefined, '\ufffc')
    const index = text.indexOf(needle, Math.max(0, after - pos - 1))
    if (index >= 0) found = pos + 1 + index
    return false
  })
  if (found < 0) throw new Error(`text not found: ${needle}`)
  return found
}

export function stateAt(doc: PMNode, from: number, to = from): EditorState {
  return EditorState.create({ schema, doc, selection: TextSelection.create(doc, from, to) })
}

/** A state with the caret `offset` characters into the title of the section at `section.pos`. */
export function caretInTitle(doc: PMNode, section: { pos: number }, offset = 0): EditorState {
  return stateAt(doc, section.pos + 2 + offset)
}

export interface CommandResult {
  ok: boolean
  state: EditorState
  /** Number of transactions the command dispatched. */
  dispatched: number
}

/** Runs a ProseMirror command the way the view does: dry run first, then with a dispatch that applies it. */
export function run(state: EditorState, command: Command): CommandResult {
  const canRun = command(state)
  let next = state
  let dispatched = 0
  const ok = command(state, (tr) => {
    dispatched++
    next = next.apply(tr)
  })
  if (canRun !== ok) throw new Error(`dry run said ${canRun} but the command returned ${ok}`)
  if (ok) next.doc.check()
  return { ok, state: next, dispatched }
}

/** The outline as indented labels, one string per section, in document order. */
export function outline(doc: PMNode): string[] {
  return analyzeReport(doc).sections.map((section) => `${'  '.repeat(section.level - 1)}${section.label}`)
}

/** The outline as labels only, without indentation. */
export function labels(doc: PMNode): string[] {
  return analyzeReport(doc).sections.map((section) => section.label)
}

/** The text of the textblock the selection head is in, and the caret's offset in it. */
export function caretAt(state: EditorState): { block: string; blockType: string; offset: number; sectionLabel: string | null } {
  const { $head } = state.selection
  const sections = analyzeReport(state.doc).sections
  let sectionLabel: string | null = null
  for (let depth = $head.depth; depth > 0; depth--) {
    if ($head.node(depth).type.name === 'section') {
      const pos = $head.before(depth)
      sectionLabel = sections.find((section) => section.pos === pos)?.label ?? null
      break
    }
  }
  return { block: $head.parent.textContent, blockType: $head.parent.type.name, offset: $head.parentOffset, sectionLabel }
}

/** Every placeholder mark id in the document, in order (repeats for split marks). */
export function placeholderIds(doc: PMNode): string[] {
  const ids: string[] = []
  doc.descendants((node) => {
    const mark = node.marks.find((m) => m.type.name === 'placeholder')
    if (mark && ids[ids.length - 1] !== mark.attrs.id) ids.push(String(mark.attrs.id))
  })
  return ids
}
