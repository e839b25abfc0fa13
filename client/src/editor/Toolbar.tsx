import { useEditorState, type Editor } from '@tiptap/react'
import type { ReactNode } from 'react'
import { t } from '../strings'

function ToolButton(props: { label: string; active?: boolean; disabled?: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      className={`tool${props.active ? ' tool--active' : ''}`}
      title={props.label}
      aria-label={props.label}
      aria-pressed={props.active}
      disabled={props.disabled}
      // Keep the selection in the editor: a toolbar click must not blur it.
      onMouseDown={(event) => event.preventDefault()}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  )
}

export function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      underline: e.isActive('underline'),
      strike: e.isActive('strike'),
      h1: e.isActive('heading', { level: 1 }),
      h2: e.isActive('heading', { level: 2 }),
      paragraph: e.isActive('paragraph'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
    }),
  })
  const run = () => editor.chain().focus()
  return (
    <div className="toolbar" role="toolbar">
      <ToolButton label={t.editor.undo} disabled={!state.canUndo} onClick={() => run().undo().run()}>
        ↶
      </ToolButton>
      <ToolButton label={t.editor.redo} disabled={!state.canRedo} onClick={() => run().redo().run()}>
        ↷
      </ToolButton>
      <span className="toolbar__sep" />
      <ToolButton label={t.editor.heading(1)} active={state.h1} onClick={() => run().toggleHeading({ level: 1 }).run()}>
        标题
      </ToolButton>
      <ToolButton label={t.editor.heading(2)} active={state.h2} onClick={() => run().toggleHeading({ level: 2 }).run()}>
        小标题
      </ToolButton>
      <ToolButton label={t.editor.paragraph} active={state.paragraph} onClick={() => run().setParagraph().run()}>
        正文
      </ToolButton>
      <span className="toolbar__sep" />
      <ToolButton label={t.editor.bold} active={state.bold} onClick={() => run().toggleBold().run()}>
        <b>B</b>
      </ToolButton>
      <ToolButton label={t.editor.italic} active={state.italic} onClick={() => run().toggleItalic().run()}>
        <i>I</i>
      </ToolButton>
      <ToolButton label={t.editor.underline} active={state.underline} onClick={() => run().toggleUnderline().run()}>
        <u>U</u>
      </ToolButton>
      <ToolButton label={t.editor.strike} active={state.strike} onClick={() => run().toggleStrike().run()}>
        <s>S</s>
      </ToolButton>
      <span className="toolbar__sep" />
      <ToolButton label={t.editor.bulletList} active={state.bulletList} onClick={() => run().toggleBulletList().run()}>
        •≡
      </ToolButton>
      <ToolButton label={t.editor.orderedList} active={state.orderedList} onClick={() => run().toggleOrderedList().run()}>
        1≡
      </ToolButton>
    </div>
  )
}
