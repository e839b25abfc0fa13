import type { JSONContent } from '@tiptap/core'
import type { Block, Inline, ReportModel } from '../../report/model'
import { toInlines } from '../../report/inlines'
import { newId } from './ids'
import type { DocJSON } from './ydoc'

type NodeJSON = JSONContent

export function inlinesToJSON(inlines: readonly Inline[]): NodeJSON[] {
  return inlines
    .filter((inline) => inline.text !== '')
    .map((inline) => {
      const marks: NodeJSON['marks'] = [
        ...(inline.type === 'placeholder' ? [{ type: 'placeholder', attrs: { id: inline.id ?? newId('ph'), kind: inline.kind } }] : []),
        ...(inline.marks ?? []),
      ]
      return marks.length > 0 ? { type: 'text', text: inline.text, marks } : { type: 'text', text: inline.text }
    })
}

export function blockToJSON(block: Block): NodeJSON {
  if (block.type === 'paragraph') return { type: 'paragraph', content: inlinesToJSON(block.content) }
  return {
    type: 'section',
    attrs: { level: block.level, runIn: block.runIn },
    content: [{ type: 'sectionTitle', content: inlinesToJSON(block.title) }, ...block.body.map(blockToJSON)],
  }
}

/** The editor document for an imported report; every placeholder gets a fresh id. */
export function reportToDocJSON(model: ReportModel): DocJSON {
  return {
    type: 'doc',
    content: [
      { type: 'reportTitle', content: inlinesToJSON(model.titleContent ?? toInlines(model.title)) },
      ...(model.author !== undefined ? [{ type: 'reportAuthor', content: inlinesToJSON(model.authorContent ?? toInlines(model.author)) }] : []),
      ...model.blocks.map(blockToJSON),
      ...(model.signature ? [signatureJSON(model.signature)] : []),
    ],
  }
}

function signatureJSON(signature: NonNullable<ReportModel['signature']>): NodeJSON {
  return {
    type: 'reportSignature',
    content: [
      { type: 'signatureUnit', content: inlinesToJSON(signature.unitContent ?? toInlines(signature.unit)) },
      { type: 'signatureDate', content: inlinesToJSON(signature.dateContent ?? toInlines(signature.date)) },
    ],
  }
}
