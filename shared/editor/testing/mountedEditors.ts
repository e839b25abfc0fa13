/**
 * Test-only: editors mounted in the test's DOM (happy-dom), the way the client mounts one, each
 * destroyed after its test (or by the test itself, when a property makes hundreds).
 */
import { Editor, type AnyExtension, type JSONContent } from '@tiptap/core'
import { afterEach } from 'vitest'
import { documentExtensions } from '../extensions'
import { plainTextToDocJSON } from '../lib/plainText'
import { SAMPLE_TEXT } from './reportFixtures'

/** Call at the top of a test file; `mount` then makes an editor on `content` (the sample report by default). */
export function mountedEditors(): { mount: (extensions?: AnyExtension[], content?: JSONContent) => Editor } {
  const editors: Editor[] = []
  afterEach(() => {
    for (const editor of editors.splice(0)) if (!editor.isDestroyed) editor.destroy()
    document.body.innerHTML = ''
  })
  return {
    mount(extensions = documentExtensions(), content = plainTextToDocJSON(SAMPLE_TEXT)) {
      const element = document.createElement('div')
      document.body.appendChild(element)
      const editor = new Editor({ element, extensions, content })
      editors.push(editor)
      // A property that destroys its hundreds of editors must not keep them alive here.
      editor.on('destroy', () => {
        editors.splice(editors.indexOf(editor), 1)
        element.remove()
      })
      return editor
    },
  }
}
