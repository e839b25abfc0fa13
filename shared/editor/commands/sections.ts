import { Fragment, type Node as PMNode, type ResolvedPos } from '@tiptap/pm/model'
import { NodeSelection, TextSelection, type Command, type EditorState, type Transaction } from '@tiptap/pm/state'
import type { Transform } from '@tiptap/pm/transform'
import type { HeadingLevel } from '../../report/numbering'

export const MAX_SECTION_LEVEL = 4

interface SectionAt {
  node: PMNode
  /** Position before the section node. */
  pos: number
  depth: number
  level: HeadingLevel
}

/** The innermost section around a position, if any. */
export function sectionAround($pos: ResolvedPos): SectionAt | null {
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth)
    if (node.type.name === 'section') return { node, pos: $pos.before(depth), depth, level: node.attrs.level as HeadingLevel }
  }
  return null
}

/** The section a command acts on: a selected section node itself, else the innermost section around the selection. */
export function selectedSection(state: EditorState): SectionAt | null {
  const { selection } = state
  if (selection instanceof NodeSelection && selection.node.type.name === 'section') {
    const { node, from, $from } = selection
    return { node, pos: from, depth: $from.depth + 1, level: node.attrs.level as HeadingLevel }
  }
  return sectionAround(selection.$from)
}

function deepestLevel(section: PMNode): number {
  let deepest = section.attrs.level as number
  section.descendants((node) => {
    if (node.type.name === 'section') deepest = Math.max(deepest, node.attrs.level as number)
  })
  return deepest
}

/**
 * The section with its own level and every nested section's level shifted by `delta`. A level-1
 * title never runs into its paragraph (一、 stands on its own line), so reaching level 1 clears run-in.
 */
function shiftLevels(section: PMNode, delta: number): PMNode {
  const content: PMNode[] = []
  section.forEach((child) => content.push(child.type.name === 'section' ? shiftLevels(child, delta) : child))
  const level = (section.attrs.level as number) + delta
  return section.type.create({ ...section.attrs, level, runIn: level > 1 && Boolean(section.attrs.runIn) }, content, section.marks)
}

/** Puts the caret back at the same offset inside the moved section (so the person keeps typing). */
function keepCaret(tr: Transaction, state: EditorState, section: SectionAt, newSectionPos: number): void {
  const offset = state.selection.from - section.pos
  const target = Math.min(newSectionPos + offset, tr.doc.content.size)
  tr.setSelection(TextSelection.near(tr.doc.resolve(target)))
}

function emptySection(state: EditorState, level: number): PMNode {
  const { section, sectionTitle } = state.schema.nodes
  return section.create({ level, runIn: false }, sectionTitle.create())
}

/**
 * Where a level-1 section goes from outside any section (the title, the opening paragraphs): after the
 * paragraphs that follow `from` at the top level. Right after the caret's block, the opening paragraphs
 * after it would follow the new section and read as its body (a Word copy made them so).
 */
function afterOpeningParagraphs(doc: PMNode, from: number): number {
  let insertAt = from
  let offset = 0
  for (let index = 0; index < doc.childCount; index++) {
    const child = doc.child(index)
    const end = offset + child.nodeSize
    if (end > from) {
      if (child.type.name === 'section' || child.type.name === 'reportSignature') break
      insertAt = end
    }
    offset = end
  }
  return insertAt
}

/** Inserts an empty section of the same level after the current section (or a level-1 one after the opening paragraphs). */
export const insertSectionAfter: Command = (state, dispatch) => {
  const { $from } = state.selection
  const current = selectedSection(state)
  const level = current?.level ?? 1
  // At depth 0 (a selected top-level node, or everything selected) the blocks after the selection's end.
  const insertAt = current ? current.pos + current.node.nodeSize : afterOpeningParagraphs(state.doc, $from.depth === 0 ? state.selection.to : $from.after(1) - 1)
  if (dispatch) {
    const tr = state.tr.insert(insertAt, emptySection(state, level))
    tr.setSelection(TextSelection.create(tr.doc, insertAt + 2)).scrollIntoView()
    dispatch(tr)
  }
  return true
}

/** Inserts an empty sub-section at the end of the current section. */
export const insertSubsection: Command = (state, dispatch) => {
  const current = selectedSection(state)
  if (!current || current.level >= MAX_SECTION_LEVEL) return false
  const insertAt = current.pos + current.node.nodeSize - 1
  if (dispatch) {
    const tr = state.tr.insert(insertAt, emptySection(state, current.level + 1))
    tr.setSelection(TextSelection.create(tr.doc, insertAt + 2)).scrollIntoView()
    dispatch(tr)
  }
  return true
}

/**
 * Demotes the current section one level, with its sub-sections. If a section of its former level
 * precedes it, it moves inside that one (with anything between them), so reading order never changes.
 */
