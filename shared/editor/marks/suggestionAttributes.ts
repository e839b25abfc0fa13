import type { Attributes } from '@tiptap/core'
import { colorFor } from '../lib/colors'
import { renderAttributes, selfRendered } from '../lib/renderAttributes'

const attributes: Attributes = {
  id: {
    default: null,
    parseHTML: (element) => element.getAttribute('data-suggestion-id'),
    renderHTML: (attributes) => ({ 'data-suggestion-id': attributes.id }),
  },
  authorId: {
    default: null,
    parseHTML: (element) => element.getAttribute('data-author-id'),
    renderHTML: (attributes) =>
      attributes.authorId ? { 'data-author-id': attributes.authorId, style: `--author-color: ${colorFor(String(attributes.authorId))}` } : {},
  },
  authorName: {
    default: null,
    parseHTML: (element) => element.getAttribute('data-author-name'),
    renderHTML: (attributes) => (attributes.authorName ? { 'data-author-name': attributes.authorName } : {}),
  },
  createdAt: {
    default: null,
    parseHTML: (element) => element.getAttribute('data-created-at'),
    renderHTML: (attributes) => (attributes.createdAt ? { 'data-created-at': attributes.createdAt } : {}),
  },
}

/** Who suggested a change and when; shared by the insertion and deletion marks. */
export function suggestionAttributes(): Attributes {
  return selfRendered(attributes)
}

/** The HTML attributes of an insertion or deletion mark, after `base` (lib/renderAttributes.ts: one pass). */
export const renderSuggestionAttributes = (values: Record<string, unknown>, base: Record<string, unknown>) => renderAttributes(attributes, values, base)
