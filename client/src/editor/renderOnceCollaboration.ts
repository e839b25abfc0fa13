import Collaboration from '@tiptap/extension-collaboration'
import type { Plugin } from '@tiptap/pm/state'
import { ySyncPluginKey, type ProsemirrorBinding } from '@tiptap/y-tiptap'

/** How many times editors built the whole document from Yjs (a test checks opening does it once). */
export const wholeDocumentRenders = { count: 0 }

/**
 * Tiptap's Collaboration, except that the document is built from Yjs once per editor instead of
 * every time ProseMirror re-creates its plugin views. It re-creates all of them whenever a plugin is
 * registered after the editor exists (the suggestion popover's BubbleMenu does so as it mounts), and
 * y-tiptap's sync plugin rebuilds the whole document from Yjs in its view each time (`_forceRerender`:
 * every node converted again, compared with the shown one, and the result dispatched as a
 * whole-document replacement through every plugin) — twice per open, each as costly as the first
 * render on a 100-page report. Given a `mapping`, the sync plugin leaves the rendering to us: the
 * first view renders, later views re-attach to a binding whose mapping and document are current
 * (views are re-created inside a state update, with no Yjs change in between).
 */
export const RenderOnceCollaboration = Collaboration.extend({
  addProseMirrorPlugins() {
    // Each editor gets its own binding (and mapping): this runs once per editor.
    const mapping = new Map()
    this.options.ySyncOptions = { ...this.options.ySyncOptions, mapping }
    const plugins = (this.parent?.() ?? []) as Plugin[]
    const sync = plugins.find((plugin) => plugin.spec.key === ySyncPluginKey)
    const createView = sync?.spec.view
    if (!sync || !createView) return plugins
    let rendered = false
    sync.spec.view = (view) => {
      const pluginView = createView(view)
      if (!rendered) {
        rendered = true
        wholeDocumentRenders.count++
        ;(ySyncPluginKey.getState(view.state) as { binding: ProsemirrorBinding }).binding._forceRerender()
      }
      return pluginView
    }
    return plugins
  },
})