export const demoteSection: Command = (state, dispatch) => {
  const current = selectedSection(state)
  if (!current || deepestLevel(current.node) >= MAX_SECTION_LEVEL) return false
  const $section = state.doc.resolve(current.pos)
  const parent = $section.parent
  const index = $section.index()
  let previousIndex = -1
  for (let i = index - 1; i >= 0; i--) {
    const sibling = parent.child(i)
    if (sibling.type.name === 'section') {
      previousIndex = i
      break
    }
  }
  const demoted = shiftLevels(current.node, 1)
  if (dispatch) {
    const tr = state.tr
    const previous = previousIndex >= 0 ? parent.child(previousIndex) : null
    if (previous && (previous.attrs.level as number) < (demoted.attrs.level as number)) {
      // Everything from the previous section's end up to and including this one goes inside it.
      const previousPos = $section.posAtIndex(previousIndex)
      const between: PMNode[] = []
      for (let i = previousIndex + 1; i < index; i++) between.push(parent.child(i))
      const merged = previous.copy(previous.content.append(Fragment.from([...between, demoted])))
      tr.replaceWith(previousPos, current.pos + current.node.nodeSize, merged)
      keepCaret(tr, state, current, previousPos + previous.nodeSize - 1 + between.reduce((size, node) => size + node.nodeSize, 0))
    } else {
      tr.replaceWith(current.pos, current.pos + current.node.nodeSize, demoted)
      keepCaret(tr, state, current, current.pos)
    }
    dispatch(tr.scrollIntoView())
  }
  return true
}

/**
 * Promotes the current section one level, with its sub-sections. If that takes it out of its parent
 * section, it moves to just after the parent and takes the parent's following content with it, so
 * reading order never changes.
 */
export const promoteSection: Command = (state, dispatch) => {
  const current = selectedSection(state)
  if (!current || current.level <= 1) return false
  const promoted = shiftLevels(current.node, -1)
  const newLevel = promoted.attrs.level as number
  const $section = state.doc.resolve(current.pos)
  const parent = $section.parent
  const parentIsSection = parent.type.name === 'section'
  if (dispatch) {
    const tr = state.tr
    if (parentIsSection && (parent.attrs.level as number) >= newLevel) {
      const index = $section.index()
      const following: PMNode[] = []
      for (let i = index + 1; i < parent.childCount; i++) following.push(parent.child(i))
      const parentPos = $section.before()
      const parentEnd = parentPos + parent.nodeSize
      const remaining: PMNode[] = []
      for (let i = 0; i < index; i++) remaining.push(parent.child(i))
      const withFollowing = promoted.copy(promoted.content.append(Fragment.from(following)))
      tr.replaceWith(parentPos, parentEnd, [parent.copy(Fragment.from(remaining)), withFollowing])
      const newPos = parentPos + remaining.reduce((size, node) => size + node.nodeSize, 2)
      keepCaret(tr, state, current, newPos)
    } else {
      tr.replaceWith(current.pos, current.pos + current.node.nodeSize, promoted)
      keepCaret(tr, state, current, current.pos)
    }
    dispatch(tr.scrollIntoView())
  }
  return true
}

/** Swaps the current section with the sibling before (-1) or after (+1) it; the title never moves. */
export function moveSection(direction: -1 | 1): Command {
  return (state, dispatch) => {
    const current = selectedSection(state)
    if (!current) return false
    const $section = state.doc.resolve(current.pos)
    const parent = $section.parent
    const index = $section.index()
    const otherIndex = index + direction
    if (otherIndex < 0 || otherIndex >= parent.childCount) return false
    const other = parent.child(otherIndex)
    // Only sections trade places: the titles, the 署名 line and the 落款 stay where the schema puts
    // them, and a paragraph before the section is its parent's text (moved after it, it would read as
    // the section's body).
    if (other.type.name !== 'section') return false
    if (dispatch) {
      const first = direction < 0 ? other : current.node
      const second = direction < 0 ? current.node : other
      const start = direction < 0 ? $section.posAtIndex(otherIndex) : current.pos
      const tr = state.tr.replaceWith(start, start + first.nodeSize + second.nodeSize, [second, first])
      keepCaret(tr, state, current, direction < 0 ? start : start + other.nodeSize)
      dispatch(tr.scrollIntoView())
    }
    return true
  }
}

/**
 * Backspace at the very start of a section title turns the title back into a paragraph and lifts the
 * section's content into its parent, the way Backspace at a heading's start makes it body text (of
 * the section before it, if any).
 */
