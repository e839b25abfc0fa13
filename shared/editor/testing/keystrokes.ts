/**
 * Test-only: random keystrokes as a person makes them (selections of any extent, the editor's keys,
 * typing, pasting text and HTML), played on a mounted editor as the browser would deliver them, and
 * the forms the server compares (shared/editor/keystrokes*.property.test.ts).
 */
import type { Editor } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Selection, TextSelection } from '@tiptap/pm/state'
import fc from 'fast-check'
import * as Y from 'yjs'
import { Transform } from '@tiptap/pm/transform'
import { withoutRecords } from '../../sections/sectionTree'
import { adoptTrailingParagraphs } from '../commands/sections'
import { normalizeForReview } from '../lib/normalizeForReview'
import { docJSONToUpdate, yDocToNode } from '../lib/ydoc'

export const REVIEWER = { id: 'u-wang', name: '王局长' }
const KEYS = ['Enter', 'Backspace', 'Delete', 'Mod-Enter', 'Mod-Shift-Enter', 'Tab', 'Shift-Tab', 'Alt-Shift-ArrowUp', 'Alt-Shift-ArrowDown', 'Mod-b', 'Mod-Backspace', 'Mod-Delete', 'Shift-Enter', 'Mod-a', 'Mod-i', 'Mod-u', 'Mod-Shift-s']
const PASTES = ['补充', '一、新增部分\n正文*次', '（一）小标题。接着的正文', '第一段\n第二段**局']
/** What a copy from Word or a web page brings: formatting, line breaks, headings, lists. */
const HTML_PASTES = ['<p><b>加粗</b>文字</p>', '<p>一行<br>二行</p>', '<h1>一、标题</h1><p>正文*次</p>', '<ul><li>甲</li><li>乙</li></ul>', '<p><i>斜</i></p><p><u>下划</u></p>']

export type Step =
  | { kind: 'select'; anchor: number; head: number }
  /** Between two positions near the start: the title, its boundary with the first block. */
  | { kind: 'selectNearStart'; anchor: number; head: number }
  /** From the end of the report back to its title (Shift+Ctrl+Home from the end). */
  | { kind: 'selectBack' }
  | { kind: 'key'; key: string }
  | { kind: 'type'; text: string }
  | { kind: 'paste'; text: string }
  | { kind: 'pasteHTML'; html: string }

const fraction = fc.double({ min: 0, max: 1, noNaN: true })
export const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('select' as const), anchor: fraction, head: fraction }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('selectBack' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('selectNearStart' as const), anchor: fc.nat(12), head: fc.nat(12) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('key' as const), key: fc.constantFrom(...KEYS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('type' as const), text: fc.constantFrom('加', '强化', '。', '1') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('paste' as const), text: fc.constantFrom(...PASTES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pasteHTML' as const), html: fc.constantFrom(...HTML_PASTES) }) },
)

/**
 * What the server compares for a reviewer: the report with this person's suggestions withdrawn. Every
 * comment anchor stays, as the server keeps the anchors of threads the person did not start (these
 * tests start none): another person's anchor must come through their edit unchanged.
 */
export const reviewerForm = (doc: PMNode) => withoutRecords(normalizeForReview(doc, REVIEWER.id, () => true))

/** Whether no paragraph follows a section among its siblings (adoptTrailingParagraphs has nothing to move). */
export function readsInOrder(doc: PMNode): boolean {
  const tr = new Transform(doc)
  adoptTrailingParagraphs(tr)
  return tr.steps.length === 0
}

export function throughYjs(doc: PMNode): PMNode {
  const ydoc = new Y.Doc()
  Y.applyUpdate(ydoc, docJSONToUpdate(doc.toJSON()))
  return yDocToNode(ydoc)
}

/**
 * The Yjs binding keeps no marks on inline nodes other than text, so a line break inside bold text is
 * a plain one for everyone else: nothing anyone can see (a break shows no formatting). In 建议 the
 * same loss would drop a suggestion, which is why touching a break there is refused (touchesLineBreak).
 */
export function withoutBreakMarks(json: Record<string, unknown>): Record<string, unknown> {
  const { marks, content, ...rest } = json as { marks?: unknown; content?: Record<string, unknown>[]; type: string }
  const out: Record<string, unknown> = { ...rest }
  if (marks && json.type === 'text') out.marks = marks
  if (content) out.content = content.map(withoutBreakMarks)
  return out
}

/** Typing as ProseMirror handles a typed character: input rules first, else a plain insertion. */
export function type(editor: Editor, text: string): void {
  const { view } = editor
  const { from, to } = view.state.selection
  const insert = () => view.state.tr.insertText(text, from, to)
  if (!view.someProp('handleTextInput', (f) => f(view, from, to, text, insert))) view.dispatch(insert())
}

/**
 * A key as ProseMirror's keydown handler runs it: the keymaps (handleKeyDown), dispatching through the
 * editor. (Tiptap's keyboardShortcut command replays the captured steps on its own transaction instead,
 * which 建议 mode's rewriting of the transaction does not survive: not what a key press does.)
 */
export function press(editor: Editor, key: string): void {
  const parts = key.split('-')
  const name = parts.pop()!
  const event = new KeyboardEvent('keydown', { key: name, ctrlKey: parts.includes('Mod'), shiftKey: parts.includes('Shift'), altKey: parts.includes('Alt'), bubbles: true, cancelable: true })
  editor.view.someProp('handleKeyDown', (f) => f(editor.view, event))
}

export function play(editor: Editor, each: Step): void {
  const { doc } = editor.state
  if (each.kind === 'select') {
    const near = (x: number) => TextSelection.near(doc.resolve(Math.round(x * doc.content.size))).$head
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.between(near(each.anchor), near(each.head))))
  } else if (each.kind === 'selectNearStart') {
    const near = (pos: number) => TextSelection.near(doc.resolve(Math.min(pos, doc.content.size))).$head
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.between(near(each.anchor), near(each.head))))
  } else if (each.kind === 'selectBack') {
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.between(Selection.atEnd(doc).$to, Selection.atStart(doc).$from)))
  } else if (each.kind === 'key') press(editor, each.key)
  else if (each.kind === 'type') type(editor, each.text)
  else if (each.kind === 'paste') editor.view.pasteText(each.text)
  else editor.view.pasteHTML(each.html)
}
