import { Node, type Attributes, type Editor } from '@tiptap/core'
import {
  demoteSection,
  dissolveSection,
  insertSectionAfter,
  insertSubsection,
  moveSection,
  promoteSection,
  setSectionRunIn,
} from '../commands/sections'
import { fromProseMirror } from '../lib/fromProseMirror'
import { renderAttributes, selfRendered } from '../lib/renderAttributes'
import { EditorState, type Command, type Transaction } from '@tiptap/pm/state'
import { WORKFLOW_ATTR, workflowHTMLAttributes } from '../../sections/workflow'
import {
  STRUCTURAL_ATTR,
  structuralHTMLAttributes,
  suggestSectionChange,
  suggestSectionInsert,
  type StructuralOp,
} from '../suggestions/structural'

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    section: {
      /** New section of the current level after the current one (level 1 outside any section). */
      insertSectionAfter: () => ReturnType
      /** New sub-section at the end of the current section. */
      insertSubsection: () => ReturnType
      promoteSection: () => ReturnType
      demoteSection: () => ReturnType
      moveSectionUp: () => ReturnType
      moveSectionDown: () => ReturnType
      setSectionRunIn: (runIn: boolean) => ReturnType
    }
  }
}

/** Rendered in one pass (lib/renderAttributes.ts): a report holds hundreds of sections. */
const attributes: Attributes = {
  level: {
    default: 1,
    parseHTML: (element) => Math.min(4, Math.max(1, Number(element.getAttribute('data-level')) || 1)),
    renderHTML: (attributes) => ({ 'data-level': attributes.level }),
  },
  runIn: {
    default: false,
    parseHTML: (element) => element.getAttribute('data-run-in') === 'true',
    renderHTML: (attributes) => ({ 'data-run-in': attributes.runIn ? 'true' : 'false' }),
  },
  // Pending structural suggestions (suggestions/structural.ts), a JSON string so that Yjs stores it
  // as one value and y-prosemirror sees it unchanged. Never parsed from HTML: a copied section
  // must not duplicate someone's pending suggestion.
  [STRUCTURAL_ATTR]: {
    default: null,
    parseHTML: () => null,
    renderHTML: (attributes) => structuralHTMLAttributes(attributes[STRUCTURAL_ATTR]),
  },
  // Joint drafting: assignees, status and its log (sections/workflow.ts), one JSON string of at
  // most MAX_WORKFLOW_CHARS. Never parsed from HTML: a pasted copy is nobody's section yet.
  [WORKFLOW_ATTR]: {
    default: null,
    parseHTML: () => null,
    renderHTML: (attributes) => workflowHTMLAttributes(attributes[WORKFLOW_ATTR]),
  },
}

/**
 * In 编辑, whether `command`'s result may not be made directly (`allowsDirect`, 按分工编辑: it would
 * change a part that is not the person's, and the server would refuse it). Called only for a real
 * dispatch: the toolbar asks `can()` of every command on every transaction, and this compares whole
 * documents.
 */
function mustSuggest(editor: Editor, command: Command, state: EditorState): boolean {
  const allowsDirect = editor.storage.suggestChanges?.allowsDirect
  if (!allowsDirect) return false
  // A plain state: Tiptap's command state shares one transaction, which would get the trial's steps.
  let trial: Transaction | null = null
  command(EditorState.create({ doc: state.doc, selection: state.selection }), (tr) => (trial = tr))
  return trial !== null && !allowsDirect(state.doc, (trial as Transaction).doc)
}

/**
 * A numbered section: level 1–4 (一、 / （一） / 1. / （1）), a title, then paragraphs and sub-sections.
 * Isolating, so editing at its edges never merges it with its neighbours by accident.
 */
