import { Fragment, Slice, type Node as PMNode, type Schema } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
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
  // Pasted text has no report title of its own: a short first line is just a paragraph here.
  const blocks = model.title ? [{ type: 'paragraph' as const, content: toInlines(model.title) }, ...model.blocks] : model.blocks
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

export function pasteImport(): Plugin {
  return new Plugin({
    key: new PluginKey('pasteImport'),
    props: {
      transformPasted(slice) {
        return new Slice(withFreshPlaceholderIds(slice.content), slice.openStart, slice.openEnd)
      },
      handlePaste(view, event) {
        const data = event.clipboardData
        if (!data) return false
        // Content copied from a Huigao editor already has its structure.
        if (data.getData('text/html').includes('data-pm-slice')) return false
        const text = data.getData('text/plain')
        if (!text || !worthImporting(text)) return false
        const { state } = view
        const slice = plainTextToSlice(text, state.schema)
        const tr = state.tr.replaceSelection(slice)
        // Where the structure cannot go (sections inside the report title), ProseMirror drops the slice
        // without a word; leave such a paste to the default handler rather than lose the text.
        const kept = state.doc.textContent.length - state.doc.textBetween(state.selection.from, state.selection.to).length
        if (tr.doc.textContent.length !== kept + slice.content.textBetween(0, slice.content.size).length) return false
        view.dispatch(tr.scrollIntoView())
        return true
      },
    },
  })
}
