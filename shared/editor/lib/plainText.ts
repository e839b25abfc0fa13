import { importPlainText } from '../../report/importText'
import type { ReportModel } from '../../report/model'
import { reportToDocJSON } from './reportToDoc'
import type { DocJSON } from './ydoc'

/**
 * An imported report as an editor document. The title falls back to `fallbackTitle` when the draft
 * has none, and a document with no body gets one empty paragraph to type in.
 */
export function modelToDocJSON(model: ReportModel, fallbackTitle = ''): DocJSON {
  const title = model.title || fallbackTitle
  const blocks = model.blocks.length > 0 ? model.blocks : [{ type: 'paragraph' as const, content: [] }]
  // The rich title only belongs to the model's own title, not to the fallback.
  const { titleContent, ...rest } = model
  return reportToDocJSON({ ...rest, title, ...(model.title && titleContent ? { titleContent } : {}), blocks })
}

/** A plain-text draft as an editor document: title, numbered sections and placeholders. */
export function plainTextToDocJSON(text: string, fallbackTitle = ''): DocJSON {
  return modelToDocJSON(importPlainText(text), fallbackTitle)
}