export const Section = Node.create({
  name: 'section',
  content: 'sectionTitle (paragraph | section)*',
  defining: true,
  isolating: true,

  addAttributes() {
    return selfRendered(attributes)
  },

  parseHTML() {
    return [{ tag: 'section[data-level]' }]
  },

  renderHTML({ node }) {
    return ['section', renderAttributes(attributes, node.attrs, { class: 'section' }), 0]
  },

  addCommands() {
    const storage = () => this.editor.storage.suggestChanges
    const mode = () => storage()?.mode ?? 'edit'
    const author = () => storage()?.author ?? { id: 'anonymous', name: '匿名' }
    // The suggestion made in its place, and the person told; or, when it cannot be one, nothing (told why).
    const instead = (suggestion: Command): Command => (state, dispatch, view) => {
      const done = suggestion(state, dispatch, view)
      if (dispatch && done) this.editor.emit('structureSuggested', { editor: this.editor })
      else if (dispatch) this.editor.emit('suggestionRefused', { editor: this.editor, reason: 'structure' })
      return true
    }
    // In 建议 mode a section command becomes a structural suggestion (or does nothing); in 查看, nothing.
    const change = (command: Command, op: Exclude<StructuralOp, 'insert'>) => () =>
      fromProseMirror((state, dispatch, view) => {
        if (mode() === 'view') return false
        if (mode() === 'suggest') return suggestSectionChange(op, author())(state, dispatch, view)
        if (dispatch && mustSuggest(this.editor, command, state)) return instead(suggestSectionChange(op, author()))(state, dispatch, view)
        return command(state, dispatch, view)
      })
    const insert = (command: Command) => () =>
      fromProseMirror((state, dispatch, view) => {
        if (mode() === 'view') return false
        if (mode() === 'suggest') return suggestSectionInsert(command, author())(state, dispatch, view)
        if (dispatch && mustSuggest(this.editor, command, state)) return instead(suggestSectionInsert(command, author()))(state, dispatch, view)
        return command(state, dispatch, view)
      })
    return {
      insertSectionAfter: insert(insertSectionAfter),
      insertSubsection: insert(insertSubsection),
      promoteSection: change(promoteSection, 'promote'),
      demoteSection: change(demoteSection, 'demote'),
      moveSectionUp: change(moveSection(-1), 'moveUp'),
      moveSectionDown: change(moveSection(1), 'moveDown'),
      setSectionRunIn: (runIn) => change(setSectionRunIn(runIn), runIn ? 'runIn' : 'runOut')(),
    }
  },

  addKeyboardShortcuts() {
    const inTitle = () => this.editor.state.selection.$from.parent.type.name === 'sectionTitle'
    const suggesting = () => this.editor.storage.suggestChanges?.mode === 'suggest'
    // A structure shortcut is always handled here: in 建议 mode it makes a suggestion or does nothing,
    // never falls through to a default (Mod-Enter's hard break) that the server would refuse.
    const handled = (result: boolean) => result || suggesting()
    return {
      'Mod-Enter': () => handled(this.editor.commands.insertSectionAfter()),
      'Mod-Shift-Enter': () => handled(this.editor.commands.insertSubsection()),
      Tab: () => inTitle() && handled(this.editor.commands.demoteSection()),
      'Shift-Tab': () => inTitle() && handled(this.editor.commands.promoteSection()),
      'Alt-Shift-ArrowUp': () => handled(this.editor.commands.moveSectionUp()),
      'Alt-Shift-ArrowDown': () => handled(this.editor.commands.moveSectionDown()),
      // Backspace at a title's start dissolves the section: not a suggestion, so in 建议 (or where
      // 按分工编辑 would make it one) it does nothing, and the person is told.
      Backspace: () => {
        const { state } = this.editor
        if (!dissolveSection(state)) return false
        if (!suggesting() && !mustSuggest(this.editor, dissolveSection, state)) return this.editor.commands.command(fromProseMirror(dissolveSection))
        this.editor.emit('suggestionRefused', { editor: this.editor, reason: 'dissolve' })
        return true
      },
    }
  },
})
