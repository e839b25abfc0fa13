import { Fragment, Slice, type Node as PMNode, type Schema } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { findMasks } from '../../report/masks'
import { importPlainText } from '../../report/importText'
import { toInlines } from '../../report/inlines'
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

export function pasteImport(): Plugin {
  return new Plugin({
    key: new PluginKey('pasteImport'),
    props: {
      handlePaste(view, event) {
        const data = event.clipboardData
        if (!data) return false
        // Content copied from a Huigao editor already has its structure.
        if (data.getData('text/html').includes('data-pm-slice')) return false
        const text = data.getData('text/plain')
        if (!text || !worthImporting(text)) return false
        view.dispatch(view.state.tr.replaceSelection(plainTextToSlice(text, view.state.schema)).scrollIntoView())
        return true
      },
    },
  })
}
