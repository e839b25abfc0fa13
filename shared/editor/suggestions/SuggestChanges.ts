import { Extension } from '@tiptap/core'
import { suggestChanges } from '@handlewithcare/prosemirror-suggest-changes'
import type { CommandProps } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { breakDecorationsPlugin } from './breakDecorations'
import { libraryDecorations } from './libraryDecorations'
import { SKIP_SUGGEST } from './meta'
import { byAuthor, byId, everySuggestion, hasSuggestions, reviewSuggestions, type SuggestionFilter } from './review'
import type { Author } from './stampAuthor'
import { suggestTransaction, touchesLineBreak } from './suggestTransaction'
import { hasStructural, reviewStructural, type StructuralFilter } from './structural'

/** 编辑 edits directly, 建议 turns one's edits into suggestions, 查看 is read-only. */
export type EditorMode = 'edit' | 'suggest' | 'view'

/**
 * Why an edit did not happen (the client words each): in 建议, it would change another person's
 * suggestion, or insert or remove a line break; `'dissolve'`: Backspace at a section title's start,
 * which cannot be a suggestion (in 建议, or where 按分工编辑 makes the change one); `'structure'`: a
 * structure command that 按分工编辑 makes a suggestion, and that cannot be one.
 */
export type SuggestionRefusal = 'othersSuggestion' | 'lineBreak' | 'dissolve' | 'structure'

export { SKIP_SUGGEST }

export interface SuggestChangesOptions {
  author: Author
  mode: EditorMode
}

export interface SuggestChangesStorage {
  mode: EditorMode
  author: Author
  /**
   * In 编辑, whether a structure command's result may be made directly (the section commands, nodes/
   * Section.ts); when it may not, the command becomes a structural suggestion instead. Null: always.
   * The client sets it under 按分工编辑 for a drafter (sections/directEdit.ts, the server's rule).
   * @default null
   */
  allowsDirect: ((before: PMNode, after: PMNode) => boolean) | null
}

declare module '@tiptap/core' {
  interface EditorEvents {
    /**
     * A local edit in 建议 was dropped because it cannot be a suggestion of this person's (it would
     * change another person's suggestion, or a whole section as text; or it inserts or removes a line
     * break, `reason: 'lineBreak'`). The client tells the person.
     */
    suggestionRefused: { editor: import('@tiptap/core').Editor; reason: SuggestionRefusal }
    /**
     * A structure command in 编辑 became a structural suggestion because its result may not be made
     * directly (`allowsDirect`, 按分工编辑). The client tells the person.
     */
    structureSuggested: { editor: import('@tiptap/core').Editor }
  }
  interface Commands<ReturnType> {
    suggestChanges: {
      setEditorMode: (mode: EditorMode) => ReturnType
      /** Whose name new suggestions carry (the signed-in person). */
      setSuggestionAuthor: (author: Author) => ReturnType
      acceptSuggestion: (id: string) => ReturnType
      rejectSuggestion: (id: string) => ReturnType
      /** Accepts every pending suggestion, or only one author's. */
      acceptAllSuggestions: (authorId?: string) => ReturnType
      rejectAllSuggestions: (authorId?: string) => ReturnType
      /** Accepts these suggestions (text and structure) in one transaction: one undo step, one update. */
      acceptSuggestions: (ids: readonly string[]) => ReturnType
      /** Rejects these suggestions in one transaction. */
      rejectSuggestions: (ids: readonly string[]) => ReturnType
    }
  }
  interface Storage {
    suggestChanges: SuggestChangesStorage
  }
}

/** The page's extra attributes in 查看 and in the other modes. */
const READ_ONLY: Record<string, string> = { 'aria-readonly': 'true' }
const EDITABLE: Record<string, string> = {}

function isRemoteOrHistory(tr: Transaction): boolean {
  const ySync = (tr.getMeta('y-sync$') ?? {}) as { isChangeOrigin?: boolean; isUndoRedoOperation?: boolean }
  return Boolean(ySync.isChangeOrigin || ySync.isUndoRedoOperation || tr.getMeta(SKIP_SUGGEST))
}

