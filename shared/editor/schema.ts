import { getSchema } from '@tiptap/core'
import { documentExtensions } from './extensions'

/** The ProseMirror schema shared by the editor and the server's headless document views. */
export const schema = getSchema(documentExtensions())
