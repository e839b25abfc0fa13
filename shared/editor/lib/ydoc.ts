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

/** Reads the editor content of a Y.Doc as a ProseMirror node, exactly as the editor would see it. */
export function yDocToNode(ydoc: Y.Doc): ProseMirrorNode {
  return yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(CONTENT_FRAGMENT), schema)
}
