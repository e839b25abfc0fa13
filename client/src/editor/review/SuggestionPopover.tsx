import { useEditorState, type Editor } from '@tiptap/react'
import { BubbleMenu } from '@tiptap/react/menus'
import type { EditorState } from '@tiptap/pm/state'
import { analyzeReport } from '../../../../shared/editor/lib/analyzeReport'
import { mayDecide } from '../../../../shared/sections/directEdit'
import { t } from '../../strings'
import { Change, ReviewActions, SuggestionMeta, WithdrawAction } from './SuggestionCard'

/** The suggestion under the caret, if any. */
function suggestionAtCaret(state: EditorState) {
  const { $from } = state.selection
  const mark = [...$from.marks(), ...($from.nodeAfter?.marks ?? [])].find((m) => m.type.name === 'insertion' || m.type.name === 'deletion')
  if (!mark) return null
  return analyzeReport(state.doc).suggestions.find((suggestion) => suggestion.id === String(mark.attrs.id)) ?? null
}

const observed = new WeakSet<HTMLElement>()

/**
 * The menu measures the card when it shows, before React has filled it in: measured empty, it fits
 * below the text at the window's bottom edge and is not flipped. Measured again whenever its size
 * changes, and placed again when anything scrolls.
 */
function repositionOnResize(editor: Editor, element: HTMLElement | null): void {
  if (!element || observed.has(element)) return
  observed.add(element)
  const observer = new ResizeObserver(() => reposition())
  const reposition = () => {
    if (editor.isDestroyed || !element.isConnected) {
      document.removeEventListener('scroll', reposition, true)
      observer.disconnect()
    } else if (element.closest('[style*="visibility: visible"]')) {
      editor.view.dispatch(editor.state.tr.setMeta('suggestionPopover', 'updatePosition'))
    }
  }
  observer.observe(element)
  // Fixed in the window, it follows the text when the editor pane (not the window) scrolls.
  document.addEventListener('scroll', reposition, { capture: true, passive: true })
}

/** A small card on the text itself: who suggested this, when, and (for drafters) accept / reject. */
/** `withdrawFor`: in 建议, the person whose own suggestions offer 撤回 here. */
/**
 * `decidesOnlyOwn`: a drafter under 按分工编辑 (their id), who decides only what lies in their own
 * sections; their own suggestions elsewhere they can still take back (撤回), as the server allows.
 */
export function SuggestionPopover({ editor, canReview, withdrawFor, decidesOnlyOwn = null }: { editor: Editor; canReview: boolean; withdrawFor: string | null; decidesOnlyOwn?: string | null }) {
  const suggestion = useEditorState({ editor, selector: ({ editor: e }) => suggestionAtCaret(e.state) })
  const decides = !!suggestion && canReview && (!decidesOnlyOwn || mayDecide(editor.state.doc, suggestion, decidesOnlyOwn))
  return (
    <BubbleMenu
      editor={editor}
      pluginKey="suggestionPopover"
      shouldShow={({ state }) => suggestionAtCaret(state) !== null}
      // Flip above the text near the window's bottom edge and stay inside it, so the buttons can always be
      // reached. Fixed, in the body: inside the page, the scrolling editor pane was the boundary flip
      // measured against, and a card for text at the window's bottom edge opened below it, out of sight.
      appendTo={() => document.body}
      options={{ strategy: 'fixed', placement: 'bottom-start', offset: 6, flip: { padding: 8 }, shift: { padding: 8 } }}
    >
      {suggestion && (
        <div className="popover" data-testid="suggestion-popover" ref={(element) => repositionOnResize(editor, element)}>
          <SuggestionMeta suggestion={suggestion} />
          <Change suggestion={suggestion} />
          {decides && <ReviewActions editor={editor} id={suggestion.id} />}
          {canReview && !decides && <p className="review-card__note">{t.review.notYoursToDecide}</p>}
          {!decides && withdrawFor !== null && suggestion.authorId === withdrawFor && <WithdrawAction editor={editor} id={suggestion.id} />}
        </div>
      )}
    </BubbleMenu>
  )
}
