import { mergeAttributes, Node } from '@tiptap/core'
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
    return {
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
    }
  },

  parseHTML() {
    return [{ tag: 'section[data-level]' }]
  },

  renderHTML({ HTMLAttributes }) {
    return ['section', mergeAttributes({ class: 'section' }, HTMLAttributes), 0]
  },

  addCommands() {
    return {
      insertSectionAfter: () => fromProseMirror(insertSectionAfter),
      insertSubsection: () => fromProseMirror(insertSubsection),
      promoteSection: () => fromProseMirror(promoteSection),
      demoteSection: () => fromProseMirror(demoteSection),
      moveSectionUp: () => fromProseMirror(moveSection(-1)),
      moveSectionDown: () => fromProseMirror(moveSection(1)),
      setSectionRunIn: (runIn) => fromProseMirror(setSectionRunIn(runIn)),
    }
  },

  addKeyboardShortcuts() {
    const inTitle = () => this.editor.state.selection.$from.parent.type.name === 'sectionTitle'
    // Structure changes are not tracked as suggestions: in suggest mode sections keep their shape.
    const editing = () => (this.editor.storage as { suggestChanges?: { mode: string } }).suggestChanges?.mode !== 'suggest'
    return {
      'Mod-Enter': () => editing() && this.editor.commands.insertSectionAfter(),
      'Mod-Shift-Enter': () => editing() && this.editor.commands.insertSubsection(),
      Tab: () => editing() && inTitle() && this.editor.commands.demoteSection(),
      'Shift-Tab': () => editing() && inTitle() && this.editor.commands.promoteSection(),
      'Alt-Shift-ArrowUp': () => editing() && this.editor.commands.moveSectionUp(),
      'Alt-Shift-ArrowDown': () => editing() && this.editor.commands.moveSectionDown(),
      Backspace: () => editing() && this.editor.commands.command(fromProseMirror(dissolveSection)),
    }
  },
})
