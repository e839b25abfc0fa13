import { getSchema } from '@tiptap/core'
import { documentExtensions } from './extensions'

/**
 * The ProseMirror schema shared by the editor and the server's headless document views. Marked pure:
 * the client imports this module's neighbours (lib/ydoc.ts) for a constant only, and the bundler
 * then kept the call, building a whole schema (unused) before the editor page could start.
 */
export const schema = /* @__PURE__ */ getSchema(documentExtensions())
