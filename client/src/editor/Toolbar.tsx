import { useEditorState, type Editor } from '@tiptap/react'
import { yUndoPluginKey } from '@tiptap/y-tiptap'
import type { ReactNode } from 'react'
import { MAX_SECTION_LEVEL, sectionAround } from '../../../shared/editor/commands/sections'
import type { EditorMode } from '../../../shared/editor/suggestions/SuggestChanges'
import { readStructural } from '../../../shared/editor/suggestions/structural'
import type { Node as PMNode } from '@tiptap/pm/model'
import { PLACEHOLDER_KINDS, type PlaceholderKind } from '../../../shared/report/kinds'
import { t } from '../strings'

/** The joint-drafting state the client keeps in the editor (sections/sectionMode.ts), if loaded. */
const sectionMode = (editor: Editor) => (editor.storage as { sectionMode?: { byAssignment: boolean; role: string } }).sectionMode

/** Whether a section's title runs in, counting a pending 标题并入段首 / 单独成行 suggestion. */
function pendingRunIn(section: PMNode): boolean {
  const pending = readStructural(section).filter((suggestion) => suggestion.op === 'runIn' || suggestion.op === 'runOut').at(-1)
  return pending ? pending.op === 'runIn' : Boolean(section.attrs.runIn)
}

function ToolButton(props: { label: string; hint?: string; active?: boolean; disabled?: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      className={`tool${props.active ? ' tool--active' : ''}`}
      title={props.hint ?? props.label}
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

export function Toolbar({ editor, mode, onComment, children }: { editor: Editor; mode: EditorMode; onComment: () => void; children?: ReactNode }) {
  const readOnly = mode === 'view'
  // Placeholder marking is not tracked as a suggestion, so in 建议 mode it stays locked.
  const structureLocked = mode !== 'edit'
  // Section commands in 建议 become structural suggestions (「上移章节」…), as their shortcuts do.
  const sectionLocked = readOnly
  const suggesting = mode === 'suggest'
  // Bold/italic/underline in 建议 become format suggestions (「格式：加粗」), like Ctrl+B/I/U.
  const formatLocked = readOnly
  const state = useEditorState({
    editor,
    // Runs on every transaction, so it sticks to cheap checks of the selection and the undo stacks (no
    // command dry runs: can() builds the whole command chain each time).
    selector: ({ editor: e }) => {
      const { selection } = e.state
      const { $from, empty } = selection
      const section = sectionAround($from)
      const placeholder = $from.marks().find((mark) => mark.type.name === 'placeholder')
      const siblings = section ? e.state.doc.resolve(section.pos) : null
      const index = siblings?.index() ?? 0
      const parent = siblings?.parent
      const neighbour = (offset: number) => parent?.maybeChild(index + offset)?.type.name
      const movable = (name: string | undefined) => name === 'paragraph' || name === 'section'
      return {
        canUndo: (yUndoPluginKey.getState(e.state)?.undoManager.undoStack.length ?? 0) > 0,
        canRedo: (yUndoPluginKey.getState(e.state)?.undoManager.redoStack.length ?? 0) > 0,
        bold: e.isActive('bold'),
        italic: e.isActive('italic'),
        underline: e.isActive('underline'),
        strike: e.isActive('strike'),
        ...(suggesting
          ? // In 建议 a section command may be refused (it would change nothing once the pending
            // structural suggestions are accepted): ask the commands, which is cheap (sections only).
            {
              canPromote: e.can().promoteSection(),
              canDemote: e.can().demoteSection(),
              canMoveUp: e.can().moveSectionUp(),
              canMoveDown: e.can().moveSectionDown(),
              canAddSection: e.can().insertSectionAfter(),
              canAddSubsection: e.can().insertSubsection(),
              runIn: section ? pendingRunIn(section.node) : false,
              canRunIn: section ? e.can().setSectionRunIn(!pendingRunIn(section.node)) : false,
            }
          : {
              canPromote: section ? section.level > 1 : false,
              canDemote: section ? section.level < MAX_SECTION_LEVEL : false,
              canMoveUp: section ? movable(neighbour(-1)) : false,
              canMoveDown: section ? movable(neighbour(1)) : false,
              canAddSection: true,
              canAddSubsection: section ? section.level < MAX_SECTION_LEVEL : false,
              runIn: section ? Boolean(section.node.attrs.runIn) : false,
              canRunIn: section ? section.level > 1 || Boolean(section.node.attrs.runIn) : false,
            }),
        canMark: !empty && $from.sameParent(selection.$to),
        canUnmark: Boolean(placeholder) || (!empty && e.state.doc.rangeHasMark(selection.from, selection.to, e.schema.marks.placeholder)),
        placeholderId: (placeholder?.attrs.id as string | undefined) ?? null,
        placeholderKind: (placeholder?.attrs.kind as PlaceholderKind | undefined) ?? null,
        hasSelection: !empty,
        // With 按分工编辑 a drafter's change outside their sections can only be a suggestion, and adding or
        // removing the 署名 / 落款 cannot be one: the server would refuse it.
        titleBlockByOwner: Boolean(sectionMode(e)?.byAssignment && sectionMode(e)?.role === 'drafter'),
        hasAuthor: e.state.doc.maybeChild(1)?.type.name === 'reportAuthor',
        hasSignature: e.state.doc.lastChild?.type.name === 'reportSignature',
      }
    },
  })
  const run = () => editor.chain().focus()
  return (
    <div className="toolbar" role="toolbar" data-testid="toolbar">
      {children}
      <span className="toolbar__sep" />
      <ToolButton label={t.editor.undo} disabled={readOnly || !state.canUndo} onClick={() => run().undo().run()}>
        ↶
      </ToolButton>
      <ToolButton label={t.editor.redo} disabled={readOnly || !state.canRedo} onClick={() => run().redo().run()}>
        ↷
      </ToolButton>
      <span className="toolbar__sep" />
      <ToolButton label={t.editor.bold} active={state.bold} disabled={formatLocked} onClick={() => run().toggleBold().run()}>
        <b>B</b>
      </ToolButton>
      <ToolButton label={t.editor.italic} active={state.italic} disabled={formatLocked} onClick={() => run().toggleItalic().run()}>
        <i>I</i>
      </ToolButton>
      <ToolButton label={t.editor.underline} active={state.underline} disabled={formatLocked} onClick={() => run().toggleUnderline().run()}>
        <u>U</u>
      </ToolButton>
      <ToolButton label={t.editor.strike} active={state.strike} disabled={formatLocked} onClick={() => run().toggleStrike().run()}>
        <s>S</s>
      </ToolButton>
      <span className="toolbar__sep" />
      <ToolButton label={t.editor.addSection} hint={t.editor.addSectionHint} disabled={sectionLocked || !state.canAddSection} onClick={() => run().insertSectionAfter().run()}>
        ＋{t.editor.addSection}
      </ToolButton>
      <ToolButton label={t.editor.addSubsection} hint={t.editor.addSubsectionHint} disabled={sectionLocked || !state.canAddSubsection} onClick={() => run().insertSubsection().run()}>
        {t.editor.addSubsection}
      </ToolButton>
      <ToolButton label={t.editor.promote} hint={t.editor.promoteHint} disabled={sectionLocked || !state.canPromote} onClick={() => run().promoteSection().run()}>
        ⇤{t.editor.promote}
      </ToolButton>
      <ToolButton label={t.editor.demote} hint={t.editor.demoteHint} disabled={sectionLocked || !state.canDemote} onClick={() => run().demoteSection().run()}>
        {t.editor.demote}⇥
      </ToolButton>
      <ToolButton label={t.editor.moveUp} hint={t.editor.moveUpHint} disabled={sectionLocked || !state.canMoveUp} onClick={() => run().moveSectionUp().run()}>
        ↑{t.editor.moveUp}
      </ToolButton>
      <ToolButton label={t.editor.moveDown} hint={t.editor.moveDownHint} disabled={sectionLocked || !state.canMoveDown} onClick={() => run().moveSectionDown().run()}>
        ↓{t.editor.moveDown}
      </ToolButton>
      <ToolButton label={t.editor.runIn} hint={t.editor.runInHint} active={state.runIn} disabled={sectionLocked || !state.canRunIn} onClick={() => run().setSectionRunIn(!state.runIn).run()}>
        {t.editor.runIn}
      </ToolButton>
      <span className="toolbar__sep" />
      {/* Adding or removing the 署名 / 落款 is not a suggestion the review records: 编辑 only. */}
      <ToolButton
        label={t.titleBlock.author}
        hint={state.titleBlockByOwner ? t.titleBlock.ownerOnly : t.titleBlock.authorHint}
        active={state.hasAuthor}
        disabled={structureLocked || state.titleBlockByOwner}
        onClick={() => run().toggleAuthorLine().run()}
      >
        {t.titleBlock.author}
      </ToolButton>
      <ToolButton
        label={t.titleBlock.signature}
        hint={state.titleBlockByOwner ? t.titleBlock.ownerOnly : t.titleBlock.signatureHint}
        active={state.hasSignature}
        disabled={structureLocked || state.titleBlockByOwner}
        onClick={() => run().toggleSignature().run()}
      >
        {t.titleBlock.signature}
      </ToolButton>
      <span className="toolbar__sep" />
      <ToolButton label={t.editor.markPlaceholder} hint={t.editor.markPlaceholderHint} disabled={structureLocked || !state.canMark} onClick={() => run().markPlaceholder().run()}>
        <span className="tool__mask">＊</span>
        {t.editor.markPlaceholder}
      </ToolButton>
      <ToolButton label={t.editor.unmarkPlaceholder} hint={t.editor.unmarkPlaceholderHint} disabled={structureLocked || !state.canUnmark} onClick={() => run().unmarkPlaceholder().run()}>
        {t.editor.unmarkPlaceholder}
      </ToolButton>
      <span className="toolbar__sep" />
      <ToolButton label={t.review.comment} hint={t.review.commentHint} disabled={!state.hasSelection} onClick={onComment}>
        {t.review.comment}
      </ToolButton>
      {state.placeholderId && !structureLocked && (
        <label className="toolbar__kind">
          {t.editor.placeholderKind}
          <select
            value={state.placeholderKind ?? 'text'}
            onChange={(event) => run().setPlaceholderKind(state.placeholderId!, event.target.value as PlaceholderKind).run()}
          >
            {PLACEHOLDER_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t.kinds[kind]}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  )
}
