import { Mark, type Attributes } from '@tiptap/core'
import { isPlaceholderKind, type PlaceholderKind } from '../../report/kinds'
import {
  fillPlaceholder,
  goToUnfilledPlaceholder,
  markPlaceholder,
  selectPlaceholder,
  setPlaceholderKind,
  unmarkPlaceholder,
} from '../commands/placeholders'
import { fromProseMirror } from '../lib/fromProseMirror'
import { renderAttributes, selfRendered } from '../lib/renderAttributes'
import { PROVENANCE_ATTRIBUTES } from '../../figures/provenance'

/**
 * Provenance and verification ride on the mark (data-* in HTML) so they travel with the figure
 * through Yjs, copy and paste, and versions: see shared/figures/provenance.ts.
 */
const provenanceAttributes = Object.fromEntries(
  PROVENANCE_ATTRIBUTES.map((name) => {
    const html = `data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
    return [
      name,
      {
        default: null,
        parseHTML: (element: HTMLElement) => element.getAttribute(html),
        renderHTML: (attributes: Record<string, unknown>) => (attributes[name] != null ? { [html]: String(attributes[name]) } : {}),
      },
    ]
  }),
)

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    placeholder: {
      /** Marks the selection as a figure still to be found (kind guessed from context unless given). */
      markPlaceholder: (kind?: PlaceholderKind) => ReturnType
      unmarkPlaceholder: () => ReturnType
      setPlaceholderKind: (id: string, kind: PlaceholderKind) => ReturnType
      fillPlaceholder: (id: string, value: string) => ReturnType
      selectPlaceholder: (id: string) => ReturnType
      /** Selects the next (1) or previous (-1) unfilled placeholder, wrapping around. */
      goToUnfilledPlaceholder: (direction: 1 | -1) => ReturnType
    }
  }
}

/** Rendered in one pass (lib/renderAttributes.ts): a report holds a thousand figures. */
const attributes: Attributes = {
  id: {
    default: null,
    parseHTML: (element) => element.getAttribute('data-placeholder-id'),
    renderHTML: (attributes) => ({ 'data-placeholder-id': attributes.id }),
  },
  kind: {
    default: 'text',
    parseHTML: (element) => {
      const kind = element.getAttribute('data-kind')
      return isPlaceholderKind(kind) ? kind : 'text'
    },
    renderHTML: (attributes) => ({ 'data-kind': attributes.kind }),
  },
  label: {
    default: null,
    parseHTML: (element) => element.getAttribute('data-label'),
    renderHTML: (attributes) => (attributes.label ? { 'data-label': attributes.label } : {}),
  },
  ...provenanceAttributes,
}

/**
 * A masked figure (`*次`, `**局`, `***教授`). It is unfilled while its text is still a mask and
 * filled once someone types a real value into it; see shared/editor/lib/analyzeReport.ts.
 * Inclusive, so typing at its end (or over all of it) keeps the text inside the placeholder.
 */
export const Placeholder = Mark.create({
  name: 'placeholder',
  inclusive: true,
  spanning: false,

  addAttributes() {
    return selfRendered(attributes)
  },

  parseHTML() {
    return [{ tag: 'span[data-placeholder-id]' }]
  },

  renderHTML({ mark }) {
    return ['span', renderAttributes(attributes, mark.attrs, { class: 'placeholder' }), 0]
  },

  addCommands() {
    return {
      markPlaceholder: (kind) => fromProseMirror(markPlaceholder(kind)),
      unmarkPlaceholder: () => fromProseMirror(unmarkPlaceholder),
      setPlaceholderKind: (id, kind) => fromProseMirror(setPlaceholderKind(id, kind)),
      fillPlaceholder: (id, value) => fromProseMirror(fillPlaceholder(id, value)),
      selectPlaceholder: (id) => fromProseMirror(selectPlaceholder(id)),
      goToUnfilledPlaceholder: (direction) => fromProseMirror(goToUnfilledPlaceholder(direction)),
    }
  },

  addKeyboardShortcuts() {
    return {
      'Mod-Alt-m': () => this.editor.commands.markPlaceholder(),
      'Mod-Alt-Shift-m': () => this.editor.commands.unmarkPlaceholder(),
      F8: () => this.editor.commands.goToUnfilledPlaceholder(1),
      'Shift-F8': () => this.editor.commands.goToUnfilledPlaceholder(-1),
    }
  },
})
