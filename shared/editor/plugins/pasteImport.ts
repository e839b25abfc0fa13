import { Fragment, Slice, type Node as PMNode, type Schema } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import { createSiblingCounter, sectionOrdinal, type HeadingLevel } from '../../report/numbering'
import { adoptTrailingParagraphs, liftMisnestedSections } from '../commands/sections'
import { findMasks } from '../../report/masks'
import { importPlainText } from '../../report/importText'
import { toInlines } from '../../report/inlines'
import { newId } from '../lib/ids'
import { blockToJSON, inlinesToJSON } from '../lib/reportToDoc'

/**
 * Turns pasted plain text into report structure through the same importer as uploads: heading lines
 * become numbered sections, masked figures become placeholders. A single line is pasted inline.
 */
export function plainTextToSlice(text: string, schema: Schema): Slice {
  const normalised = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '')
  if (!normalised.includes('\n')) {
    const inline = inlinesToJSON(toInlines(normalised.trim())).map((json) => schema.nodeFromJSON(json))
    return new Slice(Fragment.from(inline), 0, 0)
  }
  const model = importPlainText(normalised)
  // Pasted text has no report title of its own: a short first line is just a paragraph here, and so are
  // lines the importer read as a 署名 or a 落款 (the document's own title block and 落款 are not pasted over).
  const line = (text: string) => ({ type: 'paragraph' as const, content: toInlines(text) })
  const head = [model.title, model.author ?? ''].filter((text) => text !== '').map(line)
  const tail = model.signature ? [model.signature.unit, model.signature.date].filter((text) => text !== '').map(line) : []
  const blocks = [...head, ...model.blocks, ...tail]
  const nodes: PMNode[] = blocks.map((block) => schema.nodeFromJSON(blockToJSON(block)))
  return new Slice(Fragment.from(nodes), 0, 0)
}

/** Text worth importing: it has several lines or contains a masked figure. */
function worthImporting(text: string): boolean {
  return /\n\s*\S/.test(text.trim()) || findMasks(text).length > 0
}

/** Gives every placeholder in pasted content a fresh id, so a copied figure is a figure of its own. */
export function withFreshPlaceholderIds(fragment: Fragment): Fragment {
  const nodes: PMNode[] = []
  fragment.forEach((node) => {
    if (node.isText) {
      nodes.push(
        node.mark(node.marks.map((mark) => (mark.type.name === 'placeholder' ? mark.type.create({ ...mark.attrs, id: newId('ph') }) : mark))),
      )
    } else {
      nodes.push(node.copy(withFreshPlaceholderIds(node.content)))
    }
  })
  return Fragment.from(nodes)
}

export interface PasteImportOptions {
  /**
   * Whether the person is in 建议 mode. Pasted structure would then be new, unrecorded sections, which
   * the server refuses from a reviewer: the paste goes in as suggested paragraphs (headings as text).
   */
  suggesting?: () => boolean
}

/** Sections as the paragraphs they read as: each title line with its ordinal, then the body. */
export function flattenSections(fragment: Fragment, schema: Schema): Fragment {
  const nodes: PMNode[] = []
  const nextIndex = createSiblingCounter()
  fragment.forEach((node) => {
    if (node.type.name !== 'section') {
      nodes.push(node)
      return
    }
    const level = node.attrs.level as HeadingLevel
    const ordinal = schema.text(sectionOrdinal(level, nextIndex(level)))
    const title = node.firstChild!
    nodes.push(schema.nodes.paragraph.create(null, Fragment.from(ordinal).append(title.content)))
    const body: PMNode[] = []
    node.forEach((child, _offset, index) => index > 0 && body.push(child))
    flattenSections(Fragment.from(body), schema).forEach((child) => nodes.push(child))
  })
  return Fragment.from(nodes)
}

const hasSection = (fragment: Fragment) => {
  let found = false
  fragment.descendants((node) => {
    found ||= node.type.name === 'section'
    return !found
  })
  return found
}

/** The text of pasted blocks as one line (lines joined by a space), placeholders and formatting kept. */
function asOneLine(fragment: Fragment, schema: Schema): Fragment {
  const inlines: PMNode[] = []
  fragment.descendants((node) => {
    if (!node.isTextblock) return true
    if (inlines.length > 0 && node.content.size > 0) inlines.push(schema.text(' '))
    node.forEach((inline) => inlines.push(inline))
    return false
  })
  return Fragment.from(inlines)
}

/**
 * What a paste in 建议 mode inserts: sections become the paragraphs they read as (new structure cannot
 * be suggested by pasting), and several lines pasted into a title stay in that title as one line
 * (splitting a title would split its section).
 */
function asSuggestion(slice: Slice, view: EditorView): Slice {
  const { schema, selection } = view.state
  const inTitle = ['sectionTitle', 'reportTitle'].includes(selection.$from.parent.type.name)
  let blocks = false
  slice.content.forEach((node) => (blocks ||= node.isBlock))
  if (inTitle && blocks) return new Slice(asOneLine(slice.content, schema), 0, 0)
  if (hasSection(slice.content)) return openParagraphs(flattenSections(slice.content, schema))
  return slice.openStart === 0 && slice.openEnd === 0 ? openParagraphs(slice.content) : slice
}

/**
 * Pasted paragraphs as an open slice: the first joins the text before the caret, the last the text
 * after it, as a paste of copied lines does. Closed, a paste at a paragraph's end would leave an empty
 * paragraph behind, which 建议 cannot record as a suggestion.
 */
function openParagraphs(content: Fragment): Slice {
  let paragraphs = content.childCount > 0
  content.forEach((node) => (paragraphs &&= node.type.name === 'paragraph'))
  return new Slice(content, paragraphs ? 1 : 0, paragraphs ? 1 : 0)
}

export function pasteImport(options: PasteImportOptions = {}): Plugin {
  const suggesting = () => options.suggesting?.() ?? false
  /** Inserts pasted structure; in 编辑 a pasted heading then moves out to its own level, and the text after it becomes its body. */
  const insert = (view: EditorView, slice: Slice): void => {
    const tr = view.state.tr.replaceSelection(slice)
    if (!suggesting()) {
      liftMisnestedSections(tr)
      adoptTrailingParagraphs(tr)
    }
    view.dispatch(tr.scrollIntoView().setMeta('paste', true).setMeta('uiEvent', 'paste'))
  }
  return new Plugin({
    key: new PluginKey('pasteImport'),
    props: {
      transformPasted(slice, view) {
        const fresh = new Slice(withFreshPlaceholderIds(slice.content), slice.openStart, slice.openEnd)
        return suggesting() ? asSuggestion(fresh, view) : fresh
      },
      handlePaste(view, event, pasted) {
        const data = event.clipboardData
        if (!data) return false
        // Content copied from a Huigao editor already has its structure (transformPasted has run).
        if (data.getData('text/html').includes('data-pm-slice')) {
          if (!hasSection(pasted.content)) return false
          insert(view, pasted)
          return true
        }
        const text = data.getData('text/plain')
        if (!text || !worthImporting(text)) return false
        const { state } = view
        let slice = plainTextToSlice(text, state.schema)
        if (suggesting()) slice = asSuggestion(slice, view)
        const tr = state.tr.replaceSelection(slice)
        // Where the structure cannot go (sections inside the report title), ProseMirror drops the slice
        // without a word; leave such a paste to the default handler rather than lose the text.
        const kept = state.doc.textContent.length - state.doc.textBetween(state.selection.from, state.selection.to).length
        if (tr.doc.textContent.length !== kept + slice.content.textBetween(0, slice.content.size).length) return false
        insert(view, slice)
        return true
      },
    },
  })
}
