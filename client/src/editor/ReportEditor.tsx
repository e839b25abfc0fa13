import { EditorContent, useEditor, type Editor } from '@tiptap/react'
import type { CollabSession } from '../collab/CollabSession'
import type { Identity } from '../identity'
import { clientExtensions } from './clientExtensions'
import { OutlinePanel } from './OutlinePanel'
import { PlaceholderPanel } from './PlaceholderPanel'
import { Toolbar } from './Toolbar'
import { useReportAnalysis } from './useReportAnalysis'

function Workspace({ editor }: { editor: Editor }) {
  const analysis = useReportAnalysis(editor)
  return (
    <>
      <Toolbar editor={editor} />
      <div className="workspace">
        <OutlinePanel editor={editor} analysis={analysis} />
        <div className="page-scroller">
          <article className="page">
            <EditorContent editor={editor} />
          </article>
        </div>
        <PlaceholderPanel editor={editor} analysis={analysis} />
      </div>
    </>
  )
}

/** The editable report with its panels. Created once per session; identity changes go through awareness. */
export function ReportEditor({ session, identity }: { session: CollabSession; identity: Identity }) {
  const editor = useEditor(
    {
      extensions: clientExtensions(session, identity),
      editorProps: { attributes: { class: 'page__content', spellcheck: 'false', 'data-testid': 'editor' } },
    },
    [session],
  )
  return editor ? <Workspace editor={editor} /> : null
}
