import { updateYFragment } from '@tiptap/y-tiptap'
import { EditorState, type Command } from '@tiptap/pm/state'
import type * as Y from 'yjs'
import { schema } from '../editor/schema'
import { CONTENT_FRAGMENT, yDocToNode } from '../editor/lib/ydoc'

/**
 * Runs an editor command on a Y.Doc without an editor (the server applying a sheet import or an API
 * fill): the whole change is written as ONE Yjs transaction, so every open editor receives it as one
 * update and no one sees half an import. Returns false, changing nothing, when the command refuses.
 */
export function runOnYDoc(ydoc: Y.Doc, command: Command, origin: unknown): boolean {
  const state = EditorState.create({ schema, doc: yDocToNode(ydoc) })
  let next: EditorState | null = null
  const ok = command(state, (tr) => {
    next = state.apply(tr)
  })
  const doc = (next as EditorState | null)?.doc
  if (!ok || !doc) return false
  ydoc.transact(() => {
    updateYFragment(ydoc, ydoc.getXmlFragment(CONTENT_FRAGMENT), doc, { mapping: new Map(), isOMark: new Map() })
  }, origin)
  return true
}
