/**
 * Where benchmark clients write: a paragraph of the editor's content fragment, as the editor would.
 *
 * Huigao refuses updates to any other root type (server/extensions/UpdateRules.ts), so every writer —
 * for Huigao and the references alike, to keep the work equivalent — owns one paragraph
 * (`Y.XmlElement('paragraph')` holding a `Y.XmlText`) at the top of the `default` XmlFragment,
 * created in the same transaction as its first keystroke. Its text is found again by the client id
 * that created the paragraph.
 */
import * as Y from 'yjs'
import { CONTENT_FRAGMENT } from '../../shared/editor/lib/ydoc'

export { CONTENT_FRAGMENT }

/** The XmlText of the paragraph `doc`'s own client created, creating it (call inside a transaction). */
export function ownParagraphText(doc: Y.Doc): Y.XmlText {
  const existing = paragraphTextOf(doc, doc.clientID)
  if (existing) return existing
  const paragraph = new Y.XmlElement('paragraph')
  doc.getXmlFragment(CONTENT_FRAGMENT).insert(0, [paragraph])
  const text = new Y.XmlText()
  paragraph.insert(0, [text])
  return text
}

/** The XmlText of the paragraph created by `client`, or null. */
export function paragraphTextOf(doc: Y.Doc, client: number): Y.XmlText | null {
  for (const node of doc.getXmlFragment(CONTENT_FRAGMENT).toArray()) {
    if (node instanceof Y.XmlElement && node._item?.id.client === client) {
      const text = node.get(0)
      return text instanceof Y.XmlText ? text : null
    }
  }
  return null
}

/** The whole content as XML (markers are found in it by `markersIn`). */
export const contentString = (doc: Y.Doc): string => doc.getXmlFragment(CONTENT_FRAGMENT).toString()
