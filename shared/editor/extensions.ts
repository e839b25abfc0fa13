import { Extension, type AnyExtension } from '@tiptap/core'
import Bold from '@tiptap/extension-bold'
import Italic from '@tiptap/extension-italic'
import Strike from '@tiptap/extension-strike'
import Underline from '@tiptap/extension-underline'
import StarterKit from '@tiptap/starter-kit'
import { Comment } from './marks/Comment'
import { Deletion } from './marks/Deletion'
import { Insertion } from './marks/Insertion'
import { Modification } from './marks/Modification'
import { Placeholder } from './marks/Placeholder'
import { ReportAuthor } from './nodes/ReportAuthor'
import { ReportDocument } from './nodes/ReportDocument'
import { ReportSignature } from './nodes/ReportSignature'
import { ReportTitle } from './nodes/ReportTitle'
import { Section } from './nodes/Section'
import { SectionTitle } from './nodes/SectionTitle'
import { SignatureDate } from './nodes/SignatureDate'
import { SignatureUnit } from './nodes/SignatureUnit'
import { FreshSelection } from './plugins/freshSelection'
import { EnterOverSelection } from './plugins/enterOverSelection'
import { NoClearDocument } from './plugins/noClearDocument'
import { pasteImport } from './plugins/pasteImport'
import { placeholderBoundary } from './plugins/placeholderBoundary'
import { reportDecorations } from './plugins/reportDecorations'

/** Plugins that give the report its derived look and behaviour (numbering, placeholder state, paste import). */
const ReportBehaviour = Extension.create({
  name: 'reportBehaviour',
  addProseMirrorPlugins() {
    const suggesting = () => (this.editor.storage as { suggestChanges?: { mode: string } }).suggestChanges?.mode === 'suggest'
    return [reportDecorations(), pasteImport({ suggesting }), placeholderBoundary()]
  },
})

/**
 * No Markdown shortcuts on the formatting marks. A report's unknown figures are asterisks (「**局」
 * 「*次」): Tiptap's rules made 「*次会议*」 typed at a line start italic and ate its asterisks, and a paste
 * with two masks (「*第二段**局」) came out italic with its masks gone (in 建议, the server then refused it).
 */
const noShortcuts = { addInputRules: () => [], addPasteRules: () => [] }

/**
 * The extensions that define the document model. Client and server both build their schema from
 * this list, so a document stored by the server always parses in the editor and vice versa.
 * View-only extensions (collaboration, carets) are added by the client.
 */
export function documentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      document: false,
      // Yjs owns history: a person must undo only their own changes, which ProseMirror's history can't do.
      undoRedo: false,
      // A report is title + numbered sections + paragraphs; free headings, lists, code, links and rules
      // would bypass the numbering and the official layout.
      heading: false,
      bulletList: false,
      orderedList: false,
      listItem: false,
      listKeymap: false,
      blockquote: false,
      code: false,
      codeBlock: false,
      horizontalRule: false,
      link: false,
      // It would append a paragraph in every client at once after a trailing section.
      trailingNode: false,
      // Added below without their Markdown shortcuts, and underline after them: the schema's mark order
      // (which orders marks on text, and so their JSON) stays as it was.
      bold: false,
      italic: false,
      strike: false,
      underline: false,
    }),
    Bold.extend(noShortcuts),
    Italic.extend(noShortcuts),
    Strike.extend(noShortcuts),
    Underline,
    ReportDocument,
    ReportTitle,
    Section,
    SectionTitle,
    ReportAuthor,
    ReportSignature,
    SignatureUnit,
    SignatureDate,
    Placeholder,
    Insertion,
    Deletion,
    Modification,
    Comment,
    ReportBehaviour,
    FreshSelection,
    NoClearDocument,
    EnterOverSelection,
  ]
}
