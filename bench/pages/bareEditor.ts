/**
 * The reference for the ED scenario's key press → paint: a bare Tiptap editor (StarterKit alone: no
 * collaboration, no review, no panels, no plugins of ours) holding the same 50 pages of text, typed into
 * with the same probe. What ProseMirror and Chromium cost on a document this size, measured in the same
 * run as Huigao's editor. Bundled by bench/lib/bareEditorBundle.ts into one script for the page.
 */
import { Editor } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'

declare global {
  interface Window {
    /** Mounts the editor on `element` with the report's lines: the first a title (h1), the rest paragraphs. */
    mountBareEditor: (element: HTMLElement, lines: string[]) => void
  }
}

window.mountBareEditor = (element, lines) => {
  const [title, ...body] = lines
  new Editor({
    element,
    extensions: [StarterKit.configure({ heading: { levels: [1], HTMLAttributes: { class: 'report-title' } } })],
    content: {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: title }] },
        ...body.filter((line) => line.trim() !== '').map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })),
      ],
    },
  })
}
