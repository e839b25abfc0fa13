import type { AnyExtension } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'

/**
 * The extensions that define the document model. Client and server both build their schema from
 * this list, so a document stored by the server always parses in the editor and vice versa.
 * View-only extensions (collaboration, carets, placeholders for empty lines) are added by the client.
 */
export function documentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      // Yjs owns history: a person must undo only their own changes, which ProseMirror's history can't do.
      undoRedo: false,
      // Official reports have no code, links or rules; keeping them out keeps pasted web content clean.
      code: false,
      codeBlock: false,
      link: false,
      horizontalRule: false,
      blockquote: false,
      heading: { levels: [1, 2, 3, 4] },
    }),
  ]
}
