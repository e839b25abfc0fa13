import type { JSONContent } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { schema } from '../schema'

/** Name of the Y.XmlFragment holding the editor content; Tiptap's Collaboration extension defaults to it. */
export const CONTENT_FRAGMENT = 'default'

export type DocJSON = JSONContent & { type: 'doc' }

/** Encodes ProseMirror JSON as a Yjs update that creates the whole document. */
export function docJSONToUpdate(json: DocJSON): Uint8Array {
  const ydoc = prosemirrorJSONToYDoc(schema, json, CONTENT_FRAGMENT)
  const update = Y.encodeStateAsUpdate(ydoc)
  ydoc.destroy()
  return update
}

/**
 * Reads the editor content of a Y.Doc as a ProseMirror node, exactly as the editor would see it.
 * The node is kept until the document's next transaction: the server's views (placeholders, outline,
 * review, figures, export, submission checks) read an unchanged report again and again, and each
 * conversion of a 50-page report took 10–20 ms; the same node also lets `analyzeReport`'s per-block
 * memo answer. Nodes are immutable, so handing the same one to several readers is safe.
 */
export function yDocToNode(ydoc: Y.Doc): ProseMirrorNode {
  let cached = converted.get(ydoc)
  if (!cached) {
    const entry: { node: ProseMirrorNode | null } = { node: null }
    // Any transaction may have changed the content (conversion itself may delete an element the
    // schema refuses, in a transaction of its own, before its result is kept: that result is current).
    ydoc.on('afterTransaction', () => (entry.node = null))
    converted.set(ydoc, (cached = entry))
  }
  return (cached.node ??= yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(CONTENT_FRAGMENT), schema))
}

const converted = new WeakMap<Y.Doc, { node: ProseMirrorNode | null }>()
