import { mergeAttributes, type NodeConfig } from '@tiptap/core'

export interface LineNodeOptions {
  /** Extra HTML attributes of the rendered line. */
  HTMLAttributes: Record<string, unknown>
}

/**
 * The shared shape of the title block's and 落款's one-line textblocks (署名, unit, date): inline content
 * with every mark (placeholders, suggestions, comments), rendered as `<p class=…>` and parsed back from
 * it ahead of a plain paragraph.
 */
export function lineNodeConfig(className: string): Partial<NodeConfig<LineNodeOptions>> {
  return {
    content: 'inline*',
    marks: '_',
    defining: true,
    addOptions() {
      return { HTMLAttributes: {} }
    },
    parseHTML() {
      return [{ tag: `p.${className}`, priority: 60 }]
    },
    renderHTML({ HTMLAttributes }) {
      return ['p', mergeAttributes({ class: className }, this.options.HTMLAttributes, HTMLAttributes), 0]
    },
  }
}
