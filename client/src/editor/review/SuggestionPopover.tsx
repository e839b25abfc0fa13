import { useEditorState, type Editor } from '@tiptap/react'
import { BubbleMenu } from '@tiptap/react/menus'
import type { EditorState } from '@tiptap/pm/state'
import { analyzeReport } from '../../../../shared/editor/lib/analyzeReport'
import { Change, ReviewActions, SuggestionMeta, WithdrawAction } from './SuggestionCard'

/** The suggestion under the caret, if any. */
function suggestionAtCaret(state: EditorState) {
  const { $from } = state.selection
  const mark = [...$from.marks(), ...($from.nodeAfter?.marks ?? [])].find((m) => m.type.name === 'insertion' || m.type.name === 'deletion')
  if (!mark) return null
  return analyzeReport(state.doc).suggestions.find((suggestion) => suggestion.id === String(mark.attrs.id)) ?? null
}

/** A small card on the text itself: who suggested this, when, and (for drafters) accept / reject. */
/** `withdrawFor`: in 建议, the person whose own suggestions offer 撤回 here. */
export function SuggestionPopover({ editor, canReview, withdrawFor }: { editor: Editor; canReview: boolean; withdrawFor: string | null }) {
  const suggestion = useEditorState({ editor, selector: ({ editor: e }) => suggestionAtCaret(e.state) })
  return (
    <BubbleMenu
      editor={editor}
      pluginKey="suggestionPopover"
      shouldShow={({ state }) => suggestionAtCaret(state) !== null}
      // Flip above the text near the window's bottom edge and stay inside it, so the buttons can always be reached.
      options={{ placement: 'bottom-start', offset: 6, flip: true, shift: { padding: 8 } }}
    >
      {suggestion && (
        <div className="popover" data-testid="suggestion-popover">
          <SuggestionMeta suggestion={suggestion} />
          <Change suggestion={suggestion} />
          {canReview && <ReviewActions editor={editor} id={suggestion.id} />}
          {!canReview && withdrawFor !== null && suggestion.authorId === withdrawFor && <WithdrawAction editor={editor} id={suggestion.id} />}
        </div>
      )}
    </BubbleMenu>
  )
}
