import { EditorContent, useEditor } from '@tiptap/react'
import type { CollabSession } from '../collab/CollabSession'
import type { Identity } from '../identity'
import { clientExtensions } from './clientExtensions'
import { Toolbar } from './Toolbar'

/** The editable page. Created once per session; the identity is updated through awareness, not by rebuilding. */
export function ReportEditor({ session, identity }: { session: CollabSession; identity: Identity }) {
  const editor = useEditor(
    {
      extensions: clientExtensions(session, identity),
      editorProps: { attributes: { class: 'page__content', spellcheck: 'false', 'data-testid': 'editor' } },
    },
    [session],
  )
  if (!editor) return null
  return (
    <>
      <Toolbar editor={editor} />
      <div className="page-scroller">
        <article className="page">
          <EditorContent editor={editor} />
        </article>
      </div>
    </>
  )
}
