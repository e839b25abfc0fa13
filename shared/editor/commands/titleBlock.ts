import type { Command } from '@tiptap/pm/state'
import { TextSelection } from '@tiptap/pm/state'
import { officialDateOf } from '../../report/officialDate'

/**
 * The optional 署名 line (second child of the document, right after the title) and 落款 (last child).
 * Each command adds the part when it is missing, with the caret in it, and removes it when present.
 */

export const toggleAuthorLine: Command = (state, dispatch) => {
  const { doc, schema } = state
  const title = doc.firstChild
  if (!title || title.type.name !== 'reportTitle') return false
  const at = title.nodeSize
  const existing = doc.childCount > 1 ? doc.child(1) : null
  if (existing?.type.name === 'reportAuthor') {
    if (dispatch) dispatch(state.tr.delete(at, at + existing.nodeSize).scrollIntoView())
    return true
  }
  const author = schema.nodes.reportAuthor.create()
  if (!doc.canReplaceWith(1, 1, schema.nodes.reportAuthor)) return false
  if (dispatch) {
    const tr = state.tr.insert(at, author)
    dispatch(tr.setSelection(TextSelection.create(tr.doc, at + 1)).scrollIntoView())
  }
  return true
}

export const toggleSignature =
  (today: () => Date): Command =>
  (state, dispatch) => {
    const { doc, schema } = state
    const last = doc.lastChild
    if (last?.type.name === 'reportSignature') {
      if (dispatch) dispatch(state.tr.delete(doc.content.size - last.nodeSize, doc.content.size).scrollIntoView())
      return true
    }
    if (!doc.canReplaceWith(doc.childCount, doc.childCount, schema.nodes.reportSignature)) return false
    const signature = schema.nodes.reportSignature.create(null, [
      schema.nodes.signatureUnit.create(),
      schema.nodes.signatureDate.create(null, schema.text(officialDateOf(today()))),
    ])
    if (dispatch) {
      const at = doc.content.size
      const tr = state.tr.insert(at, signature)
      // Inside reportSignature (at + 1), inside signatureUnit (at + 2).
      dispatch(tr.setSelection(TextSelection.create(tr.doc, at + 2)).scrollIntoView())
    }
    return true
  }
