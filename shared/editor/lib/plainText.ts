import type { DocJSON } from './ydoc'

/**
 * Turns a plain-text draft into document JSON: the first non-empty line becomes the title,
 * every further non-empty line a paragraph. Leading full-width indentation is dropped because
 * the layout adds the official two-character indent itself.
 */
export function plainTextToDocJSON(text: string): DocJSON {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''))
    .filter((line) => line.length > 0)
  if (lines.length === 0) return { type: 'doc', content: [{ type: 'paragraph' }] }
  const [title, ...body] = lines
  return {
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: title }] },
      ...(body.length > 0
        ? body.map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] }))
        : [{ type: 'paragraph' }]),
    ],
  }
}