export const dissolveSection: Command = (state, dispatch) => {
  const { $from, empty } = state.selection
  if (!empty || $from.parent.type.name !== 'sectionTitle' || $from.parentOffset !== 0) return false
  const current = sectionAround($from)
  if (!current) return false
  if (dispatch) {
    const title = current.node.child(0)
    const content: PMNode[] = [state.schema.nodes.paragraph.create(null, title.content)]
    for (let i = 1; i < current.node.childCount; i++) content.push(current.node.child(i))
    const tr = state.tr.replaceWith(current.pos, current.pos + current.node.nodeSize, content)
    // After a section sibling, the title and text read as that section's (as in Word): they go there.
    // Reading order stays, so the caret goes to the start of the same textblock in reading order.
    const blockIndex = textblocksBefore(tr.doc, current.pos + 1)
    adoptTrailingParagraphs(tr)
    tr.setSelection(TextSelection.create(tr.doc, textblockStart(tr.doc, blockIndex)))
    dispatch(tr)
  }
  return true
}

/**
 * Sets whether a section's title runs into its first paragraph (（一）标题。正文……). Level 1 never runs
 * in, but turning it off stays possible there (a report stored while promotion kept it must be fixable).
 */
export function setSectionRunIn(runIn: boolean): Command {
  return (state, dispatch) => {
    const current = selectedSection(state)
    if (!current || (current.level === 1 && (runIn || !current.node.attrs.runIn))) return false
    if (dispatch) dispatch(state.tr.setNodeAttribute(current.pos, 'runIn', runIn))
    return true
  }
}

/**
 * Moves every section that sits inside a section of its own level or higher (pasted 「七、」 at the end
 * of 六（三）) out to just after that parent, taking what followed it there along, as promotion does:
 * reading order never changes, and a pasted level-1 heading lands at level 1. A report built by the
 * commands never nests so; only pasted structure can.
 */
export function liftMisnestedSections(tr: Transform): void {
  for (;;) {
    let found: number | null = null
    tr.doc.descendants((node, pos, parent) => {
      if (found !== null) return false
      if (node.type.name !== 'section') return !node.isTextblock
      if (parent?.type.name === 'section' && (parent.attrs.level as number) >= (node.attrs.level as number)) found = pos
      return found === null
    })
    if (found === null) return
    const $section = tr.doc.resolve(found)
    const section = $section.nodeAfter!
    const parent = $section.parent
    const index = $section.index()
    const remaining: PMNode[] = []
    const following: PMNode[] = []
    parent.forEach((child, _offset, i) => (i < index ? remaining : i > index ? following : []).push(child))
    const parentPos = $section.before()
    tr.replaceWith(parentPos, parentPos + parent.nodeSize, [
      parent.copy(Fragment.from(remaining)),
      section.copy(section.content.append(Fragment.from(following))),
    ])
  }
}

/**
 * Moves paragraphs that follow a section among its siblings into the end of that section (its last
 * sub-section, deepest first). The schema allows them there, but the report reads them as the body of
 * the heading above (as Word, the plain-text importer and the check do): a heading pasted mid-section
 * left the rest of the paragraph under the section before it, and a Word round trip moved it. Reading
 * order never changes. Pasted structure (and nothing the commands build) leaves paragraphs so.
 */
export function adoptTrailingParagraphs(tr: Transform): void {
  for (;;) {
    let found: { from: number; to: number; into: number } | null = null
    const scan = (parent: PMNode, start: number): void => {
      let previous: { node: PMNode; pos: number } | null = null
      parent.forEach((child, offset, index) => {
        if (found) return
        const pos = start + offset
        if (child.type.name === 'paragraph' && previous) {
          let to = pos + child.nodeSize
          for (let next = index + 1; next < parent.childCount && parent.child(next).type.name === 'paragraph'; next++) to += parent.child(next).nodeSize
          found = { from: pos, to, into: deepestLastSectionEnd(previous.node, previous.pos) }
          return
        }
        if (child.type.name === 'section') {
          scan(child, pos + 1)
          previous = { node: child, pos }
        } else previous = null
      })
    }
    scan(tr.doc, 0)
    if (!found) return
    const { from, to, into } = found as { from: number; to: number; into: number }
    const paragraphs = tr.doc.slice(from, to).content
    tr.delete(from, to)
    tr.insert(into, paragraphs)
  }
}

/** The position just inside the end of `section`'s last sub-section, deepest first (or of `section` itself). */
function deepestLastSectionEnd(section: PMNode, pos: number): number {
  let node = section
  let at = pos
  while (node.lastChild?.type.name === 'section') {
    at += node.nodeSize - node.lastChild.nodeSize - 1
    node = node.lastChild
  }
  return at + node.nodeSize - 1
}

/** How many textblocks start before `pos`. */
function textblocksBefore(doc: PMNode, pos: number): number {
  let count = 0
  doc.nodesBetween(0, pos, (node, at) => {
    if (node.isTextblock && at + 1 < pos) count++
    return !node.isTextblock
  })
  return count
}

/** The start of the content of the `index`th textblock in reading order. */
function textblockStart(doc: PMNode, index: number): number {
  let found = -1
  let count = 0
  doc.descendants((node, at) => {
    if (found >= 0) return false
    if (node.isTextblock && count++ === index) found = at + 1
    return !node.isTextblock
  })
  return found
}
