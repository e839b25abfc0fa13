import type { CommentThread } from '../../../../shared/comments/threads'
import type { SuggestionInfo } from '../../../../shared/editor/lib/analyzeReport'

/**
 * Per-thread and per-suggestion styling the marks cannot know on their own, as CSS rules keyed by id:
 * - a resolved thread keeps its anchor (it can be reopened) but its text is no longer highlighted;
 * - a format suggestion is stored as the text replaced by a formatted copy (prosemirror-suggest-changes);
 *   the page shows the text once, formatted, dotted-underlined, as Word does, not struck out and repeated.
 */
export function DynamicStyles({ threads, suggestions }: { threads: CommentThread[]; suggestions: SuggestionInfo[] }) {
  const rules = [
    ...threads
      .filter((thread) => thread.resolved)
      .map((thread) => `.page__content .comment[data-thread-id="${CSS.escape(thread.id)}"]{background:none;border-bottom:none}`),
    ...suggestions
      .filter((suggestion) => suggestion.kind === 'format')
      .flatMap((suggestion) => {
        const id = CSS.escape(suggestion.id)
        return [
          `.page__content del.suggestion[data-suggestion-id="${id}"]{display:none}`,
          `.page__content ins.suggestion[data-suggestion-id="${id}"]{color:inherit;text-decoration:underline dotted var(--author-color,#2e7d32);text-decoration-thickness:2px}`,
        ]
      }),
  ]
  return <style data-testid="dynamic-styles">{rules.join('\n')}</style>
}