/**
 * Suggest mode (tracked changes) on top of prosemirror-suggest-changes: every local edit of a person
 * in 建议 mode becomes insertion/deletion marks carrying their name. Remote Yjs transactions,
 * undo/redo and review actions pass through untouched.
 */
export const SuggestChanges = Extension.create<SuggestChangesOptions, SuggestChangesStorage>({
  name: 'suggestChanges',

  addOptions() {
    return { author: { id: 'anonymous', name: '匿名' }, mode: 'edit' }
  },

  addStorage() {
    return { mode: this.options.mode, author: this.options.author, allowsDirect: null }
  },

  dispatchTransaction({ transaction, next }) {
    if (this.storage.mode !== 'suggest' || !transaction.docChanged || isRemoteOrHistory(transaction)) return next(transaction)
    const tracked = suggestTransaction(transaction, this.editor.state, this.storage.author)
    if (tracked) next(tracked)
    // Nothing silent: the edit did not happen, so the person is told why.
    else this.editor.emit('suggestionRefused', { editor: this.editor, reason: touchesLineBreak(transaction) ? 'lineBreak' : 'othersSuggestion' })
  },

  addProseMirrorPlugins() {
    const storage = this.storage
    return [
      // For its keyboard handling around the zero-width markers of paragraph splits and joins.
      libraryDecorations(suggestChanges()),
      breakDecorationsPlugin(),
      // In 查看 the page is read-only, and says so to screen readers (it stays role="textbox").
      new Plugin({
        key: new PluginKey('editorMode'),
        // Constant objects: ProseMirror asks for the attributes at every update (each keystroke).
        props: { editable: () => storage.mode !== 'view', attributes: () => (storage.mode === 'view' ? READ_ONLY : EDITABLE) },
      }),
    ]
  },

  addCommands() {
    // All in the command's one transaction: one Yjs transaction, one undo step, one update on the wire.
    // Structural suggestions (structural.ts) after the text ones, in the same transaction.
    const review =
      (filter: SuggestionFilter, accept: boolean, structural: StructuralFilter) =>
      ({ state, tr, dispatch }: CommandProps) => {
        if (!hasSuggestions(state.doc, filter) && !hasStructural(state.doc, structural)) return false
        if (dispatch) {
          tr.setMeta(SKIP_SUGGEST, true)
          if (accept) {
            reviewSuggestions(tr, true, filter)
            reviewStructural(tr, true, structural)
          } else {
            // Structure first, as the server's guard withdraws (normalizeForReview): a new section
            // suggested between the two halves of a suggested paragraph split keeps them apart, and the
            // split, rejected first, could not be joined back (the report's title stayed a paragraph).
            reviewStructural(tr, false, structural)
            reviewSuggestions(tr, false, filter)
          }
        }
        return true
      }
    const structuralById = (...ids: readonly string[]): StructuralFilter => (suggestion) => ids.includes(suggestion.id)
    const structuralByAuthor = (authorId?: string): StructuralFilter => (suggestion) => !authorId || suggestion.authorId === authorId
    return {
      setEditorMode:
        (mode) =>
        ({ tr, dispatch }) => {
          // The transaction (empty but for this meta) makes the view re-read `editable`.
          if (dispatch) {
            this.storage.mode = mode
            tr.setMeta('editorMode', mode)
          }
          return true
        },
      setSuggestionAuthor:
        (author) =>
        ({ dispatch }) => {
          if (dispatch) this.storage.author = author
          return true
        },
      acceptSuggestion: (id) => review(byId(id), true, structuralById(id)),
      rejectSuggestion: (id) => review(byId(id), false, structuralById(id)),
      acceptAllSuggestions: (authorId) => review(authorId ? byAuthor(authorId) : everySuggestion, true, structuralByAuthor(authorId)),
      rejectAllSuggestions: (authorId) => review(authorId ? byAuthor(authorId) : everySuggestion, false, structuralByAuthor(authorId)),
      acceptSuggestions: (ids) => review(byId(...ids), true, structuralById(...ids)),
      rejectSuggestions: (ids) => review(byId(...ids), false, structuralById(...ids)),
    }
  },
})

